import type * as z from 'zod';
import type { DatabaseChange, FieldView, OptionView, SavedView } from '../../shared/contract';
import { IdPrefix, newId } from '../../shared/lib/ids';
import { parseSafely } from '../../shared/lib/parse-safely';
import { badRequest } from '../../shared/lib/result';
import { OPTION_COLORS, VALUE_TYPE_OF_KIND, kindOf } from '../../shared/model/database';
import {
  DatabaseField,
  DatabaseViewAttributes,
  FieldOption,
  type NodeAttributes,
} from '../../shared/model/nodes';
import { keyBetween, type Position } from '../../shared/model/ordering';
import type { FilterGroup, RecordFilter } from '../../shared/model/record-query';

/**
 * A database's schema (fields, their options) and saved views as stored in its node attributes, read into
 * the contract's views and changed by one DatabaseChange at a time. Pure: the service saves the result.
 * Everything from elsewhere is read defensively: a field, option or view this app cannot read is left out
 * of what is shown and kept as it is in the attributes.
 */
export type DatabaseAttributes = Extract<NodeAttributes, { type: 'database' }>;
type Fields = NonNullable<DatabaseAttributes['fields']>;
type Views = NonNullable<DatabaseAttributes['views']>;

/** A database without saved views shows this table; changing it saves it under this id. */
export const IMPLICIT_VIEW_ID = 'table';

