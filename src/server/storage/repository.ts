import type { NodeType } from '../../shared/model/nodes';
import type { NodeRole, NotebookRole, NotebookStatus } from '../../shared/model/roles';

/**
 * The storage boundary. Services speak only to this interface, so a PostgreSQL implementation can replace
 * the SQLite one. All writes of one request run inside `transaction`, which also owns revision allocation.
 */

export interface AccountRow {
  id: string;
  username: string;
  name: string;
  avatar: string | null;
  createdAt: string;
}

export interface TokenRow {
  id: string;
  accountId: string;
  hash: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface NotebookRow {
  id: string;
  name: string;
  description: string | null;
  avatar: string | null;
  status: NotebookStatus;
  maxFileSize: number;
  isDefaultFor: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string | null;
}

export interface MemberRow {
  notebookId: string;
  userId: string;
  role: NotebookRole;
  customName: string | null;
  customAvatar: string | null;
  createdAt: string;
  updatedAt: string | null;
  revision: number;
}

export interface MemberWithAccount extends MemberRow {
  username: string;
  name: string;
  avatar: string | null;
}

export interface NodeRow {
  id: string;
  notebookId: string;
  type: NodeType;
  parentId: string | null;
  rootId: string;
  alias: string | null;
  attributes: Record<string, unknown>;
  state: Uint8Array;
  createdAt: string;
  createdBy: string;
  updatedAt: string | null;
  updatedBy: string | null;
  revision: number;
}

export interface UpdateRow {
  id: string;
  /** node id for node updates, document id for document updates */
  targetId: string;
  rootId: string;
  notebookId: string;
  data: Uint8Array;
  createdAt: string;
  createdBy: string;
  revision: number;
}

export interface TombstoneRow {
  id: string;
  rootId: string;
  notebookId: string;
  deletedAt: string;
  deletedBy: string;
  revision: number;
}

export interface DocumentRow {
  id: string;
  notebookId: string;
  rootId: string;
  state: Uint8Array;
  content: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string | null;
  updatedBy: string | null;
  revision: number;
}

export interface ReactionRow {
  nodeId: string;
  collaboratorId: string;
  reaction: string;
  rootId: string;
  notebookId: string;
  createdAt: string;
  deletedAt: string | null;
  revision: number;
}

export interface InteractionRow {
  nodeId: string;
  collaboratorId: string;
  rootId: string;
  notebookId: string;
  firstSeenAt: string | null;
  lastSeenAt: string | null;
  firstOpenedAt: string | null;
  lastOpenedAt: string | null;
  revision: number;
}

export interface CollaborationRow {
  notebookId: string;
  userId: string;
  rootId: string;
  role: NodeRole | null;
  createdAt: string;
  updatedAt: string | null;
  deletedAt: string | null;
  revision: number;
}

export interface IdempotencyRow {
  userId: string;
  key: string;
  requestHash: string;
  status: number;
  response: string;
  createdAt: string;
}

export interface CollaboratorTimesRow {
  nodeId: string;
  userId: string;
  createdAt: string;
  updatedAt: string | null;
}

export interface VersionRow {
  id: string;
  documentId: string;
  notebookId: string;
  revision: number;
  content: string;
  createdAt: string;
  createdBy: string;
  name: string | null;
  kind: 'manual' | 'auto' | 'restore' | 'import';
}

export interface CommentActivityRow {
  nodeId: string;
  rootId: string;
  notebookId: string;
  changedAt: string;
  revision: number;
}

export interface CommentRow {
  seq: number;
  id: string;
  documentId: string;
  notebookId: string;
  parentId: string | null;
  /** JSON of the anchor input (`{type, …}`), null for replies. */
  anchor: string | null;
  anchorStatus: 'active' | 'orphaned' | null;
  anchorUpdatedAt: string | null;
  version: number;
  content: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

export interface FileRow {
  id: string;
  notebookId: string;
  name: string;
  mimeType: string;
  size: number;
  status: 'uploading' | 'ready';
  documentId: string | null;
  createdAt: string;
  createdBy: string;
}

export interface NodeFilter {
  notebookId: string;
  type?: NodeType | undefined;
  parentId?: string | undefined;
  rootId?: string | undefined;
  /** Only nodes under these roots (the caller's readable roots); undefined = all. */
  rootIds?: readonly string[] | undefined;
  limit: number;
  offset: number;
}

export interface NotesRepository {
  transaction<T>(fn: () => T): T;
  /** Next revision; only valid inside `transaction`. */
  nextRevision(): number;
  /**
   * How many write statements were started on this connection (failed ones too). A caller compares two readings
   * to know whether a failed step wrote anything that a rollback would have to undo.
   */
  writeCount(): number;
  close(): void;

  getAccount(id: string): AccountRow | undefined;
  findAccountByUsername(username: string): AccountRow | undefined;
  insertAccount(row: AccountRow): void;

  insertToken(row: TokenRow): void;
  findTokenByHash(hash: string): TokenRow | undefined;
  listTokens(): (TokenRow & { username: string })[];
  revokeToken(idOrHash: string, at: string): boolean;

  getNotebook(id: string): NotebookRow | undefined;
  findDefaultNotebook(accountId: string): NotebookRow | undefined;
  insertNotebook(row: NotebookRow): void;
  updateNotebook(row: NotebookRow): void;
  deleteNotebook(id: string): void;
  listNotebooksOf(userId: string): (NotebookRow & { role: NotebookRole })[];

