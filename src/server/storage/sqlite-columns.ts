import type { NodeType } from '../../shared/model/nodes';
import type { NodeRow } from './repository';

/** Column lists (as the row types name them) and row mapping shared by the SQLite repository's parts. */
export type Params = Record<string, unknown>;

export const NOTEBOOK_COLUMNS = `n.id, n.name, n.description, n.avatar, n.status, n.max_file_size AS maxFileSize,
  n.is_default_for AS isDefaultFor, n.created_at AS createdAt, n.created_by AS createdBy, n.updated_at AS updatedAt`;
export const MEMBER_COLUMNS = `m.notebook_id AS notebookId, m.user_id AS userId, m.role, m.custom_name AS customName,
  m.custom_avatar AS customAvatar, m.created_at AS createdAt, m.updated_at AS updatedAt, m.revision`;
export const NODE_COLUMNS = `id, notebook_id AS notebookId, type, parent_id AS parentId, root_id AS rootId, alias,
  attributes, state, created_at AS createdAt, created_by AS createdBy, updated_at AS updatedAt,
  updated_by AS updatedBy, revision`;
export const UPDATE_COLUMNS = (target: string) => `id, ${target} AS targetId, root_id AS rootId,
  notebook_id AS notebookId, data, created_at AS createdAt, created_by AS createdBy, revision`;
export const REACTION_COLUMNS = `node_id AS nodeId, collaborator_id AS collaboratorId, reaction, root_id AS rootId,
  notebook_id AS notebookId, created_at AS createdAt, deleted_at AS deletedAt, revision`;
export const INTERACTION_COLUMNS = `node_id AS nodeId, collaborator_id AS collaboratorId, root_id AS rootId,
  notebook_id AS notebookId, first_seen_at AS firstSeenAt, last_seen_at AS lastSeenAt,
  first_opened_at AS firstOpenedAt, last_opened_at AS lastOpenedAt, revision`;
export const COLLABORATION_COLUMNS = `notebook_id AS notebookId, user_id AS userId, root_id AS rootId, role,
  created_at AS createdAt, updated_at AS updatedAt, deleted_at AS deletedAt, revision`;
export const VERSION_COLUMNS = `id, document_id AS documentId, notebook_id AS notebookId, revision, content,
  created_at AS createdAt, created_by AS createdBy, name, kind`;
export const COMMENT_COLUMNS = `seq, id, document_id AS documentId, notebook_id AS notebookId, parent_id AS parentId,
  anchor, anchor_status AS anchorStatus, anchor_updated_at AS anchorUpdatedAt, version, content,
  created_at AS createdAt, created_by AS createdBy, updated_at AS updatedAt, resolved_at AS resolvedAt,
  resolved_by AS resolvedBy`;
export const FILE_COLUMNS = `id, notebook_id AS notebookId, name, mime_type AS mimeType, size, status,
  document_id AS documentId, created_at AS createdAt, created_by AS createdBy`;
export const TOMBSTONE_COLUMNS = `id, root_id AS rootId, notebook_id AS notebookId, deleted_at AS deletedAt,
  deleted_by AS deletedBy, revision`;

export interface RawNode extends Omit<NodeRow, 'attributes' | 'type'> {
  attributes: string;
  type: string;
}

export const toNode = (raw: RawNode | undefined): NodeRow | undefined =>
  raw && {
    ...raw,
    type: raw.type as NodeType,
    attributes: JSON.parse(raw.attributes) as Record<string, unknown>,
  };

export const MB = 1024 * 1024;

export const bytes = (value: Uint8Array): Buffer =>
  Buffer.from(value.buffer, value.byteOffset, value.byteLength);