interface Indexed {
  id: string;
  index?: string | undefined;
}
/** Fractional index order, those without an index (made through the API) last, then by id. */
const byIndex = (a: Indexed, b: Indexed): number => {
  const x = a.index ?? '\uffff';
  const y = b.index ?? '\uffff';
  return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

function readable<T>(map: Record<string, unknown> | undefined, schema: z.ZodType<T>): [string, T][] {
  return Object.entries(map ?? {}).flatMap(([id, raw]) => {
    const parsed = parseSafely(schema, raw);
    return parsed.success ? [[id, parsed.data] as [string, T]] : [];
  });
}

export function fieldViews(fields: Record<string, unknown> | undefined): FieldView[] {
  return readable(fields, DatabaseField)
    .map(([id, field]) => ({ id, ...field }))
    .sort(byIndex)
    .map((field) => ({
      id: field.id,
      name: field.name,
      type: field.type,
      kind: kindOf(field),
      options: readable(field.options, FieldOption)
        .map(([id, option]) => ({ id, ...option }))
        .sort(byIndex)
        .map((option): OptionView => ({
          id: option.id,
          name: option.name,
          color: (OPTION_COLORS as readonly string[]).includes(option.color ?? '') ? option.color! : 'gray',
        })),
    }));
}

const LAYOUTS = ['table', 'board', 'calendar'] as const;

/** Filters naming fields the database does not have (deleted, or not synced yet) are dropped, and named. */
function prune(group: FilterGroup, known: (field: string) => boolean, stale: Set<string>): FilterGroup {
  const filters = group.filters.flatMap((f): (RecordFilter | FilterGroup)[] => {
    if ('mode' in f) return [prune(f, known, stale)];
    if (known(f.field)) return [f];
    stale.add(f.field);
    return [];
  });
  return { mode: group.mode, filters };
}

export function savedViews(
  attributes: { fields?: unknown; views?: unknown },
  fields: FieldView[],
): SavedView[] {
  const known = (field: string): boolean => field === 'name' || fields.some((f) => f.id === field);
  const views = readable(attributes.views as Record<string, unknown> | undefined, DatabaseViewAttributes)
    .map(([id, view]) => ({ id, ...view }))
    .sort(byIndex);
  const shown = views.length > 0 ? views : [{ id: IMPLICIT_VIEW_ID, name: 'Table', layout: 'table' }];
  return shown.map((view: Partial<DatabaseViewAttributes> & { id: string; name: string; layout: string }) => {
    const stale = new Set<string>();
    const filter = prune(view.filter ?? { mode: 'and', filters: [] }, known, stale);
    const sorts = (view.sorts ?? []).filter((s) => {
      if (known(s.field)) return true;
      stale.add(s.field);
      return false;
    });
    const layout = (LAYOUTS as readonly string[]).includes(view.layout)
      ? (view.layout as SavedView['layout'])
      : 'table';
    return {
      id: view.id,
      name: view.name,
      layout,
      filter,
      sorts,
      hidden: view.hidden ?? [],
      widths: view.widths ?? {},
      groupBy: view.groupBy && known(view.groupBy) ? view.groupBy : null,
      dateField: view.dateField && known(view.dateField) ? view.dateField : null,
      implicit: views.length === 0,
      stale: [...stale],
    };
  });
}

/** A new database: a Status field (three options) and a table view. */
export function defaultSchema(): Pick<DatabaseAttributes, 'fields' | 'views'> {
  const status = newId(IdPrefix.field);
  let index: string | null = null;
  const options: Record<string, { name: string; color: string; index: string }> = {};
  for (const [name, color] of [
    ['Not started', 'gray'],
    ['In progress', 'blue'],
    ['Done', 'green'],
  ] as const) {
    index = keyBetween(index, null);
    options[newId(IdPrefix.option)] = { name, color, index };
  }
  return {
    fields: {
      [status]: { name: 'Status', type: 'string', kind: 'select', index: keyBetween(null, null), options },
    },
    views: { [newId(IdPrefix.view)]: { name: 'Table', layout: 'table', index: keyBetween(null, null) } },
  };
}

/** Where an item lands among ordered siblings (all given indexes first if some have none). */
function placed<T extends { index?: string | undefined }>(
  map: Record<string, T>,
  movingId: string,
  position: Position,
): Record<string, T> {
  const order = Object.entries(map)
    .map(([id, item]) => ({ id, index: item.index }))
    .sort(byIndex)
    .filter((item) => item.id !== movingId);
  const anchor = position.beforeId ?? position.afterId;
  let at = order.length;
  if (anchor !== undefined) {
    const i = order.findIndex((item) => item.id === anchor);
    if (i < 0)
      throw badRequest('Position refers to an item that is not there', [
        { path: 'position', message: anchor },
      ]);
    at = position.beforeId !== undefined ? i : i + 1;
  }
  const ids = [...order.slice(0, at).map((i) => i.id), movingId, ...order.slice(at).map((i) => i.id)];
  const next: Record<string, T> = { ...map };
  // Without indexes everywhere a key between neighbours is not defined: number them all, in order.
  if (ids.some((id) => next[id]?.index === undefined)) {
    let key: string | null = null;
    for (const id of ids) {
      key = keyBetween(key, null);
      next[id] = { ...next[id]!, index: key };
    }
    return next;
  }
  const k = ids.indexOf(movingId);
  next[movingId] = {
    ...next[movingId]!,
    index: keyBetween(next[ids[k - 1] ?? '']?.index ?? null, next[ids[k + 1] ?? '']?.index ?? null),
  };
  return next;
}

const lastIndex = (map: Record<string, { index?: string | undefined }>): string | null =>
  Object.values(map).reduce<string | null>(
    (max, item) => (item.index && (!max || item.index > max) ? item.index : max),
    null,
  );

function requireKey<T>(map: Record<string, T>, id: string, what: string): T {
  const item = map[id];
  if (item === undefined) throw badRequest(`No such ${what}`, [{ path: `${what}Id`, message: id }]);
  return item;
}

/** The map without `key` (a copy). */
const omit = <T>(map: Record<string, T>, key: string): Record<string, T> =>
  Object.fromEntries(Object.entries(map).filter(([k]) => k !== key));

/** Without its undefined keys (a Yjs map stores what it is given, undefined included). */
const compact = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

const withoutField = (view: Views[string], fieldId: string): Views[string] =>
  compact({
    ...view,
    ...(view.hidden ? { hidden: view.hidden.filter((id) => id !== fieldId) } : {}),
    ...(view.groupBy === fieldId ? { groupBy: undefined } : {}),
    ...(view.dateField === fieldId ? { dateField: undefined } : {}),
  });

/**
 * The attributes after one change, and the id of what it added. A deleted field's values stay in the
 * records (a field deleted on one device while another sets it loses nothing), unshown; views forget it.
 */
export function applyChange(
  attributes: DatabaseAttributes,
  change: DatabaseChange,
): { next: DatabaseAttributes; createdId: string | null } {
  let fields: Fields = { ...attributes.fields };
  let views: Views = { ...attributes.views };
  let createdId: string | null = null;
  // The table shown for a database without views becomes a real one when it is first changed.
  const ensureView = (viewId: string): Views[string] => {
    if (views[viewId]) return views[viewId];
    if (viewId === IMPLICIT_VIEW_ID && Object.keys(views).length === 0)
      return (views[viewId] = { name: 'Table', layout: 'table', index: keyBetween(null, null) });
    return requireKey(views, viewId, 'view');
  };
  switch (change.op) {
    case 'field.add': {
      createdId = newId(IdPrefix.field);
      fields[createdId] = {
        name: change.name || 'Field',
        type: VALUE_TYPE_OF_KIND[change.kind],
        kind: change.kind,
        index: keyBetween(lastIndex(fields), null),
      };
      if (change.afterId) Object.assign(fields, placed(fields, createdId, { afterId: change.afterId }));
      break;
    }
    case 'field.update': {
      const field = requireKey(fields, change.fieldId, 'field');
      fields[change.fieldId] = {
        ...field,
        ...(change.name !== undefined ? { name: change.name } : {}),
        ...(change.kind !== undefined ? { kind: change.kind, type: VALUE_TYPE_OF_KIND[change.kind] } : {}),
      };
      break;
    }
    case 'field.move':
      requireKey(fields, change.fieldId, 'field');
      Object.assign(fields, placed(fields, change.fieldId, change.position));
      break;
    case 'field.delete':
      requireKey(fields, change.fieldId, 'field');
      fields = omit(fields, change.fieldId);
      for (const [id, view] of Object.entries(views)) views[id] = withoutField(view, change.fieldId);
      break;
    case 'option.add': {
      const field = requireKey(fields, change.fieldId, 'field');
      const options = { ...field.options };
      createdId = newId(IdPrefix.option);
      options[createdId] = {
        name: change.name,
        color: change.color ?? OPTION_COLORS[Object.keys(options).length % OPTION_COLORS.length],
        index: keyBetween(lastIndex(options), null),
      };
      fields[change.fieldId] = { ...field, options };
      break;
    }
    case 'option.update': {
      const field = requireKey(fields, change.fieldId, 'field');
      const options = { ...field.options };
      const option = requireKey(options, change.optionId, 'option');
      options[change.optionId] = {
        ...option,
        ...(change.name !== undefined ? { name: change.name } : {}),
        ...(change.color !== undefined ? { color: change.color } : {}),
      };
      fields[change.fieldId] = { ...field, options };
      break;
    }
    case 'option.delete': {
      const field = requireKey(fields, change.fieldId, 'field');
      requireKey({ ...field.options }, change.optionId, 'option');
      fields[change.fieldId] = { ...field, options: omit({ ...field.options }, change.optionId) };
      break;
    }
    case 'view.add':
      createdId = newId(IdPrefix.view);
      views[createdId] = {
        name: change.name,
        layout: change.layout,
        index: keyBetween(lastIndex(views), null),
      };
      break;
    case 'view.update': {
      const { op: _op, viewId, groupBy, dateField, ...patch } = change;
      const view = ensureView(viewId);
      views[viewId] = compact({
        ...view,
        ...compact(patch),
        ...(groupBy !== undefined ? { groupBy: groupBy ?? undefined } : {}),
        ...(dateField !== undefined ? { dateField: dateField ?? undefined } : {}),
      });
      break;
    }
    case 'view.delete':
      requireKey(views, change.viewId, 'view');
      if (Object.keys(views).length === 1) throw badRequest('A database keeps at least one view', []);
      views = omit(views, change.viewId);
      break;
    case 'view.move':
      ensureView(change.viewId);
      Object.assign(views, placed(views, change.viewId, change.position));
      break;
  }
  return { next: { ...attributes, fields, views }, createdId };
}
