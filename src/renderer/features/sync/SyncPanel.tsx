import { useState } from 'react';
import type {
  AccountView,
  NodeView,
  NotebookMoveView,
  OutboxEntryView,
  SyncStatusView,
} from '../../../shared/contract';
import { useApi } from '../../lib/client';
import { Dialog } from '../../ui/dialog';
import { EmptyState } from '../../ui/empty-state';
import { Icon } from '../../ui/icons';
import { useToasts } from '../../ui/toast';
import { TransfersView } from '../files/TransfersView';
import { describeChange, entryName, entryTime, plainText } from './outbox-entry';
import {
  plural,
  relativeTime,
  summarize,
  useMoves,
  useNodes,
  useNow,
  useOutbox,
  useShowModal,
} from './use-sync';

export interface SyncPanelProps {
  accounts: readonly AccountView[];
  statuses: ReadonlyMap<string, SyncStatusView>;
  onManageAccounts(): void;
  onClose(): void;
}

/** How many waiting changes are listed by name; the rest are counted. */
const LISTED = 50;

/** The Sync panel: per server account its connection, last problem, "Sync now" and the outbox. */
export function SyncPanel({ accounts, statuses, onManageAccounts, onClose }: SyncPanelProps) {
  const ref = useShowModal();
  const servers = accounts.filter((a) => a.kind === 'server');
  const moves = useMoves();
  return (
    <dialog ref={ref} className="dialog wide sync-panel" aria-labelledby="sync-panel-title" onClose={onClose}>
      <header className="panel-head">
        <h2 id="sync-panel-title" className="dialog-title">
          Sync
        </h2>
        <button type="button" className="button small" onClick={onManageAccounts}>
          Manage accounts…
        </button>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>
      <div className="panel-body">
        {servers.length === 0 ? (
          <EmptyState
            icon="sync"
            title="Your notes are on this device"
            action={
              <button type="button" className="button primary" onClick={onManageAccounts}>
                Add a server…
              </button>
            }
          >
            Add a Hoody Notes server to keep notebooks in sync across your devices and share them.
          </EmptyState>
        ) : (
          servers.map((account) => (
            <AccountSync
              key={account.id}
              account={account}
              status={statuses.get(account.id)}
              moves={moves.filter((m) => m.targetAccountId === account.id)}
            />
          ))
        )}
      </div>
    </dialog>
  );
}

interface AccountSyncProps {
  account: AccountView;
  status: SyncStatusView | undefined;
  /** Local notebooks being moved to this account. */
  moves: readonly NotebookMoveView[];
}

