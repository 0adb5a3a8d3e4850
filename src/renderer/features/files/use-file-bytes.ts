import { useEffect, useState } from 'react';
import type { FileContext } from './file-context';
import { bytesRetryDelay } from './file-retry';

export type FileBytes =
  | { state: 'loading' }
  | { state: 'ready' }
  /** Not on this device and the last download failed (offline, not uploaded yet): tried again by itself. */
  | { state: 'waiting'; reason: string; retryInMs: number };

/**
 * Makes sure a file's bytes are on this device before they are shown: asks the core to download it (named by
 * the block, so the Transfers view says which file) and, while that fails — the device that added it has not
 * uploaded it yet, or this one is offline — tries again 1 s later, doubling up to every 30 s, until it arrives
 * (a download started elsewhere, e.g. Retry in Transfers, ends the wait too). `reloads` counts the times the
 * shown bytes failed to load (evicted since, say), each asking again.
 */
export function useFileBytes(
  ctx: FileContext | null,
  file: { fileId: string | null; name: string; size: number },
  reloads: number,
): FileBytes {
  const { fileId, name, size } = file;
  // Keyed by the file and the reload it answers, so a new one starts as loading without a set in the effect.
  const key = `${fileId ?? ''}:${reloads}`;
  const [answer, setAnswer] = useState<{ key: string; bytes: FileBytes } | null>(null);
  useEffect(() => {
    if (!ctx || !fileId) return undefined;
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let failures = 0;
    const setBytes = (bytes: FileBytes): void => setAnswer({ key, bytes });
    const attempt = (): void => {
      timer = null;
      void ctx.api
        .invoke('file.download', {
          accountId: ctx.accountId,
          notebookId: ctx.notebookId,
          fileId,
          ...(name ? { name } : {}),
          ...(size > 0 ? { size } : {}),
        })
        .then((result) => {
          if (!alive) return;
          if (result.ok) {
            setBytes({ state: 'ready' });
            return;
          }
          failures += 1;
          const retryInMs = bytesRetryDelay(failures);
          setBytes({ state: 'waiting', reason: result.error.message, retryInMs });
          timer = setTimeout(attempt, retryInMs);
        });
    };
    const off = ctx.api.subscribe('file.changed', (event) => {
      if (event.accountId !== ctx.accountId || event.file.id !== fileId || !event.file.cached) return;
      if (timer) clearTimeout(timer);
      timer = null;
      setBytes({ state: 'ready' });
    });
    attempt();
    return () => {
      alive = false;
      off();
      if (timer) clearTimeout(timer);
    };
  }, [ctx, fileId, name, size, key]);
  return answer?.key === key ? answer.bytes : { state: 'loading' };
}
