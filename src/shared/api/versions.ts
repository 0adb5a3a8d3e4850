import * as z from 'zod';
import { ApiId, IsoTimestamp } from './common';

/**
 * Document versions (`…/nodes/{nodeId}/versions`). The reference's summary (`id, documentId, revision,
 * createdAt, createdBy`) plus what this server adds: a `name` and a `kind`, and on create an optional client id
 * (the same id again answers the version it made: an offline snapshot is sent exactly once) and the content to
 * snapshot (what the client saw when it took it; default: the server's current content).
 */
export const VERSION_KINDS = ['manual', 'auto', 'restore', 'import'] as const;
export const VersionKindSchema = z.enum(VERSION_KINDS);

export const VersionName = z.string().trim().max(256);

export const VersionSummary = z.object({
  id: ApiId,
  documentId: ApiId,
  revision: z.number().int(),
  createdAt: IsoTimestamp,
  createdBy: z.string(),
  name: z.string().nullable().default(null),
  kind: VersionKindSchema.default('manual'),
});
export type VersionSummary = z.infer<typeof VersionSummary>;

export const VersionList = z.object({ versions: z.array(VersionSummary), total: z.number().int() });

export const VersionOutput = VersionSummary.extend({
  content: z.object({ type: z.literal('doc'), content: z.array(z.unknown()).optional() }).loose(),
});

export const CreateVersionBody = z
  .object({
    id: ApiId.optional(),
    name: VersionName.nullable().optional(),
    kind: VersionKindSchema.optional(),
    content: z.unknown().optional(),
  })
  .default({});

export const RenameVersionBody = z.object({ name: VersionName.nullable() });
