import type { NodeRole, NotebookRole } from '../../shared/model/roles';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';

export interface MemberRow {
  userId: string;
  username: string;
  name: string;
  avatar: string | null;
  role: NotebookRole;
}

/** A node as access needs it: its place in the tree and its explicit collaborators. */
export interface AccessNodeRow {
  id: string;
  parentId: string | null;
  type: string;
  name: string;
  createdBy: string | null;
  collaborators: Record<string, NodeRole> | undefined;
}

interface RawAccessRow extends Omit<AccessNodeRow, 'collaborators'> {
  collaborators: string | null;
}

const parseCollaborators = (json: string | null): Record<string, NodeRole> | undefined => {
  if (json === null) return undefined;
  try {
    const value = JSON.parse(json) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, NodeRole>) : undefined;
  } catch {
    return undefined;
  }
};

const toAccessRow = (row: RawAccessRow): AccessNodeRow => ({
  ...row,
  collaborators: parseCollaborators(row.collaborators),
});

const accessColumns = (t: string): string => `${t}id AS id, ${t}parent_id AS parentId, ${t}type AS type,
  ${t}name AS name, ${t}created_by AS createdBy, json_extract(${t}attributes, '$.collaborators') AS collaborators`;

/** Members (the `users` stream's rows) and the node columns access is computed from. */
export class SharingRepository {
  constructor(private readonly db: Db) {}

  members(notebookId: string): MemberRow[] {
    return prepared(
      this.db,
      `SELECT id AS userId, username, name, avatar, role FROM users
       WHERE notebook_id = ? AND role != 'none' ORDER BY CASE WHEN name != '' THEN name ELSE username END, id`,
    ).all(notebookId) as MemberRow[];
  }

  member(notebookId: string, userId: string): MemberRow | undefined {
    return prepared(
      this.db,
      'SELECT id AS userId, username, name, avatar, role FROM users WHERE notebook_id = ? AND id = ?',
    ).get(notebookId, userId) as MemberRow | undefined;
  }

  /** What the server answered to an invite or role change, before its `users` stream item arrives. */
  upsertMember(notebookId: string, row: MemberRow): void {
    prepared(
      this.db,
      `INSERT INTO users (id, notebook_id, username, name, avatar, role) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (notebook_id, id) DO UPDATE SET username = excluded.username, name = excluded.name,
         avatar = excluded.avatar, role = excluded.role`,
    ).run(row.userId, notebookId, row.username, row.name, row.avatar, row.role);
  }

  notebookNodes(notebookId: string): AccessNodeRow[] {
    return (
      prepared(this.db, `SELECT ${accessColumns('')} FROM nodes WHERE notebook_id = ?`).all(
        notebookId,
      ) as RawAccessRow[]
    ).map(toAccessRow);
  }

  /** The node first, then its parent, up to its root. */
  ancestry(nodeId: string): AccessNodeRow[] {
    return (
      prepared(
        this.db,
        `WITH RECURSIVE up(id, depth) AS (SELECT ?, 0 UNION ALL
           SELECT n.parent_id, up.depth + 1 FROM nodes n JOIN up ON n.id = up.id
           WHERE n.parent_id IS NOT NULL AND up.depth < 64)
         SELECT ${accessColumns('n.')}
         FROM up JOIN nodes n ON n.id = up.id ORDER BY up.depth`,
      ).all(nodeId) as RawAccessRow[]
    ).map(toAccessRow);
  }
}
