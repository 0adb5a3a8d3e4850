import { useMemo } from 'react';
import { useLiveQuery } from '../../lib/live-query';

const NONE: ReadonlySet<string> = new Set();
/** Remote changes arrive in bursts (a first download is hundreds of batches): reload at most this often. */
const RELOAD_EVERY_MS = 250;

/**
 * Pages of the notebook someone else changed since the user last opened or saw them (`interaction.unread`),
 * reloaded when the core says that may have changed: `interaction.changed` (the user's own mark at once),
 * and `node.changed` (a page that arrives already changed by someone else).
 */
export function useUnread(accountId: string, notebookId: string | null): ReadonlySet<string> {
  const query = useLiveQuery(
    notebookId ? `${accountId}/${notebookId}` : null,
    (api) => api.invoke('interaction.unread', { accountId, notebookId: notebookId ?? '' }),
    (api, refresh) => {
      let timer: ReturnType<typeof setTimeout> | null = null;
      const later = (): void => {
        timer ??= setTimeout(() => {
          timer = null;
          refresh();
        }, RELOAD_EVERY_MS);
      };
      const ours = (event: { accountId: string; notebookId: string }): boolean =>
        event.accountId === accountId && event.notebookId === notebookId;
      const offs = [
        api.subscribe('interaction.changed', (event) => {
          if (!ours(event)) return;
          if (event.origin === 'local') refresh();
          else later();
        }),
        api.subscribe('node.changed', (event) => {
          if (ours(event)) later();
        }),
      ];
      return () => {
        offs.forEach((off) => off());
        if (timer) clearTimeout(timer);
      };
    },
  );
  return useMemo(() => (query.data ? new Set(query.data) : NONE), [query.data]);
}
