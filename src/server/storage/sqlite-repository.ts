import type {
  CollaborationRow,
  CommentActivityRow,
  CollaboratorTimesRow,
  DocumentRow,
  IdempotencyRow,
  InteractionRow,
  MemberWithAccount,
  NodeFilter,
  NodeRow,
  NotesRepository,
  ReactionRow,
  TombstoneRow,
  UpdateRow,
} from './repository';
import { present } from '../invariant';
import { SqliteContentRepository } from './sqlite-content';
import {
  MEMBER_COLUMNS,
  NODE_COLUMNS,
  UPDATE_COLUMNS,
  REACTION_COLUMNS,
  INTERACTION_COLUMNS,
  COLLABORATION_COLUMNS,
  TOMBSTONE_COLUMNS,
  toNode,
  bytes,
  type Params,
  type RawNode,
} from './sqlite-columns';

/**
 * better-sqlite3 implementation of the repository: nodes, documents, reactions, interactions, collaborations,
 * applied mutations and the stream reads here, the rest in the parts it extends (sqlite-content, -accounts,
 * -base).
 */
export class SqliteNotesRepository extends SqliteContentRepository implements NotesRepository {
  getNode(id: string): NodeRow | undefined {
    const cached = this.nodeCache.get(id);
    if (cached !== undefined) return cached ?? undefined;
    const node = toNode(this.get<RawNode>(`SELECT ${NODE_COLUMNS} FROM nodes WHERE id = ?`, [id]));
    this.nodeCache.set(id, node ?? null);
    return node;
  }
  findNodeByAlias(notebookId: string, alias: string): NodeRow | undefined {
    return toNode(
      this.get<RawNode>(`SELECT ${NODE_COLUMNS} FROM nodes WHERE notebook_id = ? AND alias = ?`, [
        notebookId,
        alias,
      ]),
    );
  }
  insertNode(row: NodeRow): void {
    this.run(
      `INSERT INTO nodes (id, notebook_id, type, parent_id, root_id, alias, attributes, state, created_at,
         created_by, updated_at, updated_by, revision)
       VALUES (@id, @notebookId, @type, @parentId, @rootId, @alias, @attributes, @state, @createdAt, @createdBy,
         @updatedAt, @updatedBy, @revision)`,
      { ...row, attributes: JSON.stringify(row.attributes), state: bytes(row.state) },
    );
    this.nodeCache.set(row.id, row);
  }
  updateNode(row: NodeRow): void {
    const before = this.nodeCache.peek(row.id);
    // Most updates keep parent and alias: leaving those columns out spares their indexes a rewrite.
    const placed = !before || before.parentId !== row.parentId || before.alias !== row.alias;
    this.run(
      `UPDATE nodes SET ${placed ? 'parent_id = @parentId, alias = @alias, ' : ''}attributes = @attributes,
         state = @state, updated_at = @updatedAt, updated_by = @updatedBy, revision = @revision WHERE id = @id`,
      { ...row, attributes: JSON.stringify(row.attributes), state: bytes(row.state) },
    );
    this.nodeCache.set(row.id, row);
  }
  listNodes(filter: NodeFilter): { rows: NodeRow[]; total: number } {
    const where = ['notebook_id = @notebookId'];
    if (filter.type !== undefined) where.push('type = @type');
    if (filter.parentId !== undefined) where.push('parent_id = @parentId');
    if (filter.rootId !== undefined) where.push('root_id = @rootId');
    const params: Params = { ...filter };
    delete params.rootIds;
    if (filter.rootIds !== undefined) {
      where.push(`root_id IN (SELECT value FROM json_each(@rootIds))`);
      params.rootIds = JSON.stringify(filter.rootIds);
    }
    const clause = where.join(' AND ');
    const count = this.get<{ total: number }>(`SELECT count(*) AS total FROM nodes WHERE ${clause}`, params);
    const total = present(count, 'count row').total;
    const rows = this.all<RawNode>(
      `SELECT ${NODE_COLUMNS} FROM nodes WHERE ${clause}
       ORDER BY json_extract(attributes, '$.index'), id LIMIT @limit OFFSET @offset`,
      params,
    ).map((raw) => present(toNode(raw), 'node row'));
    return { rows, total };
  }
  listRoots(notebookId: string): NodeRow[] {
    return this.all<RawNode>(
      `SELECT ${NODE_COLUMNS} FROM nodes WHERE notebook_id = ? AND parent_id IS NULL ORDER BY id`,
      [notebookId],
    ).map((raw) => present(toNode(raw), 'node row'));
  }
  listSubtree(id: string): NodeRow[] {
    return this.all<RawNode>(
      `WITH RECURSIVE subtree(id, depth) AS (
         SELECT id, 0 FROM nodes WHERE id = ?
         UNION ALL SELECT n.id, s.depth + 1 FROM nodes n JOIN subtree s ON n.parent_id = s.id)
       SELECT ${NODE_COLUMNS} FROM nodes WHERE id IN (SELECT id FROM subtree)
       ORDER BY (SELECT depth FROM subtree WHERE subtree.id = nodes.id)`,
      [id],
    ).map((raw) => present(toNode(raw), 'node row'));
  }
  deleteNode(id: string): void {
    this.run(`DELETE FROM node_updates WHERE node_id = ?`, [id]);
    this.run(`DELETE FROM document_updates WHERE document_id = ?`, [id]);
    this.run(`DELETE FROM node_reactions WHERE node_id = ?`, [id]);
    this.run(`DELETE FROM node_interactions WHERE node_id = ?`, [id]);
    this.run(`DELETE FROM nodes WHERE id = ?`, [id]);
    // Children go with it (ON DELETE CASCADE), so drop everything rather than only this entry.
    this.forgetRows();
  }

