import * as z from 'zod';
import { FieldValue } from '../model/nodes';
import { ApiId } from './common';

export const DatabaseParams = z.object({ notebookId: ApiId, databaseId: ApiId });
export const RecordParams = z.object({ notebookId: ApiId, databaseId: ApiId, recordId: ApiId });

const FieldKey = z.string().min(1).max(64);
const Fields = z.record(FieldKey, FieldValue);

/** `avatar` is stored as the node's `icon` attribute (≤ 64 characters: an emoji or a short id). */
const Avatar = z.string().max(64).nullable();

export const CreateRecordBody = z.object({
  id: ApiId.optional(),
  name: z.string().max(256).default('Untitled'),
  avatar: Avatar.optional(),
  fields: Fields.default({}),
});
export const UpdateRecordBody = z.object({
  name: z.string().max(256).optional(),
  avatar: Avatar.optional(),
  fields: Fields.optional(),
});

/** What filters and sorts mean is defined once, for the server and the app alike. */
export { FiltersParam, RecordFilter, RecordSort, SortsParam } from '../model/record-query';

export const RecordListQuery = z.object({
  filters: z.string().max(10_000).optional(),
  sorts: z.string().max(10_000).optional(),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  count: z.coerce.number().int().min(1).max(500).default(50),
});
export const RecordSearchQuery = z.object({
  q: z.string().max(256).default(''),
  exclude: z.string().max(100_000).optional(),
});

export const RecordOutput = z.object({
  id: z.string(),
  name: z.string(),
  avatar: z.string().nullable(),
  fields: Fields,
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string().nullable(),
  revision: z.string(),
});
export type RecordOutput = z.infer<typeof RecordOutput>;
