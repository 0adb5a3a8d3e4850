import { createContext, useMemo } from 'react';
import { useLiveQuery } from '../../lib/live-query';

const NONE: ReadonlyMap<string, number> = new Map();
/** Messages arrive in bursts (a first download is hundreds of batches): reload at most this often. */
const RELOAD_EVERY_MS = 250;

/** Unread messages per channel of the open notebook, for the sidebar's counts. */
export const ChannelUnread = createContext<ReadonlyMap<string, number>>(NONE);

/**
 * `channel.unread`, reloaded when messages change (`channel.changed`) or the user's read marks do
 * (`interaction.changed`: opening a channel here, or reading it on another device).
 */
export function useChannelUnread(accountId: string, notebookId: string | null): ReadonlyMap<string, number> {
  const query = useLiveQuery(
    notebookId ? `${accountId}/${notebookId}/channels` : null,
    (api) => api.invoke('channel.unread', { accountId, notebookId: notebookId ?? '' }),
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
        api.subscribe('channel.changed', (event) => {
          if (ours(event)) later();
        }),
        api.subscribe('interaction.changed', (event) => {
          if (ours(event)) later();
        }),
      ];
      return () => {
        offs.forEach((off) => off());
        if (timer) clearTimeout(timer);
      };
    },
  );
  return useMemo(() => (query.data ? new Map(Object.entries(query.data)) : NONE), [query.data]);
}