  listCollaboratorTimes(nodeId: string): CollaboratorTimesRow[] {
    return this.all(
      `SELECT node_id AS nodeId, user_id AS userId, created_at AS createdAt, updated_at AS updatedAt
       FROM node_collaborators WHERE node_id = ?`,
      [nodeId],
    );
  }
  upsertCollaboratorTimes(row: CollaboratorTimesRow): void {
    this.run(
      `INSERT INTO node_collaborators (node_id, user_id, created_at, updated_at)
       VALUES (@nodeId, @userId, @createdAt, @updatedAt)
       ON CONFLICT (node_id, user_id) DO UPDATE SET updated_at = excluded.updated_at`,
      { ...row },
    );
  }
  deleteCollaboratorTimes(nodeId: string, userId: string): void {
    this.run(`DELETE FROM node_collaborators WHERE node_id = ? AND user_id = ?`, [nodeId, userId]);
  }

  hasNodeUpdate(id: string): boolean {
    return this.get(`SELECT 1 FROM node_updates WHERE id = ?`, [id]) !== undefined;
  }
  insertNodeUpdate(row: UpdateRow): void {
    this.run(
      `INSERT INTO node_updates (id, node_id, root_id, notebook_id, data, created_at, created_by, revision)
       VALUES (@id, @targetId, @rootId, @notebookId, @data, @createdAt, @createdBy, @revision)`,
      { ...row, data: bytes(row.data) },
    );
  }
  getTombstone(id: string): TombstoneRow | undefined {
    return this.get(`SELECT ${TOMBSTONE_COLUMNS} FROM node_tombstones WHERE id = ?`, [id]);
  }
  insertTombstone(row: TombstoneRow): void {
    this.run(
      `INSERT INTO node_tombstones (id, root_id, notebook_id, deleted_at, deleted_by, revision)
       VALUES (@id, @rootId, @notebookId, @deletedAt, @deletedBy, @revision)
       ON CONFLICT (id) DO NOTHING`,
      { ...row },
    );
  }

  getDocument(id: string): DocumentRow | undefined {
    const cached = this.documentCache.get(id);
    if (cached !== undefined) return cached ?? undefined;
    const row = this.get<DocumentRow>(
      `SELECT id, notebook_id AS notebookId, root_id AS rootId, state, content, created_at AS createdAt,
         created_by AS createdBy, updated_at AS updatedAt, updated_by AS updatedBy, revision
       FROM documents WHERE id = ?`,
      [id],
    );
    this.documentCache.set(id, row ?? null);
    return row;
  }
  upsertDocument(row: DocumentRow): void {
    this.run(
      `INSERT INTO documents (id, notebook_id, root_id, state, content, created_at, created_by, updated_at,
         updated_by, revision)
       VALUES (@id, @notebookId, @rootId, @state, @content, @createdAt, @createdBy, @updatedAt, @updatedBy,
         @revision)
       ON CONFLICT (id) DO UPDATE SET state = excluded.state, content = excluded.content,
         updated_at = excluded.updated_at, updated_by = excluded.updated_by, revision = excluded.revision`,
      { ...row, state: bytes(row.state) },
    );
    // An update keeps the stored notebook, root and creation: cache what the row now holds. Unknown before
    // (not cached): nothing to keep current.
    const before = this.documentCache.peek(row.id);
    if (before === null) this.documentCache.set(row.id, row);
    else if (before)
      this.documentCache.set(row.id, {
        ...row,
        notebookId: before.notebookId,
        rootId: before.rootId,
        createdAt: before.createdAt,
        createdBy: before.createdBy,
      });
  }
  hasDocumentUpdate(id: string): boolean {
    return this.get(`SELECT 1 FROM document_updates WHERE id = ?`, [id]) !== undefined;
  }
  insertDocumentUpdate(row: UpdateRow): void {
    this.run(
      `INSERT INTO document_updates (id, document_id, root_id, notebook_id, data, created_at, created_by, revision)
       VALUES (@id, @targetId, @rootId, @notebookId, @data, @createdAt, @createdBy, @revision)`,
      { ...row, data: bytes(row.data) },
    );
  }

