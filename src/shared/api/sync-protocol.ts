import * as z from 'zod';
import { NodeRole as NodeRoleValues, type NodeRole } from '../model/roles';
import { ApiId } from './common';

/**
 * The socket protocol (`GET /api/v1/notes/sockets/{socketId}`), shared by the server and the desktop sync
 * engine. Documented in docs/sync-protocol.md. Every frame is one JSON text message with `v` and `type`.
 */
export const PROTOCOL_VERSION = 1;

export const SyncLimits = {
  /** Largest accepted client frame; bigger ones close the socket with 1009. */
  maxFrameBytes: 256 * 1024,
  /** Items per `sync.output`; the client asks again with the advanced cursor for the rest. */
  batchSize: 100,
  /** A socket id from `POST /sockets` works once, within this time. */
  socketIdTtlMs: 60_000,
  /** Server pings this often; a peer that misses one full interval is terminated. */
  heartbeatMs: 30_000,
  /** Client frames per second before the socket is closed with 1008. */
  maxFramesPerSecond: 200,
  /** Parked `sync.input`s one socket may hold (each stream id counts once). */
  maxParkedInputs: 2_000,
} as const;

/** WebSocket close codes the server uses (RFC 6455 §7.4.1). */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  unsupportedData: 1003,
  invalidPayload: 1007,
  policyViolation: 1008,
  messageTooBig: 1009,
  internalError: 1011,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

export const StreamType = {
  users: 'users',
  collaborations: 'collaborations',
  nodeUpdates: 'node.updates',
  nodeReactions: 'node.reactions',
  nodeInteractions: 'node.interactions',
  nodeTombstones: 'node.tombstones',
  documentUpdates: 'document.updates',
  nodeComments: 'node.comments',
} as const;
export type StreamType = (typeof StreamType)[keyof typeof StreamType];

/** Streams scoped to one root (a section): the client opens these for every root in `collaborations`. */
export const ROOT_STREAM_TYPES = [
  StreamType.nodeUpdates,
  StreamType.nodeReactions,
  StreamType.nodeInteractions,
  StreamType.nodeTombstones,
  StreamType.documentUpdates,
  StreamType.nodeComments,
] as const;
export type RootStreamType = (typeof ROOT_STREAM_TYPES)[number];

/** Cursors are decimal revision strings; "0" reads from the start. */
export const Cursor = z.string().regex(/^(0|[1-9]\d{0,17})$/, 'cursor must be a decimal revision');

export const StreamSpec = z.discriminatedUnion('type', [
  z.object({ type: z.literal(StreamType.users), notebookId: ApiId }).strict(),
  z.object({ type: z.literal(StreamType.collaborations), notebookId: ApiId }).strict(),
  ...ROOT_STREAM_TYPES.map((type) =>
    z.object({ type: z.literal(type), notebookId: ApiId, rootId: ApiId }).strict(),
  ),
]);
export type StreamSpec = z.infer<typeof StreamSpec>;

/**
 * A stream's key: the `id` a client gives its `sync.input` (the server answers under it in `sync.output` and
 * `sync.error`), and the key its cursor is saved under: `<notebookId>.<type>` or `<notebookId>.<rootId>.<type>`.
 * Ids never contain a dot (`ApiId`), so a key reads back unambiguously (`parseStreamKey`). Built only here.
 */
export function streamKey(spec: StreamSpec): string {
  return `${streamKeyPrefix(spec.notebookId, 'rootId' in spec ? spec.rootId : undefined)}${spec.type}`;
}

/** What every stream key of a notebook, or of one root of it, starts with (to drop their cursors together). */
export function streamKeyPrefix(notebookId: string, rootId?: string): string {
  return rootId === undefined ? `${notebookId}.` : `${notebookId}.${rootId}.`;
}

/** The notebook (and root, for root streams) a stream key names; null for anything that is not one. */
export function parseStreamKey(
  key: string,
): { notebookId: string; rootId: string | null; type: string } | null {
  const [notebookId, second, ...rest] = key.split('.');
  if (!notebookId || !second) return null;
  return rest.length === 0
    ? { notebookId, rootId: null, type: second }
    : { notebookId, rootId: second, type: rest.join('.') };
}

const frame = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ v: z.literal(PROTOCOL_VERSION), type: z.literal(type), ...shape }).strict();

/** A base64 (standard alphabet) Yjs relative position. */
const RelativePosition = z
  .string()
  .max(512)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

