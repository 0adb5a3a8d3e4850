import * as z from 'zod';
import { NodeRole } from '../model/roles';
import { ApiId } from './common';

const roleList = NodeRole.join(', ');
export const NodeRoleInput = z.enum(NodeRole, { error: `role must be one of: ${roleList}` });

/** Reference body `{collaboratorId, role}`; the SDK guide's `{userId, role}` is accepted too. */
export const AddCollaboratorBody = z.object({
  collaboratorId: ApiId.optional(),
  userId: ApiId.optional(),
  role: NodeRoleInput,
});
export const UpdateCollaboratorBody = z.object({ role: NodeRoleInput });
export const CollaboratorParams = z.object({ notebookId: ApiId, nodeId: ApiId, collaboratorId: ApiId });

export const Collaborator = z.object({
  userId: z.string(),
  role: z.enum(NodeRole),
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export const CollaboratorWithUser = Collaborator.extend({
  name: z.string(),
  username: z.string(),
  avatar: z.string().nullable(),
});
export const CollaboratorList = z.object({ collaborators: z.array(CollaboratorWithUser) });
