import { toBase64 } from '../../shared/lib/base64';
import {
  StreamType,
  SyncLimits,
  type StreamItem,
  type StreamItemData,
  type StreamSpec,
} from '../../shared/api/sync-protocol';
import { NotebookAction } from '../../shared/model/permissions';
import type { ServerContext } from '../context';
import { forbidden } from '../http/errors';
import { nodeRoleOf, notebookAccess } from '../services/access';
import type { AccountRow, UpdateRow } from '../storage/repository';
import type { Change } from './change-bus';

type AnyItem = StreamItem<StreamItemData[StreamType]>;

const item = <D extends { revision: string }>(data: D): StreamItem<D> => ({ cursor: data.revision, data });

const updateItem = (row: UpdateRow) => ({
  id: row.id,
  rootId: row.rootId,
  notebookId: row.notebookId,
  data: toBase64(row.data),
  createdAt: row.createdAt,
  createdBy: row.createdBy,
  mergedUpdates: [],
  revision: String(row.revision),
});

/**
 * Items of `spec` after `cursor` (at most one batch), after checking the caller may read the stream now.
 * Root streams need a readable root; the tombstone stream of a deleted root stays readable to members so
 * clients learn about the deletion.
 */
export function readStream(
  ctx: ServerContext,
  user: AccountRow,
  spec: StreamSpec,
  cursor: number,
): AnyItem[] {
  const access = notebookAccess(ctx, user, spec.notebookId, NotebookAction.read);
  const { repo } = ctx;
  const limit = SyncLimits.batchSize;
  switch (spec.type) {
    case StreamType.users:
      return repo.readMembersAfter(spec.notebookId, cursor, limit).map((m) =>
        item({
          id: m.userId,
          notebookId: m.notebookId,
          username: m.username,
          name: m.name,
          avatar: m.avatar,
          role: m.role,
          status: m.role === 'none' ? 2 : 1,
          createdAt: m.createdAt,
          updatedAt: m.updatedAt,
          revision: String(m.revision),
        }),
      );
    case StreamType.collaborations:
      return repo.readCollaborationsAfter(spec.notebookId, user.id, cursor, limit).map((c) =>
        item({
          notebookId: c.notebookId,
          collaboratorId: c.userId,
          nodeId: c.rootId,
          role: c.role,
          createdAt: c.createdAt,
          updatedAt: c.updatedAt,
          deletedAt: c.deletedAt,
          revision: String(c.revision),
        }),
      );
  }
  const root = repo.getNode(spec.rootId);
  if (root) {
    if (root.notebookId !== spec.notebookId || root.parentId !== null)
      throw forbidden('Not a root of this notebook.');
    if (nodeRoleOf(ctx, access, root) === null) throw forbidden('You do not have access to this root.');
  } else {
    const tombstone = repo.getTombstone(spec.rootId);
    if (!tombstone || tombstone.notebookId !== spec.notebookId) throw forbidden('Unknown root.');
  }
  switch (spec.type) {
    case StreamType.nodeUpdates:
      return repo
        .readNodeUpdatesAfter(spec.rootId, cursor, limit)
        .map((row) => item({ ...updateItem(row), nodeId: row.targetId }));
    case StreamType.documentUpdates:
      return repo
        .readDocumentUpdatesAfter(spec.rootId, cursor, limit)
        .map((row) => item({ ...updateItem(row), documentId: row.targetId }));
    case StreamType.nodeReactions:
      return repo
        .readReactionsAfter(spec.rootId, cursor, limit)
        .map((r) => item({ ...r, revision: String(r.revision) }));
    case StreamType.nodeInteractions:
      return repo
        .readInteractionsAfter(spec.rootId, cursor, limit)
        .map((r) => item({ ...r, revision: String(r.revision) }));
    case StreamType.nodeTombstones:
      return repo
        .readTombstonesAfter(spec.rootId, cursor, limit)
        .map((t) => item({ ...t, revision: String(t.revision) }));
    case StreamType.nodeComments:
      return repo
        .readCommentActivityAfter(spec.rootId, cursor, limit)
        .map((c) => item({ ...c, revision: String(c.revision) }));
  }
}

/** Whether a committed change may add items to a parked stream (then it re-queries). */
export function concerns(spec: StreamSpec, userId: string, change: Change): boolean {
  if (spec.notebookId !== change.notebookId || spec.type !== change.stream) return false;
  if (spec.type === StreamType.users) return true;
  if (spec.type === StreamType.collaborations) return change.userId === userId;
  return change.rootId === spec.rootId;
}
