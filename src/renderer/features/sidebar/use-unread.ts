import { useMemo } from 'react';
import { useNotebookQuery } from '../../lib/notebook-query';

const NONE: ReadonlySet<string> = new Set();

/**
 * Pages of the notebook someone else changed since the user last opened or saw them (`interaction.unread`),
 * reloaded when the core says that may have changed: `interaction.changed` (the user's own mark at once),
 * and `node.changed` (a page that arrives already changed by someone else).
 */
export function useUnread(accountId: string, notebookId: string | null): ReadonlySet<string> {
  const query = useNotebookQuery(
    'pages',
    accountId,
    notebookId,
    (api, id) => api.invoke('interaction.unread', { accountId, notebookId: id }),
    ['interaction.changed', 'node.changed'],
  );
  return useMemo(() => (query.data ? new Set(query.data) : NONE), [query.data]);
}
