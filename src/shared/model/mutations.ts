import * as z from 'zod';
import { isBase64 } from '../lib/base64';

/**
 * The Hoody mutation wire format (POST /notebooks/{id}/mutations), shared by the desktop outbox and the
 * server. `data` of node and document mutations is a base64 (standard alphabet) Yjs update.
 */
export const MutationType = {
  nodeCreate: 'node.create',
  nodeUpdate: 'node.update',
  nodeDelete: 'node.delete',
  reactionCreate: 'node.reaction.create',
  reactionDelete: 'node.reaction.delete',
  interactionSeen: 'node.interaction.seen',
  interactionOpened: 'node.interaction.opened',
  documentUpdate: 'document.update',
} as const;
export type MutationType = (typeof MutationType)[keyof typeof MutationType];

export const MAX_MUTATIONS_PER_BATCH = 500;

const wireId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an id');
const timestamp = z.iso.datetime({ offset: true });
const yjsUpdate = z
  .string()
  .min(4)
  .max(16 * 1024 * 1024)
  // Not a regex: the server refused a 2 MB paste's update with a stack overflow in the pattern (issue 10).
  .refine(isBase64, 'must be standard base64');
const reaction = z.string().min(1).max(64);

const envelope = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({ id: wireId, createdAt: timestamp, type: z.literal(type), data });

const nodeUpdateData = z.object({ nodeId: wireId, updateId: wireId, createdAt: timestamp, data: yjsUpdate });

export const Mutation = z.discriminatedUnion('type', [
  envelope(MutationType.nodeCreate, nodeUpdateData),
  envelope(MutationType.nodeUpdate, nodeUpdateData),
  envelope(MutationType.nodeDelete, z.object({ nodeId: wireId, rootId: wireId, deletedAt: timestamp })),
  envelope(
    MutationType.reactionCreate,
    z.object({ nodeId: wireId, reaction, rootId: wireId, createdAt: timestamp }),
  ),
  envelope(
    MutationType.reactionDelete,
    z.object({ nodeId: wireId, reaction, rootId: wireId, deletedAt: timestamp }),
  ),
  envelope(
    MutationType.interactionSeen,
    z.object({ nodeId: wireId, collaboratorId: wireId, seenAt: timestamp }),
  ),
  envelope(
    MutationType.interactionOpened,
    z.object({ nodeId: wireId, collaboratorId: wireId, openedAt: timestamp }),
  ),
  envelope(
    MutationType.documentUpdate,
    z.object({ documentId: wireId, updateId: wireId, data: yjsUpdate, createdAt: timestamp }),
  ),
]);
export type Mutation = z.infer<typeof Mutation>;
export type MutationOf<T extends MutationType> = Extract<Mutation, { type: T }>;

export const MutationBatch = z.object({
  mutations: z.array(z.unknown()).min(1).max(MAX_MUTATIONS_PER_BATCH),
});

/** Per-mutation outcome: an HTTP-like status (200/201 applied; 4xx permanent; 5xx transient). */
export interface MutationResult {
  id: string;
  status: number;
}
