import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type {
  AccountView,
  NodeView,
  NotebookMoveView,
  OutboxEntryView,
  SyncStatusView,
} from '../../../shared/contract';
import { useApi, useConnectionState } from '../../lib/client';
import { useLiveQuery } from '../../lib/live-query';

/** Every server account's sync state, live: loaded once, then kept fresh from `sync.status` events. */
export function useSyncStatuses(): ReadonlyMap<string, SyncStatusView> {
  const api = useApi();
  const connection = useConnectionState();
  const [statuses, setStatuses] = useState<ReadonlyMap<string, SyncStatusView>>(new Map());
  const load = useCallback(() => {
    void api.invoke('sync.status', {}).then((result) => {
      if (result.ok) setStatuses(new Map(result.value.map((s) => [s.accountId, s])));
    });
  }, [api]);
  useEffect(() => {
    if (connection === 'connected') load();
  }, [connection, load]);
  useEffect(() => {
    const offStatus = api.subscribe('sync.status', (status) =>
      setStatuses((all) => new Map(all).set(status.accountId, status)),
    );
    const offAccounts = api.subscribe('account.changed', load);
    return () => {
      offStatus();
      offAccounts();
    };
  }, [api, load]);
  return statuses;
}

/** How often, at most, the outbox is reloaded while statuses stream in (a large sync sends many). */
const OUTBOX_RELOAD_MS = 500;

/** The outbox of one server account, reloaded (throttled) whenever its sync status changes. */
export function useOutbox(accountId: string | null) {
  return useLiveQuery<OutboxEntryView[]>(
    accountId === null ? null : `outbox/${accountId}`,
    (a) => a.invoke('sync.outbox', { accountId: accountId ?? '' }),
    (a, refresh) => {
      let timer: ReturnType<typeof setTimeout> | null = null;
      const off = a.subscribe('sync.status', (status) => {
        if (status.accountId !== accountId || timer) return;
        timer = setTimeout(() => {
          timer = null;
          refresh();
        }, OUTBOX_RELOAD_MS);
      });
      return () => {
        off();
        if (timer) clearTimeout(timer);
      };
    },
  );
}

/** A clock for relative times ("2 min ago") that re-renders every `everyMs`. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

export function relativeTime(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1_000));
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days === 1) return 'yesterday';
  if (days < 7) return `${days} days ago`;
  return new Date(iso).toLocaleDateString();
}

/** "14:02": a time of today, in the user's locale. */
const clockTime = (iso: string): string =>
  new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

export type SyncTone = 'local' | 'offline' | 'busy' | 'ok' | 'error';

export interface SyncSummary {
  tone: SyncTone;
  /** One short line: "Up to date", "Offline · 3 pending". */
  title: string;
  /** The line below: "Last synced 2 min ago". */
  detail: string;
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * "Last synced 2 min ago". While not connected never "just now" (it reads as if it were syncing at this
 * moment): "Last synced under a minute ago", "Last synced 3 min ago" (short: the sidebar footer is narrow).
 */
function lastSynced(status: SyncStatusView, now: number): string {
  if (!status.lastSyncedAt) return 'Not synced yet';
  const ago = relativeTime(status.lastSyncedAt, now);
  const away = status.connection === 'offline' || status.connection === 'connecting';
  return `Last synced ${away && ago === 'just now' ? 'under a minute ago' : ago}`;
}

/** A token refused by the server: the account must be signed in again. */
export const isSignInProblem = (status: SyncStatusView): boolean =>
  status.lastError !== null && /token was refused|signed out/i.test(status.lastError);

/** What the sync indicator says for an account (Local: calm "On this device"). */
export function summarize(
  account: AccountView,
  status: SyncStatusView | undefined,
  now: number,
): SyncSummary {
  if (account.kind === 'local')
    return { tone: 'local', title: 'On this device', detail: 'Not synced to a server' };
  if (!status)
    return { tone: 'error', title: 'Signed out', detail: 'Add the account again with a new token' };
  const last = lastSynced(status, now);
  const pending = status.pending > 0 ? ` · ${status.pending} pending` : '';
  if (isSignInProblem(status))
    return { tone: 'error', title: 'Sign-in needed', detail: 'The server refused the token' };
  if (status.rejected > 0)
    return {
      tone: 'error',
      title: `${plural(status.rejected, 'change')} refused`,
      detail: 'Open to review, retry or discard',
    };
  if (status.initialSync) {
    const { done, total, stalledSince } = status.initialSync;
    const count = `${done.toLocaleString()} of ${total.toLocaleString()}`;
    // Nothing arrived for a while (offline, the server failing, a wedged connection): say so, with the reason,
    // rather than leave a progress line that looks frozen. The engine keeps retrying by itself.
    if (stalledSince)
      return {
        tone: 'offline',
        title: 'Download paused — retrying…',
        detail: status.lastError ?? `No data since ${clockTime(stalledSince)} · ${count}`,
      };
    return { tone: 'busy', title: 'Downloading notebooks…', detail: `${count} items` };
  }
  switch (status.connection) {
    case 'offline':
      return { tone: 'offline', title: `Offline${pending}`, detail: last };
    case 'connecting':
      return { tone: 'busy', title: `Connecting…${pending}`, detail: last };
    case 'syncing':
      return { tone: 'busy', title: `Syncing ${plural(status.pending, 'change')}…`, detail: last };
    case 'up_to_date':
      return { tone: 'ok', title: 'Up to date', detail: last };
  }
}

/** The nodes the outbox entries touch (a document's id is its page's id), for names and types. */
export function useNodes(
  accountId: string,
  entries: readonly OutboxEntryView[],
): ReadonlyMap<string, NodeView> {
  const api = useApi();
  const [nodes, setNodes] = useState<ReadonlyMap<string, NodeView>>(new Map());
  const ids = [...new Set(entries.slice(0, 100).map((e) => e.objectId))].sort().join(',');
  useEffect(() => {
    if (ids === '') return;
    let live = true;
    void Promise.all(
      ids.split(',').map(async (nodeId) => {
        const result = await api.invoke('node.get', { accountId, nodeId });
        return result.ok ? [result.value] : [];
      }),
    ).then((found) => {
      if (live) setNodes(new Map(found.flat().map((n) => [n.id, n])));
    });
    return () => {
      live = false;
    };
  }, [api, accountId, ids]);
  return nodes;
}

/** A <dialog> shown modally once mounted (the browser traps focus; Escape closes it). */
export function useShowModal(): RefObject<HTMLDialogElement | null> {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return ref;
}

/** Notebook moves still running (they resume after a restart), live from `notebook.move` events. */
export function useMoves(): readonly NotebookMoveView[] {
  const api = useApi();
  const connection = useConnectionState();
  const [moves, setMoves] = useState<ReadonlyMap<string, NotebookMoveView>>(new Map());
  useEffect(() => {
    if (connection !== 'connected') return;
    void api.invoke('notebook.moves', {}).then((result) => {
      if (result.ok) setMoves(new Map(result.value.map((m) => [m.notebookId, m])));
    });
  }, [api, connection]);
  useEffect(
    () =>
      api.subscribe('notebook.move', (move) =>
        setMoves((all) => {
          const next = new Map(all);
          if (move.phase === 'done' || move.phase === 'failed') next.delete(move.notebookId);
          else next.set(move.notebookId, move);
          return next;
        }),
      ),
    [api],
  );
  return [...moves.values()];
}