function AccountSync({ account, status, moves }: AccountSyncProps) {
  const api = useApi();
  const { check } = useToasts();
  const now = useNow(15_000);
  const summary = summarize(account, status, now);
  const outbox = useOutbox(account.id);
  const nodes = useNodes(account.id, outbox.data ?? []);
  const [busy, setBusy] = useState(false);
  const entries = outbox.data ?? [];
  const rejected = entries.filter((e) => e.status === 'rejected');
  const pending = entries.filter((e) => e.status === 'pending');

  const syncNow = async (): Promise<void> => {
    setBusy(true);
    check(await api.invoke('sync.now', { accountId: account.id }), 'sync');
    setBusy(false);
    outbox.reload();
  };

  return (
    <section className="sync-account" aria-label={account.name}>
      <div className="sync-account-head">
        <span className={`sync-dot tone-${summary.tone}`} aria-hidden="true" />
        <div className="sync-account-text">
          <strong>{account.name}</strong>
          <span className="sync-account-state">
            {summary.title} · {summary.detail}
          </span>
        </div>
        <button
          type="button"
          className="button small"
          disabled={busy}
          aria-label={`Sync ${account.name} now`}
          onClick={() => void syncNow()}
        >
          <Icon name="sync" size={14} className={busy ? 'spin' : undefined} />
          {busy ? 'Syncing…' : 'Sync now'}
        </button>
      </div>
      {status?.lastError ? (
        <p className="sync-problem">
          <Icon name="alert" size={14} />
          <span>
            {status.connection === 'up_to_date' || status.connection === 'syncing' ? 'Earlier problem: ' : ''}
            {status.lastError}
          </span>
        </p>
      ) : null}
      {moves.map((move) => (
        <div key={move.notebookId} className="sync-move" role="status">
          <span>
            Moving “{move.name}” from this device:{' '}
            {move.phase === 'creating'
              ? 'creating it on the server…'
              : `${move.confirmed.toLocaleString()} of ${move.total.toLocaleString()} changes confirmed`}
          </span>
          <progress value={move.confirmed} max={Math.max(1, move.total)} aria-label={`Moving ${move.name}`} />
          {move.error ? <span className="move-error">{move.error}</span> : null}
        </div>
      ))}
      {entries.length === 0 ? (
        <p className="sync-empty">
          <Icon name="check" size={14} /> Nothing waiting: every change on this device is on the server
          {status?.lastSyncedAt ? ` (confirmed ${relativeTime(status.lastSyncedAt, now)})` : ''}.
        </p>
      ) : null}
      {[
        {
          title: 'Refused by the server',
          hint: 'Your version is kept on this device. Copy it, try again, or discard it to take the server’s version.',
          all: rejected,
        },
        {
          title: 'Waiting to send',
          hint: 'Saved on this device; sent as soon as the server can be reached.',
          all: pending,
        },
      ].map(({ title, hint, all }) =>
        all.length > 0 ? (
          <OutboxList
            key={title}
            title={title}
            hint={hint}
            accountId={account.id}
            entries={all.slice(0, LISTED)}
            more={Math.max(0, all.length - LISTED)}
            nodes={nodes}
            onChanged={outbox.reload}
          />
        ) : null,
      )}
      <TransfersView accountId={account.id} />
    </section>
  );
}

interface OutboxListProps {
  title: string;
  hint: string;
  accountId: string;
  entries: readonly OutboxEntryView[];
  more?: number;
  nodes: ReadonlyMap<string, NodeView>;
  onChanged(): void;
}

/** One item's waiting changes (a page typed offline leaves many): listed, retried and discarded together. */
interface EntryGroup {
  objectId: string;
  entries: OutboxEntryView[];
}

function groupByObject(entries: readonly OutboxEntryView[]): EntryGroup[] {
  const groups = new Map<string, EntryGroup>();
  for (const entry of entries) {
    const group = groups.get(entry.objectId);
    if (group) group.entries.push(entry);
    else groups.set(entry.objectId, { objectId: entry.objectId, entries: [entry] });
  }
  return [...groups.values()];
}

/** "Edited the text (13 changes)", "Renamed, moved or changed · Edited the text"… */
function describeGroup(group: EntryGroup): string {
  const kinds = [...new Set(group.entries.map(describeChange))].join(' · ');
  return group.entries.length > 1 ? `${kinds} (${group.entries.length} changes)` : kinds;
}

type Discarding = { kind: 'all' } | { kind: 'group'; group: EntryGroup };

