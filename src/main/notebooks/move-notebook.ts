import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  openSync,
  fsyncSync,
  closeSync,
} from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import * as Y from 'yjs';
import type { NotebookMoveView } from '../../shared/contract';
import { toBase64 } from '../../shared/lib/base64';
import { IdPrefix, newId } from '../../shared/lib/ids';
import { AppError, ErrorCode, badRequest, notFound } from '../../shared/lib/result';
import { MutationType } from '../../shared/model/mutations';
import { hasDocument } from '../../shared/model/nodes';
import type { ServerClient } from '../accounts/server-client';
import type { AccountContext } from '../core/account-context';
import { isoNow, type Clock } from '../lib/clock';
import { isEvent, type EventBus } from '../lib/events';
import { DocumentsRepository } from '../documents/documents.repository';
import { NodesRepository, type NodeRow } from '../nodes/nodes.repository';
import { enqueueMutation, outboxCounts } from '../outbox/outbox.repository';
import type { StoredAccount } from '../settings/app-store.repository';

/**
 * A move in progress, as kept on disk (`<dataDir>/moves/<notebookId>.json`, written atomically) so it resumes
 * after a restart. `copied` remembers what was sent of each node/document (its local revision), so a resumed
 * or repeated copy sends only what is new; re-sending is harmless anyway (Yjs merges are idempotent).
 */
interface MoveJob {
  notebookId: string;
  sourceAccountId: string;
  name: string;
  targetAccountId: string;
  targetNotebookId: string | null;
  /**
   * The `POST /notebooks` request, saved before it is first sent: its `Idempotency-Key` and body. Sent again
   * unchanged until the id is saved, so a move resumed after the server created the notebook (killed before
   * saving the id, or the answer lost) gets that notebook back instead of a second one. Absent in job files
   * written before it existed (made on their first attempt then).
   */
  create?: { idempotencyKey: string; description: string };
  total: number;
  copied: Record<string, string>;
}

export interface NotebookMoverDeps {
  dataDir: string;
  account(accountId: string): StoredAccount | undefined;
  context(accountId: string): AccountContext;
  client(accountId: string): ServerClient;
  events: EventBus;
  clock: Clock;
  /** Waits between attempts while the server is unreachable or refused something (tests shorten it). */
  retryMs?: number;
}

/** How long to wait before checking again whether the server confirmed everything, without a status event. */
const POLL_MS = 1_000;

/**
 * Moves a Local notebook to a server account (docs/decisions/0006-move-notebook.md): creates the notebook on
 * the server, writes every node and document into the server account's replica as ordinary pending
 * mutations (same ids, full Yjs state), lets the outbox send them, and deletes the Local copy only when the
 * server account's outbox holds nothing more for that notebook. Interrupted anywhere, nothing is lost: the
 * Local copy is still there and the job resumes from its file.
 */
export class NotebookMover {
  private readonly jobs = new Map<string, { job: MoveJob; view: NotebookMoveView }>();
  private readonly stopped = new AbortController();

  constructor(private readonly deps: NotebookMoverDeps) {}

  private get dir(): string {
    return join(this.deps.dataDir, 'moves');
  }

  list(): NotebookMoveView[] {
    return [...this.jobs.values()].map((j) => j.view);
  }

  start(accountId: string, notebookId: string, targetAccountId: string): NotebookMoveView {
    const source = this.deps.account(accountId);
    if (!source) throw notFound('Account', accountId);
    if (source.kind !== 'local')
      throw badRequest('Only notebooks on this device can be moved to a server', [
        { path: 'accountId', message: 'is a server account' },
      ]);
    const target = this.deps.account(targetAccountId);
    if (!target) throw notFound('Account', targetAccountId);
    if (target.kind !== 'server' || !this.deps.context(targetAccountId).sync)
      throw badRequest('Choose a signed-in server account to move the notebook to', [
        { path: 'targetAccountId', message: 'is not a signed-in server account' },
      ]);
    const notebook = this.deps.context(accountId).notebooks.get(notebookId);
    if (this.jobs.has(notebookId))
      throw new AppError(ErrorCode.conflict, `“${notebook.name}” is already being moved`, [
        { path: 'notebookId', message: 'is being moved' },
      ]);
    const job: MoveJob = {
      notebookId,
      sourceAccountId: accountId,
      name: notebook.name,
      targetAccountId,
      targetNotebookId: null,
      total: 0,
      copied: {},
    };
    this.save(job);
    return this.launch(job);
  }

