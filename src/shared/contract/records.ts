import * as z from 'zod';
import { FIELD_KINDS, OPTION_COLORS, type FieldKind } from '../model/database';
import { FieldValue, type ValueType } from '../model/nodes';
import { FilterGroup, RecordSort, type FilterGroup as FilterGroupType } from '../model/record-query';
import { command, type CommandSpec } from './define';
import type { NodeView } from './nodes';
import { accountId, id } from './schemas';

/** Databases: their fields and saved views, and their records queried from the replica. */

export interface OptionView {
  id: string;
  name: string;
  color: string;
}

export interface FieldView {
  id: string;
  name: string;
  /** The API's value type the field stores. */
  type: ValueType;
  /** How it is shown and edited. */
  kind: FieldKind;
  /** Select and multi-select: the choices, in order. */
  options: OptionView[];
}

export interface SavedView {
  id: string;
  name: string;
  /** `table`, `board` or `calendar` (a layout of a newer app is shown as a table). */
  layout: 'table' | 'board' | 'calendar';
  filter: FilterGroupType;
  sorts: z.infer<typeof RecordSort>[];
  hidden: string[];
  widths: Record<string, number>;
  groupBy: string | null;
  dateField: string | null;
  /** Not saved yet: a database without views shows this one, saved once it is changed. */
  implicit: boolean;
  /** Filters and sorts that name a field the database no longer has: kept, shown, not applied. */
  stale: string[];
}

export interface DatabaseView {
  node: NodeView;
  fields: FieldView[];
  views: SavedView[];
  recordCount: number;
  /** Who a person field can name: the notebook's members (this user first). */
  people: { id: string; name: string }[];
  /** What this user may do here (the permission table). */
  can: { editSchema: boolean; addRecords: boolean; editRecords: boolean };
}

export interface RecordView {
  id: string;
  databaseId: string;
  name: string;
  icon: string | null;
  values: Record<string, FieldValue>;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  /** Local edits not yet confirmed. */
  pending: boolean;
  /** This user may change it (its author, or an editor). */
  canEdit: boolean;
}

export interface RecordPageView {
  total: number;
  offset: number;
  records: RecordView[];
}

export interface RecordGroupView {
  /** The option id, or null for records without one. */
  key: string | null;
  total: number;
  records: RecordView[];
}

const fieldId = z.string().min(1).max(64);
const position = z.object({ beforeId: fieldId.optional(), afterId: fieldId.optional() });
const fieldName = z.string().trim().max(256);
const viewPatch = {
  name: fieldName.min(1).optional(),
  layout: z.enum(['table', 'board', 'calendar']).optional(),
  filter: FilterGroup.optional(),
  sorts: RecordSort.array().max(10).optional(),
  hidden: z.array(fieldId).max(500).optional(),
  widths: z.record(fieldId, z.number().int().min(40).max(2_000)).optional(),
  groupBy: fieldId.nullable().optional(),
  dateField: fieldId.nullable().optional(),
};

/** One change of a database's schema or views (each one edit of the database node). */
export const DatabaseChange = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('field.add'),
    name: fieldName,
    kind: z.enum(FIELD_KINDS),
    afterId: fieldId.optional(),
  }),
  z.object({
    op: z.literal('field.update'),
    fieldId,
    name: fieldName.optional(),
    kind: z.enum(FIELD_KINDS).optional(),
  }),
  z.object({ op: z.literal('field.move'), fieldId, position }),
  z.object({ op: z.literal('field.delete'), fieldId }),
  z.object({
    op: z.literal('option.add'),
    fieldId,
    name: fieldName.min(1),
    color: z.enum(OPTION_COLORS).optional(),
  }),
  z.object({
    op: z.literal('option.update'),
    fieldId,
    optionId: fieldId,
    name: fieldName.min(1).optional(),
    color: z.enum(OPTION_COLORS).optional(),
  }),
  z.object({ op: z.literal('option.delete'), fieldId, optionId: fieldId }),
  z.object({
    op: z.literal('view.add'),
    name: fieldName.min(1),
    layout: z.enum(['table', 'board', 'calendar']),
  }),
  z.object({ op: z.literal('view.update'), viewId: fieldId, ...viewPatch }),
  z.object({ op: z.literal('view.delete'), viewId: fieldId }),
  z.object({ op: z.literal('view.move'), viewId: fieldId, position }),
]);
export type DatabaseChange = z.infer<typeof DatabaseChange>;

/** What the records commands select: a filter and sorts (a saved view's, or being edited). */
const query = z
  .object({ filter: FilterGroup.optional(), sorts: RecordSort.array().max(10).optional() })
  .default({});

export const recordCommands = {
  'database.get': command<DatabaseView>()(() => z.object({ accountId, databaseId: id })),
  /** A new database with a Status field and a table view, inside a section or page. */
  'database.create': command<DatabaseView>()(() =>
    z.object({ accountId, notebookId: id, parentId: id, name: fieldName }),
  ),
  /** A schema or view change; answers the database as it now is and the id of what was added, if anything. */
  'database.change': command<{ database: DatabaseView; createdId: string | null }>()(() =>
    z.object({ accountId, databaseId: id, change: DatabaseChange }),
  ),
  /** The records a filter and sorts select, a window of them (computed over the replica, offline too). */
  'records.query': command<RecordPageView>()(() =>
    z.object({
      accountId,
      databaseId: id,
      query,
      offset: z.number().int().min(0).max(10_000_000).default(0),
      limit: z.number().int().min(1).max(1_000).default(100),
    }),
  ),
  /** A board: the selected records per option of a select field (up to `perGroup` each, and each total). */
  'records.groups': command<RecordGroupView[]>()(() =>
    z.object({
      accountId,
      databaseId: id,
      query,
      fieldId,
      perGroup: z.number().int().min(1).max(500).default(100),
    }),
  ),
  'record.get': command<RecordView>()(() => z.object({ accountId, recordId: id })),
  'record.create': command<RecordView>()(() =>
    z.object({
      accountId,
      databaseId: id,
      name: fieldName.default(''),
      values: z.record(fieldId, FieldValue).optional(),
    }),
  ),
  /** Renames and sets field values (`null` clears one); values must fit their field's type. */
  'record.update': command<RecordView>()(() =>
    z.object({
      accountId,
      recordId: id,
      name: fieldName.optional(),
      set: z.record(fieldId, FieldValue.nullable()).optional(),
    }),
  ),
} as const satisfies Record<string, CommandSpec<z.ZodType, unknown>>;
