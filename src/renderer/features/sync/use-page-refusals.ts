import { useEffect, useState } from 'react';
import { useApi } from '../../lib/client';
import { useSyncStatuses } from './use-sync';

/**
 * How many of a page's changes the server refused (kept on this device until retried or discarded in the Sync
 * panel), live. The outbox is read only while the account has refusals at all, and again when their count
 * changes; the Local account never has any.
 */
export function usePageRefusals(accountId: string, pageId: string): number {
  const api = useApi();
  const rejected = useSyncStatuses().get(accountId)?.rejected ?? 0;
  const [found, setFound] = useState<{ key: string; count: number }>({ key: '', count: 0 });
  const key = `${accountId}/${pageId}/${rejected}`;
  useEffect(() => {
    if (rejected === 0) return;
    let live = true;
    void api.invoke('sync.outbox', { accountId }).then((result) => {
      if (!live || !result.ok) return;
      const count = result.value.filter((e) => e.objectId === pageId && e.status === 'rejected').length;
      setFound({ key, count });
    });
    return () => {
      live = false;
    };
  }, [api, accountId, pageId, rejected, key]);
  return rejected > 0 && found.key === key ? found.count : 0;
}
