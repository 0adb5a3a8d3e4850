import { useEffect, useRef, useState } from 'react';
import type { NotebookView } from '../../../shared/contract';
import { useApi } from '../../lib/client';
import { useLiveQuery } from '../../lib/live-query';
import { useToasts } from '../../ui/toast';

export interface Notebooks {
  list: readonly NotebookView[] | undefined;
  current: NotebookView | null;
  /** No notebook open yet, but there will be: the list, or which one to come back to, is on its way. */
  loading: boolean;
  select(notebookId: string | null): void;
  create(name: string): Promise<NotebookView | undefined>;
  rename(notebookId: string, name: string): void;
  remove(notebookId: string): Promise<boolean>;
}

/**
 * An account's notebooks, live, and which one is open: at first `startNotebookId` (where the person was), else
 * the first one; a notebook deleted here or elsewhere stops being the open one.
 */
export function useNotebooks(accountId: string, startNotebookId: string | null): Notebooks {
  const api = useApi();
  const { check } = useToasts();
  const [selected, setSelected] = useState<string | null>(null);
  const query = useLiveQuery(
    accountId,
    (a) => a.invoke('notebook.list', { accountId }),
    (a, refresh) =>
      a.subscribe('notebook.changed', (event) => {
        if (event.accountId === accountId) refresh();
      }),
  );
  const list = query.data;

  // Only a list that used to contain the selection proves it is gone: a just-created notebook is not listed yet.
  const previousIds = useRef<ReadonlySet<string>>(new Set());
  useEffect(() => {
    if (!list) return;
    const ids = new Set(list.map((n) => n.id));
    if (selected !== null && previousIds.current.has(selected) && !ids.has(selected)) setSelected(null);
    previousIds.current = ids;
  }, [list, selected]);

  // The notebook to come back to counts once: after that, one deleted falls back to the first, not to it.
  const start = useRef(startNotebookId);
  useEffect(() => {
    if (!list || selected !== null) return;
    const wanted = start.current;
    start.current = null;
    setSelected(list.some((n) => n.id === wanted) ? wanted : (list[0]?.id ?? null));
  }, [list, selected]);

  const current = list?.find((n) => n.id === selected) ?? null;
  return {
    list,
    current,
    loading: list === undefined || (current === null && list.length > 0),
    select: setSelected,
    create: async (name) => {
      const created = check(await api.invoke('notebook.create', { accountId, name }), 'create the notebook');
      if (created) setSelected(created.id);
      return created;
    },
    rename: (notebookId, name) =>
      void api.invoke('notebook.update', { accountId, notebookId, name }).then((r) => check(r, 'rename')),
    remove: async (notebookId) =>
      check(await api.invoke('notebook.delete', { accountId, notebookId }), 'delete the notebook') !==
      undefined,
  };
}
