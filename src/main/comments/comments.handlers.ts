import type { commentCommands } from '../../shared/contract/comments';
import type { DomainHandlers } from '../ipc/router';
import type { CommentsService } from './comments.service';

export interface CommentHandlerDeps {
  account(accountId: string): { comments: CommentsService };
}

export const commentHandlers = ({ account }: CommentHandlerDeps) =>
  ({
    'comment.list': ({ accountId, nodeId }) => account(accountId).comments.list(nodeId),
    'comment.create': ({ accountId, nodeId, content, parentId, anchor }) =>
      account(accountId).comments.create(nodeId, { content, parentId, anchor }),
    'comment.edit': ({ accountId, nodeId, commentId, content }) =>
      account(accountId).comments.edit(nodeId, commentId, content),
    'comment.delete': ({ accountId, nodeId, commentId }) =>
      account(accountId).comments.delete(nodeId, commentId),
    'comment.reanchor': ({ accountId, nodeId, commentId, anchor }) =>
      account(accountId).comments.reanchor(nodeId, commentId, anchor),
    'comment.resolve': ({ accountId, nodeId, commentId }) =>
      account(accountId).comments.resolve(nodeId, commentId),
    'comment.reopen': ({ accountId, nodeId, commentId }) =>
      account(accountId).comments.reopen(nodeId, commentId),
  }) satisfies DomainHandlers<typeof commentCommands>;