  /** Continues the moves a previous run left unfinished. */
  resumeAll(): void {
    let files: string[];
    try {
      files = readdirSync(this.dir).filter((f) => f.endsWith('.json'));
    } catch {
      return;
    }
    for (const file of files) {
      const job = JSON.parse(readFileSync(join(this.dir, file), 'utf8')) as MoveJob;
      if (!this.jobs.has(job.notebookId)) this.launch(job);
    }
  }

  stop(): void {
    this.stopped.abort();
  }

  private launch(job: MoveJob): NotebookMoveView {
    const view: NotebookMoveView = {
      notebookId: job.notebookId,
      name: job.name,
      targetAccountId: job.targetAccountId,
      targetNotebookId: job.targetNotebookId,
      phase: job.targetNotebookId ? 'uploading' : 'creating',
      confirmed: 0,
      total: job.total,
      error: null,
    };
    this.jobs.set(job.notebookId, { job, view });
    void this.run(job, view);
    return { ...view };
  }

  private async run(job: MoveJob, view: NotebookMoveView): Promise<void> {
    const signal = this.stopped.signal;
    while (!signal.aborted) {
      try {
        if (await this.step(job, view)) return;
        view.error = null;
      } catch (error) {
        if (signal.aborted) return;
        if (!this.deps.account(job.targetAccountId) || !this.deps.account(job.sourceAccountId)) {
          // An account went away: the Local copy is untouched, so the move just ends.
          this.forget(job);
          this.publish({ ...view, phase: 'failed', error: 'The account was removed; nothing was moved' });
          return;
        }
        view.error = error instanceof Error ? error.message : String(error);
        this.publish(view);
        await this.sleep(this.deps.retryMs ?? 5_000);
        continue;
      }
      await this.nextStatus(job.targetAccountId);
    }
  }

  /** One round; answers true when the move finished. */
  private async step(job: MoveJob, view: NotebookMoveView): Promise<boolean> {
    const target = this.deps.context(job.targetAccountId);
    if (job.targetNotebookId === null) {
      if (!job.create) {
        job.create = {
          idempotencyKey: `move-${job.notebookId}-${randomUUID()}`,
          description: this.source(job).notebooks.get(job.notebookId).description,
        };
        this.save(job);
      }
      const created = await this.deps
        .client(job.targetAccountId)
        .createNotebook({ name: job.name, description: job.create.description }, job.create.idempotencyKey);
      // Saved even when quitting meanwhile: the server has it now.
      job.targetNotebookId = created.id;
      this.save(job);
      if (this.stopped.signal.aborted) return true;
      target.notebooks.mirror([{ ...created, role: created.user.role }]);
      view.targetNotebookId = created.id;
      view.phase = 'uploading';
    }
    const sent = this.copy(job, target);
    if (sent > 0) {
      void target.sync?.syncNow();
    }
    const remaining = outboxCounts(target.replica.db, job.targetNotebookId);
    view.total = job.total;
    view.confirmed = Math.max(0, job.total - remaining.pending - remaining.rejected);
    if (remaining.rejected > 0)
      view.error = `The server refused ${remaining.rejected} change(s); retry or copy them from the Sync panel`;
    if (sent > 0 || remaining.pending > 0 || remaining.rejected > 0) {
      this.publish(view);
      return false;
    }
    // Last check before deleting: every Local node and document is contained in the server account's
    // replica (a change discarded in the Sync panel, for instance, is not); whatever is not is sent again.
    const missing = this.notContained(job, target);
    if (missing.length > 0) {
      job.copied = Object.fromEntries(Object.entries(job.copied).filter(([key]) => !missing.includes(key)));
      this.save(job);
      return false;
    }
    // Everything is on the server, and nothing changed here since: the Local copy can go.
    this.source(job).notebooks.delete(job.notebookId);
    this.forget(job);
    this.publish({ ...view, phase: 'done', confirmed: job.total, error: null });
    return true;
  }

