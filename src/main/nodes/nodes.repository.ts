import { NESTED_CONTENT_TYPES, type StoredNodeType } from '../../shared/model/nodes';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';
import { indexNode } from '../search/search-index.repository';

export interface NodeRow {
  id: string;
  notebookId: string;
  type: StoredNodeType;
  parentId: string | null;
  rootId: string;
  index: string;
  name: string;
  icon: string | null;
  trashedAt: string | null;
  attributes: string;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
  serverRevision: number;
  localRevision: number;
}

/** Column list mapped to NodeRow; `t` qualifies columns when the query joins. */
const columns = (t = ''): string =>
  `${t}id, ${t}notebook_id AS notebookId, ${t}type, ${t}parent_id AS parentId, ${t}root_id AS rootId,
  ${t}sort_index AS "index", ${t}name, ${t}icon, ${t}trashed_at AS trashedAt, ${t}attributes,
  ${t}created_at AS createdAt, ${t}created_by AS createdBy, ${t}updated_at AS updatedAt, ${t}updated_by AS updatedBy,
  ${t}server_revision AS serverRevision, ${t}local_revision AS localRevision`;
const COLUMNS = columns();

/** What a NodeView shows: the tree (start-up's first query, decision 0009) reads only these columns. */
export type NodeViewRow = Pick<
  NodeRow,
  | 'id'
  | 'notebookId'
  | 'type'
  | 'parentId'
  | 'rootId'
  | 'index'
  | 'name'
  | 'icon'
  | 'trashedAt'
  | 'createdAt'
  | 'updatedAt'
>;
/**
 * A notebook's tree rows, in order, as one JSON text of arrays. Records and messages are left out: they are
 * shown in their database or channel, and one database may hold 50,000. The rows come from the nodes_by_order
 * index (test/unit/nodes.test.ts checks the plan); the aggregate's own ORDER BY is what guarantees their order
 * (a subquery's would not) and costs ~2 ms at 5,000 rows, already in order. At start-up (5,000 rows, cold
 * process) handing 50,000 column values to JavaScript one by one cost ~25 ms of CPU; SQLite writes the JSON in
 * ~10 and JSON.parse reads it in a few.
 */
export const NOTEBOOK_VIEWS_SQL = `SELECT json_group_array(json_array(id, type, parent_id, root_id, sort_index, name,
  icon, trashed_at, created_at, updated_at) ORDER BY sort_index, id) FROM nodes WHERE notebook_id = ? AND type NOT IN
  (${NESTED_CONTENT_TYPES.map((t) => `'${t}'`).join(', ')})`;
type NodeViewTuple = [
  id: string,
  type: StoredNodeType,
  parentId: string | null,
  rootId: string,
  index: string,
  name: string,
  icon: string | null,
  trashedAt: string | null,
  createdAt: string,
  updatedAt: string,
];

/** SQL for the materialised node rows and their Yjs state/update rows. No business rules here. */
/** A node (or its page's document) deleted for good: ids are never reused, nothing may bring it back. */
export function isTombstoned(db: Db, id: string): boolean {
  return prepared(db, 'SELECT 1 FROM tombstones WHERE id = ?').get(id) !== undefined;
}

/** The notebook a node is in, or null when this replica has no such node. */
export function notebookOfNode(db: Db, id: string): string | null {
  return (
    (prepared(db, 'SELECT notebook_id FROM nodes WHERE id = ?').pluck().get(id) as string | undefined) ?? null
  );
}

export class NodesRepository {
  constructor(private readonly db: Db) {}

  get(id: string): NodeRow | undefined {
    return prepared(this.db, `SELECT ${COLUMNS} FROM nodes WHERE id = ?`).get(id) as NodeRow | undefined;
  }

  listNotebook(notebookId: string): NodeRow[] {
    return prepared(
      this.db,
      `SELECT ${COLUMNS} FROM nodes WHERE notebook_id = ? ORDER BY sort_index, id`,
    ).all(notebookId) as NodeRow[];
  }

