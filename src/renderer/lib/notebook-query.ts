import type { Api } from '../../shared/contract/transport';
import type { Result } from '../../shared/lib/result';
import { useLiveQuery, type LiveQuery } from './live-query';

/** Remote changes arrive in bursts (a first download is hundreds of batches): reload at most this often. */
const RELOAD_EVERY_MS = 250;

/** Events that name the account and notebook whose data they may have changed. */
export type NotebookEventName = 'channel.changed' | 'interaction.changed' | 'node.changed';

/**
 * A query over one notebook (`null`: none open), reloaded when one of `events` concerns that notebook —
 * throttled to RELOAD_EVERY_MS, except the user's own read marks here (`interaction.changed` from this
 * device), which reload at once so what they just read stops counting as unread.
 */
export function useNotebookQuery<T>(
  name: string,
  accountId: string,
  notebookId: string | null,
  load: (api: Api, notebookId: string) => Promise<Result<T>>,
  events: readonly NotebookEventName[],
): LiveQuery<T> {
  return useLiveQuery(
    notebookId ? `${accountId}/${notebookId}/${name}` : null,
    (api) => load(api, notebookId ?? ''),
    (api, refresh) => {
      let timer: ReturnType<typeof setTimeout> | null = null;
      const later = (): void => {
        timer ??= setTimeout(() => {
          timer = null;
          refresh();
        }, RELOAD_EVERY_MS);
      };
      const offs = events.map((event) =>
        api.subscribe(event, (changed) => {
          if (changed.accountId !== accountId || changed.notebookId !== notebookId) return;
          if ('origin' in changed && changed.origin === 'local') refresh();
          else later();
        }),
      );
      return () => {
        offs.forEach((off) => off());
        if (timer) clearTimeout(timer);
      };
    },
  );
}