  getReaction(nodeId: string, collaboratorId: string, reaction: string): ReactionRow | undefined {
    return this.get(
      `SELECT ${REACTION_COLUMNS} FROM node_reactions WHERE node_id = ? AND collaborator_id = ? AND reaction = ?`,
      [nodeId, collaboratorId, reaction],
    );
  }
  upsertReaction(row: ReactionRow): void {
    this.run(
      `INSERT INTO node_reactions (node_id, collaborator_id, reaction, root_id, notebook_id, created_at, deleted_at,
         revision)
       VALUES (@nodeId, @collaboratorId, @reaction, @rootId, @notebookId, @createdAt, @deletedAt, @revision)
       ON CONFLICT (node_id, collaborator_id, reaction) DO UPDATE SET created_at = excluded.created_at,
         deleted_at = excluded.deleted_at, revision = excluded.revision`,
      { ...row },
    );
  }
  listReactions(nodeId: string): (ReactionRow & { name: string; username: string })[] {
    return this.all(
      `SELECT ${REACTION_COLUMNS}, (SELECT name FROM accounts WHERE id = collaborator_id) AS name,
         (SELECT username FROM accounts WHERE id = collaborator_id) AS username
       FROM node_reactions WHERE node_id = ? AND deleted_at IS NULL ORDER BY created_at, revision`,
      [nodeId],
    );
  }

  getInteraction(nodeId: string, collaboratorId: string): InteractionRow | undefined {
    return this.get(
      `SELECT ${INTERACTION_COLUMNS} FROM node_interactions WHERE node_id = ? AND collaborator_id = ?`,
      [nodeId, collaboratorId],
    );
  }
  upsertInteraction(row: InteractionRow): void {
    this.run(
      `INSERT INTO node_interactions (node_id, collaborator_id, root_id, notebook_id, first_seen_at, last_seen_at,
         first_opened_at, last_opened_at, revision)
       VALUES (@nodeId, @collaboratorId, @rootId, @notebookId, @firstSeenAt, @lastSeenAt, @firstOpenedAt,
         @lastOpenedAt, @revision)
       ON CONFLICT (node_id, collaborator_id) DO UPDATE SET first_seen_at = excluded.first_seen_at,
         last_seen_at = excluded.last_seen_at, first_opened_at = excluded.first_opened_at,
         last_opened_at = excluded.last_opened_at, revision = excluded.revision`,
      { ...row },
    );
  }

  listCollaborations(notebookId: string, userId?: string): CollaborationRow[] {
    return userId === undefined
      ? this.all(`SELECT ${COLLABORATION_COLUMNS} FROM collaborations WHERE notebook_id = ?`, [notebookId])
      : this.all(
          `SELECT ${COLLABORATION_COLUMNS} FROM collaborations WHERE notebook_id = ? AND user_id = ?`,
          [notebookId, userId],
        );
  }
  upsertCollaboration(row: CollaborationRow): void {
    this.run(
      `INSERT INTO collaborations (notebook_id, user_id, root_id, role, created_at, updated_at, deleted_at, revision)
       VALUES (@notebookId, @userId, @rootId, @role, @createdAt, @updatedAt, @deletedAt, @revision)
       ON CONFLICT (notebook_id, user_id, root_id) DO UPDATE SET role = excluded.role,
         updated_at = excluded.updated_at, deleted_at = excluded.deleted_at, revision = excluded.revision`,
      { ...row },
    );
  }