export const PresenceState = z
  .object({
    /** ProseMirror selection within the page's document. */
    selection: z
      .object({
        anchor: z.number().int().min(0),
        head: z.number().int().min(0),
        /**
         * The same ends as Yjs relative positions of the page's document (base64 of
         * `Y.encodeRelativePosition`): they stay on the right character while others edit. Optional; when
         * present, clients prefer them over the absolute positions.
         */
        anchorRel: RelativePosition.optional(),
        headRel: RelativePosition.optional(),
      })
      .strict()
      .nullable(),
    name: z.string().max(128).optional(),
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/)
      .optional(),
  })
  .strict();
export type PresenceState = z.infer<typeof PresenceState>;

/** Client → server frames. */
export const ClientFrame = z.discriminatedUnion('type', [
  /**
   * Asks for items after `cursor`. The server answers at once when there are any, otherwise parks the input and
   * answers when something arrives. Sending the next input with an advanced cursor acknowledges the previous
   * output; re-sending the same `id` replaces the parked input.
   */
  frame('sync.input', { id: z.string().min(1).max(128), stream: StreamSpec, cursor: Cursor }),
  frame('ping', { nonce: z.string().max(64).optional() }),
  /** Joins (state object) or leaves (null) a page; relayed to the other viewers of that page. */
  frame('presence', { notebookId: ApiId, nodeId: ApiId, state: PresenceState.nullable() }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

export interface StreamItem<D> {
  cursor: string;
  data: D;
}

export interface UserItem {
  id: string;
  notebookId: string;
  username: string;
  name: string;
  avatar: string | null;
  role: string;
  status: number;
  createdAt: string;
  updatedAt: string | null;
  revision: string;
}
export interface CollaborationItem {
  notebookId: string;
  collaboratorId: string;
  /** The root (section) this grants access to. */
  nodeId: string;
  /** null: access was removed; the client drops that root's local data. */
  role: NodeRole | null;
  createdAt: string;
  updatedAt: string | null;
  deletedAt: string | null;
  revision: string;
}
export interface NodeUpdateItem {
  id: string;
  nodeId: string;
  rootId: string;
  notebookId: string;
  /** base64 Yjs update of the node's attribute doc. */
  data: string;
  createdAt: string;
  createdBy: string;
  mergedUpdates: string[];
  revision: string;
}
export interface NodeReactionItem {
  nodeId: string;
  collaboratorId: string;
  reaction: string;
  rootId: string;
  notebookId: string;
  createdAt: string;
  deletedAt: string | null;
  revision: string;
}
export interface NodeInteractionItem {
  nodeId: string;
  collaboratorId: string;
  rootId: string;
  notebookId: string;
  firstSeenAt: string | null;
  lastSeenAt: string | null;
  firstOpenedAt: string | null;
  lastOpenedAt: string | null;
  revision: string;
}
export interface NodeTombstoneItem {
  id: string;
  rootId: string;
  notebookId: string;
  deletedBy: string;
  deletedAt: string;
  revision: string;
}
export interface DocumentUpdateItem {
  id: string;
  documentId: string;
  rootId: string;
  notebookId: string;
  /** base64 Yjs update of the document doc. */
  data: string;
  createdAt: string;
  createdBy: string;
  mergedUpdates: string[];
  revision: string;
}

export interface StreamItemData {
  users: UserItem;
  collaborations: CollaborationItem;
  'node.updates': NodeUpdateItem;
  'node.reactions': NodeReactionItem;
  'node.interactions': NodeInteractionItem;
  'node.tombstones': NodeTombstoneItem;
  'document.updates': DocumentUpdateItem;
  'node.comments': NodeCommentsItem;
}

/** A page whose comments changed (created, edited, resolved, reopened, re-anchored or deleted): fetch them. */
export interface NodeCommentsItem {
  nodeId: string;
  rootId: string;
  notebookId: string;
  changedAt: string;
  revision: string;
}

/** Server → client frames. */
export type ServerFrame =
  | { v: typeof PROTOCOL_VERSION; type: 'hello'; socketId: string; userId: string; heartbeatMs: number }
  | {
      v: typeof PROTOCOL_VERSION;
      type: 'sync.output';
      id: string;
      stream: StreamSpec;
      items: StreamItem<StreamItemData[StreamType]>[];
    }
  | { v: typeof PROTOCOL_VERSION; type: 'sync.error'; id: string; code: string; message: string }
  | { v: typeof PROTOCOL_VERSION; type: 'pong'; nonce?: string }
  /**
   * The user's own membership of a notebook changed (invited, role changed, removed, left): the client asks
   * `GET /notebooks` again, so a notebook shared with them arrives without a reconnect. Carries no data.
   */
  | { v: typeof PROTOCOL_VERSION; type: 'notebooks.changed'; notebookId: string }
  | {
      v: typeof PROTOCOL_VERSION;
      type: 'presence';
      notebookId: string;
      nodeId: string;
      userId: string;
      socketId: string;
      state: PresenceState | null;
    };

export const SocketInitResponse = z.object({ id: z.string() });

// ── Server frames as schemas (clients validate every frame they receive) ─────────────────────────────────

const Revision = Cursor;
const Timestamp = z.string().min(1).max(64);
const NullableTimestamp = Timestamp.nullable();
const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

/** The fields `node.updates` and `document.updates` items share (each adds the id of its object). */
const yjsUpdateItem = {
  id: ApiId,
  rootId: ApiId,
  notebookId: ApiId,
  data: Base64,
  createdAt: Timestamp,
  createdBy: ApiId,
  mergedUpdates: z.array(ApiId),
  revision: Revision,
};

/** Item `data` per stream type. Unknown fields are dropped (a newer server may add some), not refused. */
export const StreamItemSchemas = {
  users: z.object({
    id: ApiId,
    notebookId: ApiId,
    // Generous bounds: a frame is refused whole, so a limit tighter than the server's would wedge sync.
    username: z.string().max(4_096),
    name: z.string().max(4_096),
    avatar: z.string().max(1_000_000).nullable(),
    role: z.string().max(64),
    status: z.number().int(),
    createdAt: Timestamp,
    updatedAt: NullableTimestamp,
    revision: Revision,
  }),
  collaborations: z.object({
    notebookId: ApiId,
    collaboratorId: ApiId,
    nodeId: ApiId,
    role: z.enum(NodeRoleValues).nullable(),
    createdAt: Timestamp,
    updatedAt: NullableTimestamp,
    deletedAt: NullableTimestamp,
    revision: Revision,
  }),
  'node.updates': z.object({ ...yjsUpdateItem, nodeId: ApiId }),
  'node.reactions': z.object({
    nodeId: ApiId,
    collaboratorId: ApiId,
    reaction: z.string().min(1).max(1_024),
    rootId: ApiId,
    notebookId: ApiId,
    createdAt: Timestamp,
    deletedAt: NullableTimestamp,
    revision: Revision,
  }),
  'node.interactions': z.object({
    nodeId: ApiId,
    collaboratorId: ApiId,
    rootId: ApiId,
    notebookId: ApiId,
    firstSeenAt: NullableTimestamp,
    lastSeenAt: NullableTimestamp,
    firstOpenedAt: NullableTimestamp,
    lastOpenedAt: NullableTimestamp,
    revision: Revision,
  }),
  'node.tombstones': z.object({
    id: ApiId,
    rootId: ApiId,
    notebookId: ApiId,
    deletedBy: ApiId,
    deletedAt: Timestamp,
    revision: Revision,
  }),
  'document.updates': z.object({ ...yjsUpdateItem, documentId: ApiId }),
  'node.comments': z.object({
    nodeId: ApiId,
    rootId: ApiId,
    notebookId: ApiId,
    changedAt: Timestamp,
    revision: Revision,
  }),
} as const satisfies { [K in StreamType]: z.ZodType<StreamItemData[K]> };

const serverFrame = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ v: z.literal(PROTOCOL_VERSION), type: z.literal(type), ...shape });

/**
 * Server → client frames. `sync.output` items are checked here only as `{cursor, data}`; their `data` is
 * checked against `StreamItemSchemas[stream.type]` (see `parseServerFrame` in the client).
 */
export const ServerFrameSchema = z.discriminatedUnion('type', [
  serverFrame('hello', {
    socketId: z.string().min(1).max(128),
    userId: ApiId,
    heartbeatMs: z.number().int().positive(),
  }),
  serverFrame('sync.output', {
    id: z.string().min(1).max(128),
    stream: StreamSpec,
    items: z
      .array(z.object({ cursor: Cursor, data: z.unknown() }))
      .min(1)
      .max(SyncLimits.batchSize),
  }),
  serverFrame('sync.error', {
    id: z.string().min(1).max(256),
    code: z.string().max(128),
    message: z.string().max(4_096),
  }),
  serverFrame('pong', { nonce: z.string().max(64).optional() }),
  serverFrame('notebooks.changed', { notebookId: ApiId }),
  serverFrame('presence', {
    notebookId: ApiId,
    nodeId: ApiId,
    userId: ApiId,
    socketId: z.string().min(1).max(128),
    state: PresenceState.nullable(),
  }),
]);