function OutboxList({ title, hint, accountId, entries, more = 0, nodes, onChanged }: OutboxListProps) {
  const api = useApi();
  const { check, notify } = useToasts();
  const [discarding, setDiscarding] = useState<Discarding | null>(null);
  const groups = groupByObject(entries);
  const refused = entries.some((entry) => entry.status === 'rejected');

  const copy = async (entry: OutboxEntryView): Promise<void> => {
    const node = nodes.get(entry.objectId);
    let text = entry.payload;
    let what = 'the change';
    if (entry.type === 'document.update' && node) {
      const opened = await api.invoke('document.open', { accountId, documentId: entry.objectId });
      if (opened.ok) {
        text = plainText(opened.value.content);
        what = 'the page text';
        void api.invoke('document.close', { accountId, documentId: entry.objectId });
      }
    } else if (node) {
      text = node.name;
      what = 'the name';
    }
    try {
      await navigator.clipboard.writeText(text);
      notify(`Copied ${what} of “${entryName(entry, node)}”`);
    } catch {
      notify('Could not use the clipboard here');
    }
  };

  const retry = async (objectId?: string): Promise<void> => {
    const result = await api.invoke('sync.retryRefused', { accountId, ...(objectId ? { objectId } : {}) });
    check(result, 'retry');
    onChanged();
  };

  const discard = async (target: Discarding): Promise<void> => {
    const scope = target.kind === 'group' ? { objectId: target.group.objectId } : {};
    const result = await api.invoke('sync.discardRefused', { accountId, ...scope });
    const count = check(result, 'discard the changes');
    if (count !== undefined)
      notify(count === 1 ? 'Discarded 1 change' : `Discarded ${count.toLocaleString()} changes`);
    onChanged();
  };

  const total = entries.length + more;
  return (
    <div className="outbox">
      <div className="outbox-head">
        <h3>
          {title} <span className="count">{total}</span>
        </h3>
        {refused && total > 1 ? (
          <div className="outbox-actions">
            <button type="button" className="button small" onClick={() => void retry()}>
              Retry all
            </button>
            <button
              type="button"
              className="button small danger-outline"
              onClick={() => setDiscarding({ kind: 'all' })}
            >
              Discard all…
            </button>
          </div>
        ) : null}
      </div>
      <p className="outbox-hint">{hint}</p>
      <ul className="outbox-list">
        {groups.map((group) => {
          const first = group.entries[0]!;
          const latest = group.entries.at(-1)!;
          const node = nodes.get(group.objectId);
          const name = entryName(first, node);
          const attempts = Math.max(...group.entries.map((entry) => entry.attempts));
          return (
            <li key={group.objectId} className={`outbox-entry ${first.status}`}>
              <Icon name={node?.type === 'section' ? 'section' : 'page'} size={16} />
              <div className="outbox-text">
                <span className="outbox-name">{name}</span>
                <span className="outbox-meta">
                  {describeGroup(group)} · {entryTime(latest.createdAt)}
                  {attempts > 0 && first.status === 'pending' ? ` · ${plural(attempts, 'attempt')}` : ''}
                </span>
                {latest.lastError ? <span className="outbox-reason">{latest.lastError}</span> : null}
              </div>
              {first.status === 'rejected' ? (
                <div className="outbox-actions">
                  <button
                    type="button"
                    className="button small"
                    aria-label={`Copy ${name}`}
                    onClick={() => void copy(latest)}
                  >
                    Copy
                  </button>
                  <button
                    type="button"
                    className="button small"
                    aria-label={`Retry ${name}`}
                    onClick={() => void retry(group.objectId)}
                  >
                    Retry
                  </button>
                  <button
                    type="button"
                    className="button small danger-outline"
                    aria-label={`Discard ${name}`}
                    onClick={() => setDiscarding({ kind: 'group', group })}
                  >
                    Discard
                  </button>
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
      {more > 0 ? <p className="outbox-more">and {more.toLocaleString()} more</p> : null}
      {discarding ? (
        <Dialog
          title={
            discarding.kind === 'all'
              ? `Discard all ${total.toLocaleString()} refused changes?`
              : 'Discard these changes?'
          }
          confirmLabel={discarding.kind === 'all' ? 'Discard all' : 'Discard'}
          danger
          onConfirm={() => void discard(discarding)}
          onClose={() => setDiscarding(null)}
        >
          <p>
            {discarding.kind === 'all'
              ? 'Every item listed here goes back to what the server has, and this device’s version of these changes is deleted.'
              : `“${entryName(discarding.group.entries[0]!, nodes.get(discarding.group.objectId))}” goes back to what the server has, and this device’s version of ${discarding.group.entries.length === 1 ? 'the change' : `its ${discarding.group.entries.length} changes`} is deleted.`}{' '}
            Copy it first if you may still need it. Open pages show the server’s version at once.
          </p>
        </Dialog>
      ) : null}
    </div>
  );
}
