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
    'comment.resolve': ({ accountId, nodeId, commentId }) =>
      account(accountId).comments.resolve(nodeId, commentId),
  }) satisfies DomainHandlers<typeof commentCommands>;
