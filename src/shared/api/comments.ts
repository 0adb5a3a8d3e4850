import * as z from 'zod';
import { ApiId } from './common';

export const CommentAnchorInput = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('document') }),
    z.object({ type: z.literal('block'), blockId: ApiId }),
    z.object({
      type: z.literal('text-range'),
      startBlockId: ApiId,
      startOffset: z.number().int().min(0),
      endBlockId: ApiId,
      endOffset: z.number().int().min(0),
      quote: z.string().max(10_000).optional(),
      contextBefore: z.string().max(1_000).optional(),
      contextAfter: z.string().max(1_000).optional(),
    }),
  ],
  { error: 'anchor must be one of document, block, or text-range' },
);
export type CommentAnchorInput = z.infer<typeof CommentAnchorInput>;

const Content = z
  .string()
  .min(1, 'content must be between 1 and 10000 characters')
  .max(10_000, 'content must be between 1 and 10000 characters');
const ExpectedVersion = z.number().int().min(1).optional();

export const CreateCommentBody = z.object({
  content: Content,
  parentId: ApiId.optional(),
  anchorBlockId: ApiId.optional(),
  anchor: CommentAnchorInput.optional(),
});
export const EditCommentBody = z.object({ content: Content, expectedVersion: ExpectedVersion });
export const ResolveCommentBody = z.object({ expectedVersion: ExpectedVersion });
export const ReanchorCommentBody = z.object({ anchor: CommentAnchorInput, expectedVersion: ExpectedVersion });
export const DeleteCommentQuery = z.object({ expectedVersion: z.coerce.number().int().min(1).optional() });
export const CommentParams = z.object({ notebookId: ApiId, nodeId: ApiId, commentId: ApiId });

export const CommentPageQuery = (defaultLimit: number) =>
  z.object({
    limit: z.coerce.number().int().min(1).max(1_000).default(defaultLimit),
    offset: z.coerce.number().int().min(0).default(0),
    cursor: z.string().max(200).optional(),
  });

export const AnchorType = ['document', 'block', 'text-range'] as const;

export const CommentOutput = z.object({
  id: z.string(),
  documentId: z.string(),
  parentId: z.string().nullable(),
  anchorBlockId: z.string().nullable(),
  anchorType: z.enum(AnchorType).nullable(),
  startBlockId: z.string().nullable(),
  startOffset: z.number().nullable(),
  endBlockId: z.string().nullable(),
  endOffset: z.number().nullable(),
  anchorQuote: z.string().nullable(),
  anchorContextBefore: z.string().nullable(),
  anchorContextAfter: z.string().nullable(),
  anchorStatus: z.enum(['active', 'orphaned']).nullable(),
  anchorUpdatedAt: z.string().nullable(),
  version: z.number().int(),
  content: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  createdByName: z.string(),
  updatedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
});
export type CommentOutput = z.infer<typeof CommentOutput>;
