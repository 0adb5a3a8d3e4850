import * as z from 'zod';
import { FilterGroup, RecordSort } from './record-query';
import { NodeRole } from './roles';

/** Node types of the Hoody Notes model. Sections are the roots of a notebook's tree. */
export const NodeType = {
  section: 'section',
  page: 'page',
  channel: 'channel',
  message: 'message',
  database: 'database',
  record: 'record',
} as const;
export type NodeType = (typeof NodeType)[keyof typeof NodeType];
export const NODE_TYPES = Object.values(NodeType) as [NodeType, ...NodeType[]];

/**
 * A node's type as a replica stores it: one of ours, or one this app does not know (made by a newer app or
 * server). Unknown ones are kept and shown, never dropped (their children would vanish with them).
 */
export type StoredNodeType = NodeType | (string & {});
export const isKnownNodeType = (type: string): type is NodeType =>
  (NODE_TYPES as readonly string[]).includes(type);

/** Shown inside their database or channel (table, chat), not as rows of the sidebar tree. */
export const NESTED_CONTENT_TYPES: readonly NodeType[] = ['record', 'message'];

/** Which parent types each node type may live under (`null` = a root of the notebook). */
export const ALLOWED_PARENTS: Record<NodeType, readonly (NodeType | null)[]> = {
  section: [null],
  page: ['section', 'page'],
  channel: ['section'],
  message: ['channel'],
  database: ['section', 'page'],
  record: ['database'],
};

/** Types whose content is a rich-text document (Yjs doc keyed by the node id). */
export const TYPES_WITH_DOCUMENT: ReadonlySet<NodeType> = new Set<NodeType>(['page', 'record', 'message']);
/** Whether a stored node has a document (an unknown type's, if any, is not ours to read). */
export const hasDocument = (type: StoredNodeType): boolean =>
  isKnownNodeType(type) && TYPES_WITH_DOCUMENT.has(type);

/** Types that carry a collaborators map (node roles are inherited from the nearest one up the tree). */
export const TYPES_WITH_COLLABORATORS: ReadonlySet<NodeType> = new Set<NodeType>([
  'section',
  'page',
  'database',
]);

export const MAX_NAME_LENGTH = 256;

const nameSchema = z.string().max(MAX_NAME_LENGTH);

/** A page's safe alias, unique within its notebook (`GET …/nodes/alias/{alias}` resolves it). */
export const NodeAlias = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Alias must be lowercase alphanumeric with dashes');
const iconSchema = z.string().max(64);

/** Database field values (`boolean|string|string_array|number|text`). */
export const FieldValue = z.discriminatedUnion('type', [
  z.object({ type: z.literal('boolean'), value: z.boolean() }),
  z.object({ type: z.literal('string'), value: z.string().max(10_000) }),
  z.object({ type: z.literal('string_array'), value: z.array(z.string().max(1_000)).max(1_000) }),
  z.object({ type: z.literal('number'), value: z.number().finite() }),
  z.object({ type: z.literal('text'), value: z.string().max(100_000) }),
]);
export type FieldValue = z.infer<typeof FieldValue>;

/** The value types the API's field values carry. */
export const VALUE_TYPES = ['boolean', 'string', 'string_array', 'number', 'text'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

const keyed = <T extends z.ZodType>(value: T, max: number) =>
  z
    .record(z.string().min(1).max(64), value)
    .refine((map) => Object.keys(map).length <= max, `at most ${max} entries`);

/** A choice of a select or multi-select field; records store its id, so renaming it changes no record. */
export const FieldOption = z.object({
  name: nameSchema,
  color: z.string().max(32).optional(),
  index: z.string().max(128).optional(),
});

/**
 * A database field. `type` is the API's value type; `kind` is how the app shows and edits it (text, number,
 * checkbox, date, select, …, see database.ts) — absent, or one a newer app added, it is read from `type`.
 */
export const DatabaseField = z.object({
  name: nameSchema,
  type: z.enum(VALUE_TYPES),
  kind: z.string().max(32).optional(),
  index: z.string().max(128).optional(),
  options: keyed(FieldOption, 500).optional(),
});
export type DatabaseField = z.infer<typeof DatabaseField>;

/** A saved view of a database: its layout, filters, sorts and columns, synced with the database. */
export const DatabaseViewAttributes = z.object({
  name: nameSchema,
  /** `table`, `board` (grouped by a select field) or `calendar` (by a date field); another is kept as is. */
  layout: z.string().min(1).max(32),
  index: z.string().max(128).optional(),
  filter: FilterGroup.optional(),
  sorts: RecordSort.array().max(10).optional(),
  /** Fields not shown in this view. */
  hidden: z.array(z.string().max(64)).max(500).optional(),
  widths: keyed(z.number().int().min(40).max(2_000), 500).optional(),
  groupBy: z.string().max(64).optional(),
  dateField: z.string().max(64).optional(),
});
export type DatabaseViewAttributes = z.infer<typeof DatabaseViewAttributes>;

/**
 * Attributes every node carries in its Yjs map. Trash is an attribute (`trashedAt`), so moving a page to the
 * trash syncs like any edit and can be undone on every device; only purge sends `node.delete` (a tombstone).
 */
const common = {
  parentId: z.string().min(1).max(64).nullable(),
  index: z.string().min(1).max(128),
  name: nameSchema,
  icon: iconSchema.nullable().optional(),
  trashedAt: z.string().nullable().optional(),
  collaborators: z.record(z.string().max(64), z.enum(NodeRole)).optional(),
};

export const NodeAttributes = z.discriminatedUnion('type', [
  z.object({ type: z.literal('section'), ...common, description: z.string().max(4_096).optional() }),
  z.object({ type: z.literal('page'), ...common, alias: NodeAlias.nullable().optional() }),
  z.object({ type: z.literal('channel'), ...common }),
  z.object({
    type: z.literal('message'),
    ...common,
    /** When its text was last edited after it was sent (shown as "edited"). */
    editedAt: z.string().max(64).nullable().optional(),
  }),
  z.object({
    type: z.literal('database'),
    ...common,
    fields: keyed(DatabaseField, 200).optional(),
    views: keyed(DatabaseViewAttributes, 100).optional(),
  }),
  z.object({
    type: z.literal('record'),
    ...common,
    values: z.record(z.string().max(64), FieldValue).optional(),
  }),
]);
export type NodeAttributes = z.infer<typeof NodeAttributes>;

/**
 * What can be read of attributes the model refuses (an unknown type, or a field a newer app added in a form
 * this one does not know): the common attributes, and everything else kept as it was. Such a node is stored
 * and shown as it is; only its name, icon and trash can be changed here.
 */
export const StoredNodeAttributes = z.looseObject({
  type: z.string().min(1).max(64),
  parentId: z.string().min(1).max(64).nullable(),
  index: z.string().min(1).max(128),
  name: z
    .string()
    .max(MAX_NAME_LENGTH * 4)
    .catch(''),
  icon: iconSchema.nullable().optional().catch(null),
  trashedAt: z.string().nullable().optional().catch(null),
});
export type StoredNodeAttributes = z.infer<typeof StoredNodeAttributes>;
