import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type {
  DatabaseChange,
  DatabaseView,
  RecordGroupView,
  RecordView,
  SavedView,
} from '../../../shared/contract';
import type { FieldValue } from '../../../shared/model/nodes';
import { useApi } from '../../lib/client';
import { useLatest } from '../../lib/latest';
import { useLiveQuery, type LiveQuery } from '../../lib/live-query';
import { useToasts } from '../../ui/toast';

/** Changes arrive in bursts (a first download, a paste of many rows): views reload at most this often. */
const RELOAD_EVERY_MS = 120;
/** Records fetched per request while scrolling. */
export const PAGE_SIZE = 100;

/** Calls `refresh` (throttled) whenever something of the notebook changes: records are nodes of it. */
export function useNotebookChanges(accountId: string, notebookId: string, refresh: () => void): void {
  const api = useApi();
  const latest = useLatest(refresh);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = api.subscribe('node.changed', (event) => {
      if (event.accountId !== accountId || event.notebookId !== notebookId || timer) return;
      timer = setTimeout(() => {
        timer = null;
        latest.current();
      }, RELOAD_EVERY_MS);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [api, accountId, notebookId, latest]);
}

export function useDatabase(
  accountId: string,
  notebookId: string,
  databaseId: string,
): LiveQuery<DatabaseView> {
  const query = useLiveQuery(
    `${accountId}/${databaseId}`,
    (api) => api.invoke('database.get', { accountId, databaseId }),
    () => () => undefined,
  );
  useNotebookChanges(accountId, notebookId, query.reload);
  return query;
}

export interface DatabaseActions {
  change(change: DatabaseChange): Promise<string | null | undefined>;
  createRecord(name?: string, values?: Record<string, FieldValue>): Promise<RecordView | undefined>;
  setValue(recordId: string, fieldId: string, value: FieldValue | null): Promise<RecordView | undefined>;
  rename(recordId: string, name: string): Promise<RecordView | undefined>;
  trash(recordIds: readonly string[]): Promise<void>;
}

export function useDatabaseActions(
  accountId: string,
  databaseId: string,
  onChanged: () => void,
): DatabaseActions {
  const api = useApi();
  const { check, notify } = useToasts();
  return useMemo(
    () => ({
      change: async (change) => {
        const result = check(
          await api.invoke('database.change', { accountId, databaseId, change }),
          'change the database',
        );
        if (result) onChanged();
        return result?.createdId;
      },
      createRecord: async (name = '', values) =>
        check(
          await api.invoke('record.create', { accountId, databaseId, name, ...(values ? { values } : {}) }),
          'add the record',
        ),
      setValue: async (recordId, fieldId, value) =>
        check(
          await api.invoke('record.update', { accountId, recordId, set: { [fieldId]: value } }),
          'save the value',
        ),
      rename: async (recordId, name) =>
        check(await api.invoke('record.update', { accountId, recordId, name }), 'rename the record'),
      trash: async (recordIds) => {
        for (const nodeId of recordIds)
          check(await api.invoke('node.trash', { accountId, nodeId }), 'delete the record');
        notify(`${recordIds.length === 1 ? 'Record' : `${recordIds.length} records`} moved to the trash`, {
          label: 'Undo',
          run: () => {
            for (const nodeId of recordIds) void api.invoke('node.restore', { accountId, nodeId });
          },
        });
      },
    }),
    [api, check, notify, accountId, databaseId, onChanged],
  );
}

export interface RecordWindow {
  total: number | undefined;
  /** The record at a position of the query's order, if its page has arrived. */
  at(index: number): RecordView | undefined;
  /** Asks for the pages covering these positions (what the table is about to show). */
  need(from: number, to: number): void;
  /** A record just edited here, shown at once (the reload that its change causes follows). */
  patch(record: RecordView): void;
}

/**
 * The records of a page as they came, except that a record whose data did not change keeps the object shown
 * so far: the table's rows are memoised on it, so a reload after an edit re-renders the edited row only.
 */
function keepUnchanged(shown: ReadonlyMap<number, RecordView[]>, fresh: RecordView[]): RecordView[] {
  const before = new Map<string, RecordView>();
  for (const records of shown.values()) for (const record of records) before.set(record.id, record);
  return fresh.map((record) => {
    const old = before.get(record.id);
    return old && JSON.stringify(old) === JSON.stringify(record) ? old : record;
  });
}

/**
 * A window onto the records a view selects, a page of PAGE_SIZE at a time as the table scrolls: a database
 * of 50,000 records is never sent at once. Any change in the notebook reloads the pages on screen (the
 * previous ones stay shown until then, so nothing flickers).
 */
export function useRecordWindow(
  accountId: string,
  notebookId: string,
  databaseId: string,
  view: Pick<SavedView, 'filter' | 'sorts'>,
): RecordWindow {
  const api = useApi();
  const key = JSON.stringify({ databaseId, filter: view.filter, sorts: view.sorts });
  const [state, setState] = useState<{
    key: string;
    total: number | undefined;
    pages: Map<number, RecordView[]>;
  }>({
    key,
    total: undefined,
    pages: new Map(),
  });
  const generation = useRef(0);
  const wanted = useRef(new Set<number>([0]));
  const loading = useRef(new Set<number>());

  const load = useCallback(
    (page: number, mine: number) => {
      if (loading.current.has(page)) return;
      loading.current.add(page);
      void api
        .invoke('records.query', {
          accountId,
          databaseId,
          query: { filter: view.filter, sorts: view.sorts },
          offset: page * PAGE_SIZE,
          limit: PAGE_SIZE,
        })
        .then((result) => {
          loading.current.delete(page);
          if (mine !== generation.current || !result.ok) return;
          setState((s) => {
            const pages = new Map(s.key === key ? s.pages : []);
            pages.set(page, keepUnchanged(s.pages, result.value.records));
            return { key, total: result.value.total, pages };
          });
        });
    },
    // `view` is represented by `key`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, accountId, databaseId, key],
  );

  const reload = useCallback(() => {
    const mine = ++generation.current;
    loading.current.clear();
    for (const page of wanted.current) load(page, mine);
  }, [load]);

  useEffect(() => {
    wanted.current = new Set([0]);
    reload();
  }, [reload]);
  useNotebookChanges(accountId, notebookId, reload);

  const current = state.key === key ? state : { total: undefined, pages: new Map<number, RecordView[]>() };
  return {
    total: current.total,
    at: (index) => current.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE],
    need: (from, to) => {
      const pages = new Set<number>();
      for (let p = Math.floor(from / PAGE_SIZE); p <= Math.floor(Math.max(from, to) / PAGE_SIZE); p++)
        pages.add(p);
      wanted.current = pages;
      for (const page of pages) if (!current.pages.has(page)) load(page, generation.current);
    },
    patch: (record) =>
      setState((s) => {
        const pages = new Map(s.pages);
        for (const [page, records] of pages)
          if (records.some((r) => r.id === record.id))
            pages.set(
              page,
              records.map((r) => (r.id === record.id ? record : r)),
            );
        return { ...s, pages };
      }),
  };
}

/** A board's columns: the view's records per option of its select field. */
export function useRecordGroups(
  accountId: string,
  notebookId: string,
  databaseId: string,
  view: Pick<SavedView, 'filter' | 'sorts'>,
  fieldId: string | null,
): LiveQuery<RecordGroupView[]> {
  const key = fieldId
    ? JSON.stringify({ databaseId, fieldId, filter: view.filter, sorts: view.sorts })
    : null;
  const groups = useLiveQuery(
    key,
    (api) =>
      api.invoke('records.groups', {
        accountId,
        databaseId,
        fieldId: fieldId ?? '',
        query: { filter: view.filter, sorts: view.sorts },
        perGroup: 200,
      }),
    () => () => undefined,
  );
  useNotebookChanges(accountId, notebookId, groups.reload);
  return groups;
}
