import * as z from 'zod';

/** Shapes shared by every REST group of `/api/v1/notes`. */
export const API_PREFIX = '/api/v1/notes';

/** Path and body ids: printable, no path separators, within the server's column width. */
export const ApiId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must contain only letters, digits, "_" and "-"');

export const IsoTimestamp = z.iso.datetime({ offset: true });

/** `limit`/`offset` query parameters (strings on the wire). */
export const Pagination = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const NotebookParams = z.object({ notebookId: ApiId });
export const NodeParams = z.object({ notebookId: ApiId, nodeId: ApiId });

export const SuccessResponse = z.object({ success: z.literal(true) });

/** Error codes the reference uses beyond the generic ones in src/shared/lib/result.ts. */
export const ApiErrorCode = {
  notebookNotFound: 'notebook_not_found',
  notebookNoAccess: 'notebook_no_access',
  notebookReadonly: 'notebook_readonly',
  notebookNameRequired: 'notebook_name_required',
  notebookUpdateNotAllowed: 'notebook_update_not_allowed',
  notebookDeleteNotAllowed: 'notebook_delete_not_allowed',
  userInputRequired: 'user_input_required',
  userInviteNoAccess: 'user_invite_no_access',
  userUpdateNoAccess: 'user_update_no_access',
  userNotFound: 'user_not_found',
  invalidSocketId: 'INVALID_SOCKET_ID',
  unsupportedMediaType: 'unsupported_media_type',
  /** The reference's code for an unexpected server error (5xx). */
  unknown: 'unknown',
} as const;
export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode];