  /**
   * Writes what changed in the Local notebook since the last copy into the server account's replica, in one
   * transaction there: parents before children, each node's and document's whole Yjs state as one pending
   * update with its outbox mutation. Answers how many mutations it queued.
   */
  private copy(job: MoveJob, target: AccountContext): number {
    const targetNotebookId = job.targetNotebookId;
    if (targetNotebookId === null) return 0;
    const source = this.source(job);
    const from = {
      nodes: new NodesRepository(source.replica.db),
      documents: new DocumentsRepository(source.replica.db),
    };
    const to = {
      nodes: new NodesRepository(target.replica.db),
      documents: new DocumentsRepository(target.replica.db),
    };
    const now = isoNow(this.deps.clock);
    const copied: Record<string, string> = {};
    let queued = 0;
    target.replica.db.transaction(() => {
      for (const row of parentsFirst(from.nodes.listNotebook(job.notebookId))) {
        const nodeKey = `node:${row.id}`;
        const nodeMark = `${row.localRevision}:${row.updatedAt}`;
        if (job.copied[nodeKey] !== nodeMark) {
          const existing = to.nodes.get(row.id);
          const moved: NodeRow = {
            ...row,
            notebookId: targetNotebookId,
            createdBy: target.replica.userId,
            serverRevision: existing?.serverRevision ?? 0,
            localRevision: (existing?.localRevision ?? 0) + 1,
          };
          if (existing) to.nodes.update(moved);
          else to.nodes.insert(moved);
          const state = merged(from.nodes.state(row.id), from.nodes.pendingUpdates(row.id));
          const updateId = newId(IdPrefix.update);
          to.nodes.insertUpdate(updateId, row.id, state, now);
          enqueueMutation(target.replica.db, targetNotebookId, {
            id: newId(IdPrefix.mutation),
            createdAt: now,
            type: existing ? MutationType.nodeUpdate : MutationType.nodeCreate,
            data: { nodeId: row.id, updateId, createdAt: now, data: toBase64(state) },
          });
          queued++;
        }
        copied[nodeKey] = nodeMark;
        if (!hasDocument(row.type)) continue;
        const document = from.documents.get(row.id);
        if (!document) continue;
        const docKey = `document:${row.id}`;
        const docMark = `${document.localRevision}:${document.updatedAt}`;
        copied[docKey] = docMark;
        if (job.copied[docKey] === docMark) continue;
        if (!to.documents.get(row.id)) to.documents.insertEmpty(row.id, targetNotebookId, now);
        const stored = from.documents.state(row.id);
        const pending = from.documents.pendingUpdates(row.id);
        if (!stored && pending.length === 0) continue;
        const state = merged(stored, pending);
        const updateId = newId(IdPrefix.update);
        to.documents.insertUpdate(updateId, row.id, state, now);
        enqueueMutation(target.replica.db, targetNotebookId, {
          id: newId(IdPrefix.mutation),
          createdAt: now,
          type: MutationType.documentUpdate,
          data: { documentId: row.id, updateId, createdAt: now, data: toBase64(state) },
        });
        queued++;
      }
    })();
    job.copied = copied;
    job.total += queued;
    this.save(job);
    if (queued > 0)
      this.deps.events.emit('node.changed', {
        accountId: job.targetAccountId,
        notebookId: targetNotebookId,
        nodeIds: Object.keys(copied)
          .filter((k) => k.startsWith('node:'))
          .map((k) => k.slice(5)),
      });
    return queued;
  }

