import { createContext, useMemo } from 'react';
import { useNotebookQuery } from '../../lib/notebook-query';

const NONE: ReadonlyMap<string, number> = new Map();

/** Unread messages per channel of the open notebook, for the sidebar's counts. */
export const ChannelUnread = createContext<ReadonlyMap<string, number>>(NONE);

/**
 * `channel.unread`, reloaded when messages change (`channel.changed`) or the user's read marks do
 * (`interaction.changed`: opening a channel here, at once, or reading it on another device).
 */
export function useChannelUnread(accountId: string, notebookId: string | null): ReadonlyMap<string, number> {
  const query = useNotebookQuery(
    'channels',
    accountId,
    notebookId,
    (api, id) => api.invoke('channel.unread', { accountId, notebookId: id }),
    ['channel.changed', 'interaction.changed'],
  );
  return useMemo(() => (query.data ? new Map(Object.entries(query.data)) : NONE), [query.data]);
}
