import { useEffect, useState } from 'react';
import type { FileView } from '../../../shared/contract';
import type { FileContext } from './file-context';

export interface FileStatus {
  /** null: not known on this device yet (attached elsewhere: its bytes come on demand). */
  file: FileView | null;
  bytesPerSecond: number | null;
}

/** A file's state on this device, live: upload progress, failures, cached or not. */
export function useFile(ctx: FileContext, fileId: string | null): FileStatus {
  const [status, setStatus] = useState<FileStatus>({ file: null, bytesPerSecond: null });
  useEffect(() => {
    if (!fileId) return undefined;
    let alive = true;
    const unsubscribe = ctx.api.subscribe('file.changed', (event) => {
      if (event.accountId !== ctx.accountId || event.file.id !== fileId) return;
      setStatus({ file: event.removed ? null : event.file, bytesPerSecond: event.bytesPerSecond });
    });
    void ctx.api.invoke('file.get', { accountId: ctx.accountId, fileId }).then((result) => {
      if (alive && result.ok)
        setStatus((now) => (now.file ? now : { file: result.value, bytesPerSecond: null }));
    });
    return () => {
      alive = false;
      unsubscribe();
    };
  }, [ctx, fileId]);
  return status;
}