  getAppliedMutations(userId: string, ids: readonly string[]): Map<string, number> {
    const rows = this.all<{ id: string; status: number }>(
      `SELECT id, status FROM applied_mutations
       WHERE user_id = ? AND id IN (SELECT value FROM json_each(?))`,
      [userId, JSON.stringify(ids)],
    );
    return new Map(rows.map((row) => [row.id, row.status]));
  }
  insertAppliedMutations(userId: string, rows: readonly { id: string; status: number }[], at: string): void {
    if (rows.length === 0) return;
    this.run(
      `INSERT INTO applied_mutations (id, user_id, status, created_at)
       SELECT value ->> '$.id', ?, value ->> '$.status', ? FROM json_each(?)`,
      [userId, at, JSON.stringify(rows)],
    );
  }
  getIdempotency(userId: string, key: string): IdempotencyRow | undefined {
    return this.get(
      `SELECT user_id AS userId, key, request_hash AS requestHash, status, response, created_at AS createdAt
       FROM idempotency_keys WHERE user_id = ? AND key = ?`,
      [userId, key],
    );
  }
  insertIdempotency(row: IdempotencyRow): void {
    this.run(
      `INSERT INTO idempotency_keys (user_id, key, request_hash, status, response, created_at)
       VALUES (@userId, @key, @requestHash, @status, @response, @createdAt)`,
      { ...row },
    );
  }

  readMembersAfter(notebookId: string, cursor: number, limit: number): MemberWithAccount[] {
    return this.all(
      `SELECT ${MEMBER_COLUMNS}, a.username, a.name, a.avatar FROM notebook_users m
       JOIN accounts a ON a.id = m.user_id WHERE m.notebook_id = ? AND m.revision > ? ORDER BY m.revision LIMIT ?`,
      [notebookId, cursor, limit],
    );
  }
  readCollaborationsAfter(
    notebookId: string,
    userId: string,
    cursor: number,
    limit: number,
  ): CollaborationRow[] {
    return this.all(
      `SELECT ${COLLABORATION_COLUMNS} FROM collaborations WHERE notebook_id = ? AND user_id = ? AND revision > ?
       ORDER BY revision LIMIT ?`,
      [notebookId, userId, cursor, limit],
    );
  }
  readNodeUpdatesAfter(rootId: string, cursor: number, limit: number): UpdateRow[] {
    return this.all(
      `SELECT ${UPDATE_COLUMNS('node_id')} FROM node_updates WHERE root_id = ? AND revision > ? ORDER BY revision
       LIMIT ?`,
      [rootId, cursor, limit],
    );
  }
  readDocumentUpdatesAfter(rootId: string, cursor: number, limit: number): UpdateRow[] {
    return this.all(
      `SELECT ${UPDATE_COLUMNS('document_id')} FROM document_updates WHERE root_id = ? AND revision > ?
       ORDER BY revision LIMIT ?`,
      [rootId, cursor, limit],
    );
  }
  upsertCommentActivity(row: CommentActivityRow): void {
    this.run(
      `INSERT INTO comment_activity (node_id, root_id, notebook_id, changed_at, revision)
       VALUES (@nodeId, @rootId, @notebookId, @changedAt, @revision)
       ON CONFLICT (node_id) DO UPDATE SET root_id = excluded.root_id, notebook_id = excluded.notebook_id,
         changed_at = excluded.changed_at, revision = excluded.revision`,
      { ...row },
    );
  }
  readCommentActivityAfter(rootId: string, cursor: number, limit: number): CommentActivityRow[] {
    return this.all(
      `SELECT node_id AS nodeId, root_id AS rootId, notebook_id AS notebookId, changed_at AS changedAt, revision
       FROM comment_activity WHERE root_id = ? AND revision > ? ORDER BY revision LIMIT ?`,
      [rootId, cursor, limit],
    );
  }
  readReactionsAfter(rootId: string, cursor: number, limit: number): ReactionRow[] {
    return this.all(
      `SELECT ${REACTION_COLUMNS} FROM node_reactions WHERE root_id = ? AND revision > ? ORDER BY revision LIMIT ?`,
      [rootId, cursor, limit],
    );
  }
  readInteractionsAfter(rootId: string, cursor: number, limit: number): InteractionRow[] {
    return this.all(
      `SELECT ${INTERACTION_COLUMNS} FROM node_interactions WHERE root_id = ? AND revision > ? ORDER BY revision
       LIMIT ?`,
      [rootId, cursor, limit],
    );
  }
  readTombstonesAfter(rootId: string, cursor: number, limit: number): TombstoneRow[] {
    return this.all(
      `SELECT ${TOMBSTONE_COLUMNS} FROM node_tombstones WHERE root_id = ? AND revision > ? ORDER BY revision
       LIMIT ?`,
      [rootId, cursor, limit],
    );
  }
}
