import * as z from 'zod';
import { ApiId } from './common';

export const DocumentOutputFormat = ['json', 'md', 'html'] as const;

export const DocumentQuery = z.object({
  blockIds: z.string().max(10_000).optional(),
  lines: z
    .string()
    .regex(/^\d{1,7}-\d{1,7}$/, 'lines must look like start-end, e.g. 1-50')
    .optional(),
  output: z.enum(DocumentOutputFormat).default('json'),
  includeComments: z.enum(['none', 'appendix']).default('none'),
  ticket: z.string().max(128).optional(),
});

/** `content` is TipTap JSON (or the reference's shorthand); normalizeDocument validates it against the schema. */
export const DocumentBody = z.object({ content: z.unknown() });

/** Blocks to append; the server assigns ids and positions, so clients must not send `id`/`parentId`/`index`. */
export const AppendBlock = z
  .object({
    type: z.string().max(64).default('paragraph'),
    attrs: z.record(z.string(), z.unknown()).optional(),
    content: z.array(z.unknown()).max(10_000).optional(),
    text: z.string().max(1_000_000).optional(),
    level: z.number().int().min(1).max(6).optional(),
  })
  .strict();
export const DocumentAppendBody = z.object({
  text: z.string().max(1_000_000).optional(),
  blocks: z.array(AppendBlock).max(10_000).optional(),
});

export const DocumentOutput = z.object({
  id: z.string(),
  content: z.object({ type: z.literal('doc'), content: z.array(z.unknown()) }),
  createdAt: z.string(),
  createdBy: z.string(),
  /** The last change; a document changed once was updated at its creation, by its creator. */
  updatedAt: z.string(),
  updatedBy: z.string(),
  revision: z.string(),
});
export type DocumentOutput = z.infer<typeof DocumentOutput>;

export const ExportTicketBody = z.object({
  output: z.literal('html').default('html'),
  includeComments: z.enum(['none', 'appendix']).default('none'),
  includeBackground: z.boolean().default(true),
  themeMode: z.enum(['light', 'dark']).default('dark'),
  themeId: z.string().max(64).nullable().optional(),
  themeVariables: z.record(z.string().max(64), z.string().max(256)).optional(),
  fileName: z.string().max(128).optional(),
});
export const ExportTicket = z.object({
  ticket: z.string(),
  expiresAt: z.string(),
  usesRemaining: z.number().int(),
});

/** `GET …/nodes/{nodeId}/blocks/{blockId}/svg` (drawing blocks). */
export const BlockSvgParams = z.object({ notebookId: ApiId, nodeId: ApiId, blockId: ApiId });
export const BlockSvgQuery = z.object({
  bg: z.string().min(1).max(64).optional(),
  scale: z.coerce.number().positive().max(10).default(1),
});