  /**
   * A notebook's nodes as the tree shows them: listNotebook without attributes, authors and revisions, read as
   * one JSON text. At start-up (5,000 rows, cold) named 16-column rows cost about four times as much (decision
   * 0009).
   */
  listNotebookViews(notebookId: string): NodeViewRow[] {
    const json = prepared(this.db, NOTEBOOK_VIEWS_SQL).pluck().get(notebookId) as string;
    return (JSON.parse(json) as NodeViewTuple[]).map(
      ([id, type, parentId, rootId, index, name, icon, trashedAt, createdAt, updatedAt]) => ({
        id,
        notebookId,
        type,
        parentId,
        rootId,
        index,
        name,
        icon,
        trashedAt,
        createdAt,
        updatedAt,
      }),
    );
  }

  /** Just what ordering needs: sibling ids and indexes, from the (notebook, parent, index) index. */
  siblingOrder(notebookId: string, parentId: string | null): { id: string; index: string }[] {
    const sql =
      parentId === null
        ? 'SELECT id, sort_index AS "index" FROM nodes WHERE notebook_id = ? AND parent_id IS NULL'
        : 'SELECT id, sort_index AS "index" FROM nodes WHERE notebook_id = ? AND parent_id = ?';
    const args = parentId === null ? [notebookId] : [notebookId, parentId];
    return prepared(this.db, sql).all(...args) as { id: string; index: string }[];
  }

  lastSiblingIndex(notebookId: string, parentId: string | null, excludeId: string): string | null {
    const sql =
      parentId === null
        ? 'SELECT max(sort_index) FROM nodes WHERE notebook_id = ? AND parent_id IS NULL AND id != ?'
        : 'SELECT max(sort_index) FROM nodes WHERE notebook_id = ? AND parent_id = ? AND id != ?';
    const args = parentId === null ? [notebookId, excludeId] : [notebookId, parentId, excludeId];
    return (
      (prepared(this.db, sql)
        .pluck()
        .get(...args) as string | null) ?? null
    );
  }

  hasPendingUpdates(nodeId: string): boolean {
    return (
      prepared(this.db, 'SELECT 1 FROM node_updates WHERE node_id = ? LIMIT 1').get(nodeId) !== undefined
    );
  }

  nodesWithPendingUpdates(): string[] {
    return prepared(this.db, 'SELECT DISTINCT node_id FROM node_updates').pluck().all() as string[];
  }

  /** Trashed nodes whose parent is not itself trashed: what the Trash view lists. */
  listTrashRoots(notebookId: string): NodeRow[] {
    return prepared(
      this.db,
      `SELECT ${columns('n.')} FROM nodes n WHERE n.notebook_id = ? AND n.trashed_at IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM nodes p WHERE p.id = n.parent_id AND p.trashed_at IS NOT NULL)
         ORDER BY n.trashed_at DESC`,
    ).all(notebookId) as NodeRow[];
  }

  /** The node and all its descendants, parents before children. */
  subtreeIds(id: string): string[] {
    return prepared(
      this.db,
      `WITH RECURSIVE sub(id, depth) AS (SELECT ?, 0 UNION ALL
           SELECT n.id, sub.depth + 1 FROM nodes n JOIN sub ON n.parent_id = sub.id)
         SELECT id FROM sub ORDER BY depth`,
    )
      .pluck()
      .all(id) as string[];
  }

  /** How many nodes of each type are below `id` (not counting it). */
  descendantCounts(id: string): { type: string; count: number }[] {
    return prepared(
      this.db,
      `WITH RECURSIVE sub(id) AS (SELECT id FROM nodes WHERE parent_id = ? UNION ALL
           SELECT n.id FROM nodes n JOIN sub ON n.parent_id = sub.id)
         SELECT n.type, count(*) AS count FROM sub JOIN nodes n ON n.id = sub.id GROUP BY n.type ORDER BY n.type`,
    ).all(id) as { type: string; count: number }[];
  }

  /** Direct children (by the materialised parent link). */
  childIds(id: string): string[] {
    return prepared(this.db, 'SELECT id FROM nodes WHERE parent_id = ?').pluck().all(id) as string[];
  }

  /** A deleted node (ids are never reused: nothing may bring it back). */
  isTombstoned(id: string): boolean {
    return isTombstoned(this.db, id);
  }

  /** The node's outbox rows (pending or rejected), oldest first, with their wire JSON. */
  waitingMutations(nodeId: string): { id: string; type: string; payload: string }[] {
    return prepared(this.db, 'SELECT id, type, payload FROM outbox WHERE object_id = ? ORDER BY seq').all(
      nodeId,
    ) as { id: string; type: string; payload: string }[];
  }

