import * as z from 'zod';
import { CommentAnchorInput } from '../api/comments';
import { command, event, type CommandSpec, type EventSpec } from './define';
import { accountId, id } from './schemas';

/**
 * Comments on pages and records, offline-first: written and resolved here at once, kept in the replica and
 * sent when the server can be reached, exactly once (the app's id is the request's Idempotency-Key).
 */

export interface CommentView {
  id: string;
  content: string;
  createdAt: string;
  createdBy: string;
  createdByName: string;
  mine: boolean;
  /** Written here and not yet on the server. */
  pending: boolean;
  /** The server refused it (or its last change): its message (the comment is kept as written here). */
  refused: string | null;
}

export interface CommentThreadView extends CommentView {
  anchor: z.infer<typeof CommentAnchorInput> | null;
  /** `orphaned`: the commented text is gone. */
  anchorStatus: 'active' | 'orphaned' | null;
  resolvedAt: string | null;
  replies: CommentView[];
}

const content = z.string().trim().min(1, 'write something first').max(10_000, 'at most 10,000 characters');

export const commentCommands = {
  /** A page's threads, oldest first (refreshed from the server when it can be reached). */
  'comment.list': command<CommentThreadView[]>()(() => z.object({ accountId, nodeId: id })),
  /** A new thread (with an anchor) or a reply (`parentId`: the thread). */
  'comment.create': command<CommentThreadView[]>()(() =>
    z.object({
      accountId,
      nodeId: id,
      content,
      parentId: id.optional(),
      anchor: z.lazy(() => CommentAnchorInput).optional(),
    }),
  ),
  /** The author's new text for a comment or reply. */
  'comment.edit': command<CommentThreadView[]>()(() =>
    z.object({ accountId, nodeId: id, commentId: id, content }),
  ),
  /** The author deletes a comment (a thread goes with its replies). */
  'comment.delete': command<CommentThreadView[]>()(() => z.object({ accountId, nodeId: id, commentId: id })),
  /** A thread attached to new text (its own was deleted): its author, or who may moderate the page's comments. */
  'comment.reanchor': command<CommentThreadView[]>()(() =>
    z.object({ accountId, nodeId: id, commentId: id, anchor: z.lazy(() => CommentAnchorInput) }),
  ),
  'comment.resolve': command<CommentThreadView[]>()(() => z.object({ accountId, nodeId: id, commentId: id })),
  'comment.reopen': command<CommentThreadView[]>()(() => z.object({ accountId, nodeId: id, commentId: id })),
} as const satisfies Record<string, CommandSpec<z.ZodType, unknown>>;

export const commentEvents = {
  /** A page's comments changed (written here, sent, or fetched from the server). */
  'comment.changed': event<{ accountId: string; nodeId: string }>(),
} as const satisfies Record<string, EventSpec<unknown>>;
