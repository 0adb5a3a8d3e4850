import { MutationType } from '../../shared/model/mutations';
import { fromBase64 } from '../../shared/lib/base64';
import { AppError, ErrorCode, badRequest } from '../../shared/lib/result';
import type { Db } from '../db/open';
import { dropPendingUpdate, type YjsKind } from '../replica/confirmed-state.repository';
import {
  deleteOutboxRow,
  getOutboxRow,
  markPending,
  refusedRows,
  yjsRowsBesideRefused,
  yjsRowsOf,
  type OutboxRow,
  type WaitingYjsRow,
} from './outbox.repository';
import { buildingOn, neededRefused, type WaitingUpdate } from './yjs-dependencies';

/**
 * What happens to changes the server refused (docs/sync-protocol.md §7). They stay refused — shown, their
 * content kept — until the user retries or discards them, one page at a time or all at once; except that a
 * later edit which builds on a refused one takes it along (see `carryRefusedDependencies`).
 */

const kindOf = (type: string): YjsKind => (type === MutationType.documentUpdate ? 'document' : 'node');
const objectKey = (row: Pick<WaitingYjsRow, 'type' | 'objectId'>): string =>
  `${kindOf(row.type)}:${row.objectId}`;
const asUpdate = (row: WaitingYjsRow): WaitingUpdate & { row: WaitingYjsRow } => ({
  seq: row.seq,
  update: fromBase64(row.data),
  row,
});

function byObject(rows: readonly WaitingYjsRow[]): Map<string, WaitingYjsRow[]> {
  const groups = new Map<string, WaitingYjsRow[]>();
  for (const row of rows) {
    const key = objectKey(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

/**
 * Before sending a notebook's outbox: a pending Yjs update that builds on a refused one of the same object
 * (every later edit from the same editor does, through its clock) would be accepted by the server and yet
 * never show — anywhere — without it. So the refused ones it needs are marked pending again and go first, in
 * their place: if the server now accepts them (the role came back), everything applies; if not, the later
 * edit is refused with them and shown beside them. Answers how many were carried. Runs between batches.
 */
export function carryRefusedDependencies(db: Db, notebookId: string): number {
  const rows = yjsRowsBesideRefused(db, notebookId);
  if (rows.length === 0) return 0;
  const carried: string[] = [];
  for (const group of byObject(rows).values()) {
    const pending = group.filter((row) => row.status === 'pending').map(asUpdate);
    if (pending.length === 0) continue;
    const refused = group.filter((row) => row.status === 'rejected').map(asUpdate);
    for (const needed of neededRefused(pending, refused) as typeof refused) carried.push(needed.row.id);
  }
  if (carried.length > 0) db.transaction(() => carried.forEach((id) => markPending(db, id)))();
  return carried.length;
}

export interface RefusedScope {
  notebookId?: string | undefined;
  /** A page or section: its refused changes of every kind. */
  objectId?: string | undefined;
}

/** Sends refused changes again (each is evaluated again by the server). Answers how many. */
export function retryRefused(db: Db, scope: RefusedScope): number {
  const rows = refusedRows(db, scope);
  db.transaction(() => rows.forEach((row) => markPending(db, row.id)))();
  return rows.length;
}

/** What a discard removed, for the caller to re-materialise and announce. */
export interface Discarded {
  rows: OutboxRow[];
  /** Objects whose pending Yjs rows went, by kind. */
  nodes: Set<string>;
  documents: Set<string>;
}

/**
 * Drops refused changes and their local content — the only path that reverts local content (the user chose
 * it). A refused Yjs update takes along the refused ones of the same object that build on it (they could
 * never apply without it); one that a *pending* edit builds on is not discarded (that edit may be in flight):
 * the caller is told to try again. One transaction; `reload` re-materialises each object touched.
 */
export function discardRefused(
  db: Db,
  rows: readonly OutboxRow[],
  reload: { node(nodeId: string): void; document(documentId: string): void },
): Discarded {
  const result: Discarded = { rows: [], nodes: new Set(), documents: new Set() };
  db.transaction(() => {
    const gone = new Set<string>();
    for (const row of rows) {
      if (row.status !== 'rejected')
        throw badRequest('Only a refused change can be discarded', [
          { path: 'mutationId', message: 'is still being sent' },
        ]);
      if (gone.has(row.id)) continue;
      for (const dropped of [row, ...laterBuildingOn(db, row)]) {
        if (gone.has(dropped.id)) continue;
        gone.add(dropped.id);
        drop(db, dropped, result);
      }
    }
    for (const nodeId of result.nodes) reload.node(nodeId);
    for (const documentId of result.documents) reload.document(documentId);
  })();
  return result;
}

/** The refused rows of `row`'s object that build on it; throws when a pending one does. */
function laterBuildingOn(db: Db, row: OutboxRow): OutboxRow[] {
  const kind = carriedKind(row);
  if (!kind) return [];
  const group = yjsRowsOf(db, row.objectId)
    .filter((r) => kindOf(r.type) === kind)
    .map(asUpdate);
  const self = group.find((r) => r.row.id === row.id);
  if (!self) return [];
  const dependents = buildingOn(self, group) as typeof group;
  const waiting = dependents.find((d) => d.row.status === 'pending');
  if (waiting)
    throw new AppError(
      ErrorCode.conflict,
      'A later edit builds on this change and is being sent; try again in a moment',
      [{ path: 'mutationId', message: `${waiting.row.id} is pending` }],
    );
  return dependents.flatMap((d) => getOutboxRow(db, d.row.id) ?? []);
}

function carriedKind(row: OutboxRow): YjsKind | null {
  switch (row.mutation.type) {
    case MutationType.nodeCreate:
    case MutationType.nodeUpdate:
      return 'node';
    case MutationType.documentUpdate:
      return 'document';
    default:
      return null;
  }
}

function drop(db: Db, row: OutboxRow, result: Discarded): void {
  deleteOutboxRow(db, row.id);
  result.rows.push(row);
  const kind = carriedKind(row);
  if (!kind) return;
  const { updateId } = (row.mutation as { data: { updateId: string } }).data;
  dropPendingUpdate(db, kind, updateId);
  result[kind === 'node' ? 'nodes' : 'documents'].add(row.objectId);
}
