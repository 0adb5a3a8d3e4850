import * as z from 'zod';
import { NotebookRole } from '../model/roles';
import { ApiId } from './common';

const roleList = NotebookRole.join(', ');
/** Rejects unknown roles with the list of valid ones (spec README rule). */
export const NotebookRoleInput = z.enum(NotebookRole, { error: `role must be one of: ${roleList}` });

export const Notebook = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  avatar: z.string().nullable(),
  user: z.object({ id: z.string(), role: z.enum(NotebookRole) }),
  status: z.number().int(),
  /** Bytes, as a decimal string (the reference keeps 64-bit sizes out of JSON numbers). */
  maxFileSize: z.string(),
});
export type Notebook = z.infer<typeof Notebook>;

export const NotebookList = z.object({ notebooks: z.array(Notebook) });

/** `name` is checked by the server so an empty one answers `notebook_name_required`, as documented. */
export const NotebookCreateBody = z.object({
  name: z.string().max(256).optional(),
  description: z.string().max(4_096).nullable().optional(),
  avatar: z.string().max(512).nullable().optional(),
});
export const NotebookUpdateBody = NotebookCreateBody;

export const Identity = z.object({
  userId: z.string(),
  username: z.string(),
  role: z.enum(NotebookRole),
  notebookId: z.string(),
});

export const NotebookUser = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  avatar: z.string().nullable(),
  role: z.enum(NotebookRole),
  customName: z.string().nullable(),
  customAvatar: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string().nullable(),
  revision: z.string(),
  status: z.number().int(),
});
export type NotebookUser = z.infer<typeof NotebookUser>;

export const Username = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, 'username may contain letters, digits, ".", "_" and "-"');

export const MAX_INVITES = 50;

/** Reference shape `{users:[{username, role}]}`; the SDK guide's `{usernames}` means role `collaborator`. */
export const InviteUsersBody = z.object({
  users: z
    .array(z.object({ username: Username, role: NotebookRoleInput }))
    .max(MAX_INVITES)
    .optional(),
  usernames: z.array(Username).max(MAX_INVITES).optional(),
});

export const InviteUsersResponse = z.object({
  users: z.array(NotebookUser),
  errors: z.array(z.object({ username: z.string(), error: z.string() })),
});

export const UserRoleParams = z.object({ notebookId: ApiId, userId: ApiId });
export const UserRoleBody = z.object({ role: NotebookRoleInput });