  idsInRoot(rootId: string): string[] {
    return prepared(this.db, 'SELECT id FROM nodes WHERE root_id = ?').pluck().all(rootId) as string[];
  }

  /** Ancestors from the parent up to the root. */
  /**
   * The page with this alias in a notebook (or any notebook, `notebookId` null), one not in the trash
   * first. Aliases live in the attributes; a notebook's rows are read through its index.
   */
  pageByAlias(notebookId: string | null, alias: string): NodeRow | undefined {
    return prepared(
      this.db,
      `SELECT ${COLUMNS} FROM nodes
        WHERE (@notebookId IS NULL OR notebook_id = @notebookId) AND type = 'page'
          AND json_extract(attributes, '$.alias') = @alias
        ORDER BY trashed_at IS NOT NULL, id LIMIT 1`,
    ).get({ notebookId, alias }) as NodeRow | undefined;
  }

  ancestors(id: string): NodeRow[] {
    return prepared(
      this.db,
      `WITH RECURSIVE up(id, depth) AS (SELECT parent_id, 1 FROM nodes WHERE id = ? UNION ALL
           SELECT n.parent_id, up.depth + 1 FROM nodes n JOIN up ON n.id = up.id WHERE n.parent_id IS NOT NULL)
         SELECT ${columns('n.')} FROM up JOIN nodes n ON n.id = up.id ORDER BY up.depth`,
    ).all(id) as NodeRow[];
  }

  insert(row: NodeRow): void {
    prepared(
      this.db,
      `INSERT INTO nodes (id, notebook_id, type, parent_id, root_id, sort_index, name, icon, trashed_at, attributes,
           created_at, created_by, updated_at, updated_by, server_revision, local_revision)
         VALUES (@id, @notebookId, @type, @parentId, @rootId, @index, @name, @icon, @trashedAt, @attributes,
           @createdAt, @createdBy, @updatedAt, @updatedBy, @serverRevision, @localRevision)`,
    ).run(row);
    indexNode(this.db, row);
  }

  update(row: NodeRow): void {
    prepared(
      this.db,
      `UPDATE nodes SET parent_id = @parentId, root_id = @rootId, sort_index = @index, name = @name, icon = @icon,
           trashed_at = @trashedAt, attributes = @attributes, updated_at = @updatedAt, updated_by = @updatedBy,
           local_revision = @localRevision WHERE id = @id`,
    ).run(row);
    indexNode(this.db, row);
  }

  setRoot(ids: readonly string[], rootId: string): void {
    const statement = prepared(this.db, 'UPDATE nodes SET root_id = ? WHERE id = ?');
    for (const id of ids) statement.run(rootId, id);
  }

  delete(ids: readonly string[]): void {
    const statement = prepared(this.db, 'DELETE FROM nodes WHERE id = ?');
    for (const id of ids) statement.run(id);
  }

  state(id: string): Uint8Array | undefined {
    return prepared(this.db, 'SELECT state FROM node_states WHERE id = ?').pluck().get(id) as
      Uint8Array | undefined;
  }

  pendingUpdates(id: string): Uint8Array[] {
    return prepared(this.db, 'SELECT data FROM node_updates WHERE node_id = ? ORDER BY rowid')
      .pluck()
      .all(id) as Uint8Array[];
  }

  /** Drops the node's pending updates (before one update that replaces them all is written). */
  deletePendingUpdates(nodeId: string): void {
    prepared(this.db, 'DELETE FROM node_updates WHERE node_id = ?').run(nodeId);
  }

  insertUpdate(id: string, nodeId: string, data: Uint8Array, createdAt: string): void {
    prepared(this.db, 'INSERT INTO node_updates (id, node_id, data, created_at) VALUES (?, ?, ?, ?)').run(
      id,
      nodeId,
      data,
      createdAt,
    );
  }

  insertTombstone(id: string, notebookId: string, rootId: string, data: unknown, deletedAt: string): void {
    prepared(
      this.db,
      'INSERT OR REPLACE INTO tombstones (id, notebook_id, root_id, data, deleted_at) VALUES (?, ?, ?, ?, ?)',
    ).run(id, notebookId, rootId, JSON.stringify(data), deletedAt);
  }
}