  getMember(notebookId: string, userId: string): MemberWithAccount | undefined;
  upsertMember(row: MemberRow): void;
  listMembers(notebookId: string): MemberRow[];

  getNode(id: string): NodeRow | undefined;
  findNodeByAlias(notebookId: string, alias: string): NodeRow | undefined;
  insertNode(row: NodeRow): void;
  updateNode(row: NodeRow): void;
  listNodes(filter: NodeFilter): { rows: NodeRow[]; total: number };
  listRoots(notebookId: string): NodeRow[];
  /** The node and every descendant, parents before children. */
  listSubtree(id: string): NodeRow[];
  deleteNode(id: string): void;

  listCollaboratorTimes(nodeId: string): CollaboratorTimesRow[];
  upsertCollaboratorTimes(row: CollaboratorTimesRow): void;
  deleteCollaboratorTimes(nodeId: string, userId: string): void;

  hasNodeUpdate(id: string): boolean;
  insertNodeUpdate(row: UpdateRow): void;
  getTombstone(id: string): TombstoneRow | undefined;
  insertTombstone(row: TombstoneRow): void;

  getDocument(id: string): DocumentRow | undefined;
  upsertDocument(row: DocumentRow): void;
  hasDocumentUpdate(id: string): boolean;
  insertDocumentUpdate(row: UpdateRow): void;

  insertVersion(row: VersionRow): void;
  getVersion(id: string): VersionRow | undefined;
  listVersions(documentId: string, limit: number, offset: number): { rows: VersionRow[]; total: number };
  lastVersionRevision(documentId: string): number;
  deleteVersion(id: string): void;
  renameVersion(id: string, name: string | null): void;
  /** id, kind and time of every version of a document (retention). */
  versionAges(documentId: string): { id: string; kind: string; createdAt: string }[];

  /** `seq` is assigned by the store; pass 0. */
  insertComment(row: CommentRow): void;
  updateComment(row: CommentRow): void;
  getComment(id: string): CommentRow | undefined;
  deleteComment(id: string): void;
  /** Comments of a document after `afterSeq` in creation order; `rootsOnly` for thread anchors. */
  listComments(
    documentId: string,
    afterSeq: number,
    offset: number,
    limit: number,
    rootsOnly: boolean,
  ): CommentRow[];

  getFile(id: string): FileRow | undefined;
  upsertFile(row: FileRow): void;
  deleteFile(id: string): void;
  /** Forgets the files attached to a document (its node is being purged); returns their ids. */
  deleteFilesOfDocument(documentId: string): string[];
  /** Ids of every file row of a notebook, whatever its status. */
  listFileIdsOfNotebook(notebookId: string): string[];
  listFiles(notebookId: string, limit: number, offset: number): { rows: FileRow[]; total: number };
  /** Every ready file of a notebook, newest first (lists filtered per caller). */
  listReadyFiles(notebookId: string): FileRow[];
  /** Remembers that `userId` started an upload of `bytes` (per-user budgets); forgets rows before `pruneBefore`. */
  logUpload(userId: string, createdAt: string, bytes: number, pruneBefore: string): void;
  /** Uploads `userId` started since `since`: how many, how many bytes, and when the oldest of them started. */
  uploadUsage(userId: string, since: string): { count: number; bytes: number; oldest: string | null };
  insertAvatar(id: string, createdBy: string, createdAt: string): void;
  hasAvatar(id: string): boolean;

  getReaction(nodeId: string, collaboratorId: string, reaction: string): ReactionRow | undefined;
  upsertReaction(row: ReactionRow): void;
  listReactions(nodeId: string): (ReactionRow & { name: string; username: string })[];

  getInteraction(nodeId: string, collaboratorId: string): InteractionRow | undefined;
  upsertInteraction(row: InteractionRow): void;

  listCollaborations(notebookId: string, userId?: string): CollaborationRow[];
  upsertCollaboration(row: CollaborationRow): void;

  /** The remembered statuses of those of `ids` this user applied before (one query for a whole batch). */
  getAppliedMutations(userId: string, ids: readonly string[]): Map<string, number>;
  /** Records mutations as applied with their statuses (one statement for a whole batch). */
  insertAppliedMutations(userId: string, rows: readonly { id: string; status: number }[], at: string): void;
  getIdempotency(userId: string, key: string): IdempotencyRow | undefined;
  insertIdempotency(row: IdempotencyRow): void;

  readMembersAfter(notebookId: string, cursor: number, limit: number): MemberWithAccount[];
  readCollaborationsAfter(
    notebookId: string,
    userId: string,
    cursor: number,
    limit: number,
  ): CollaborationRow[];
  readNodeUpdatesAfter(rootId: string, cursor: number, limit: number): UpdateRow[];
  readDocumentUpdatesAfter(rootId: string, cursor: number, limit: number): UpdateRow[];
  readReactionsAfter(rootId: string, cursor: number, limit: number): ReactionRow[];
  /** The page's comments changed (at this revision): what the `node.comments` stream lists. */
  upsertCommentActivity(row: CommentActivityRow): void;
  readCommentActivityAfter(rootId: string, cursor: number, limit: number): CommentActivityRow[];
  readInteractionsAfter(rootId: string, cursor: number, limit: number): InteractionRow[];
  readTombstonesAfter(rootId: string, cursor: number, limit: number): TombstoneRow[];
}