  /** `copied` keys of Local objects whose Yjs state has something the server account's replica lacks. */
  private notContained(job: MoveJob, target: AccountContext): string[] {
    const source = this.source(job);
    const repos = (context: AccountContext) => ({
      node: new NodesRepository(context.replica.db),
      document: new DocumentsRepository(context.replica.db),
    });
    const from = repos(source);
    const to = repos(target);
    const missing: string[] = [];
    const check = (kind: 'node' | 'document', id: string): void => {
      const local = [from[kind].state(id), ...from[kind].pendingUpdates(id)].filter(isBytes);
      if (local.length === 0) return;
      const there = [to[kind].state(id), ...to[kind].pendingUpdates(id)].filter(isBytes);
      if (!covers(there, local)) missing.push(`${kind}:${id}`);
    };
    for (const row of from.node.listNotebook(job.notebookId)) {
      check('node', row.id);
      if (hasDocument(row.type)) check('document', row.id);
    }
    return missing;
  }

  private source(job: MoveJob): AccountContext {
    return this.deps.context(job.sourceAccountId);
  }

  /** Resolves on the target account's next sync status change (or after a while without one). */
  private nextStatus(accountId: string): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        off();
        clearTimeout(timer);
        this.stopped.signal.removeEventListener('abort', done);
        resolve();
      };
      const off = this.deps.events.on((event) => {
        if (isEvent(event, 'sync.status') && event.payload.accountId === accountId) done();
      });
      const timer = setTimeout(done, POLL_MS);
      this.stopped.signal.addEventListener('abort', done);
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.stopped.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private publish(view: NotebookMoveView): void {
    if (!this.stopped.signal.aborted) this.deps.events.emit('notebook.move', { ...view });
  }

  private forget(job: MoveJob): void {
    this.jobs.delete(job.notebookId);
    rmSync(this.file(job.notebookId), { force: true });
  }

  private file(notebookId: string): string {
    return join(this.dir, `${notebookId}.json`);
  }

  /** Atomic and durable: a crash leaves the old file or the new one, never half of one. */
  private save(job: MoveJob): void {
    mkdirSync(this.dir, { recursive: true });
    const path = this.file(job.notebookId);
    const temp = `${path}.tmp`;
    writeFileSync(temp, JSON.stringify(job));
    const fd = openSync(temp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  }
}

const isBytes = (value: Uint8Array | undefined): value is Uint8Array => value !== undefined;

/** True when the updates `there` already contain everything `local` has inserted (per-client clocks). */
function covers(there: readonly Uint8Array[], local: readonly Uint8Array[]): boolean {
  if (there.length === 0) return false;
  const have = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(merged(there[0], there.slice(1))));
  const need = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(merged(local[0], local.slice(1))));
  for (const [client, clock] of need) if ((have.get(client) ?? 0) < clock) return false;
  return true;
}

function merged(state: Uint8Array | undefined, pending: readonly Uint8Array[]): Uint8Array {
  const blobs = [...(state ? [state] : []), ...pending];
  return blobs.length === 1 ? blobs[0]! : Y.mergeUpdates(blobs);
}

/** Nodes ordered so that every parent comes before its children (the server needs the parent first). */
function parentsFirst(rows: readonly NodeRow[]): NodeRow[] {
  const byParent = new Map<string | null, NodeRow[]>();
  for (const row of rows) {
    const siblings = byParent.get(row.parentId) ?? [];
    siblings.push(row);
    byParent.set(row.parentId, siblings);
  }
  const ids = new Set(rows.map((r) => r.id));
  const out: NodeRow[] = [];
  const visit = (parentId: string | null): void => {
    for (const row of byParent.get(parentId) ?? []) {
      out.push(row);
      visit(row.id);
    }
  };
  visit(null);
  // Orphans (a parent missing locally) still travel, after everything else: nothing is left behind.
  for (const [parentId, children] of byParent)
    if (parentId !== null && !ids.has(parentId))
      for (const row of children) if (!out.includes(row)) out.push(row);
  return out;
}
