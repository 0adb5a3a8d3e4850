import * as z from 'zod';
import type { FieldValue } from './nodes';

/**
 * What a database's filters and sorts mean — one definition for the server's records API (`GET …/records`,
 * evaluated here in JS) and for the desktop app, which computes the same query in SQLite over its replica
 * (`src/main/records/record-sql.ts`, checked against this by a seeded equivalence test).
 *
 * A record's value for a field is its stored value (`name` is the record's name); a missing field is empty.
 * - `eq`/`neq`: the same type and value (a list: contains the value as text). `neq` is exactly `not eq`.
 * - `contains`: a list contains the value as an element; anything else contains it as text, ignoring case
 *   (a number or boolean as its JSON text).
 * - `gt`/`gte`/`lt`/`lte`: only values of the filter value's type compare (numbers numerically, text by code
 *   points, booleans false < true); anything else — empty, a list, another type — does not match.
 * - `is_empty`: missing, empty text or an empty list.
 * Sorts: empty values last in either direction; values of different types order booleans, numbers, text,
 * lists (reversed by `desc` like the values); text ignoring case first, then by code points; lists as their
 * items joined by commas; ties by record id.
 */

export const FILTER_OPS = [
  'eq',
  'neq',
  'contains',
  'gt',
  'gte',
  'lt',
  'lte',
  'is_empty',
  'is_not_empty',
] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export const RecordFilter = z.object({
  field: z.string().min(1).max(64),
  op: z.enum(FILTER_OPS),
  value: z.union([z.string().max(10_000), z.number().finite(), z.boolean(), z.null()]).optional(),
});
export type RecordFilter = z.infer<typeof RecordFilter>;

export const RecordSort = z.object({
  field: z.string().min(1).max(64),
  dir: z.enum(['asc', 'desc']).default('asc'),
});
export type RecordSort = z.infer<typeof RecordSort>;

/** Filters combined: all of them (`and`) or any (`or`); groups nest up to MAX_FILTER_DEPTH. */
export interface FilterGroup {
  mode: 'and' | 'or';
  filters: (RecordFilter | FilterGroup)[];
}
export const MAX_FILTER_DEPTH = 3;
export const MAX_FILTERS = 50;

const depthOf = (group: FilterGroup): number =>
  1 + Math.max(0, ...group.filters.map((f) => ('mode' in f ? depthOf(f) : 0)));
const countOf = (group: FilterGroup): number =>
  group.filters.reduce((sum, f) => sum + ('mode' in f ? countOf(f) : 1), 0);

const GroupShape: z.ZodType<FilterGroup> = z.lazy(() =>
  z.object({
    mode: z.enum(['and', 'or']),
    filters: z.array(z.union([RecordFilter, GroupShape])).max(MAX_FILTERS),
  }),
);
export const FilterGroup: z.ZodType<FilterGroup> = GroupShape.refine(
  (group) => depthOf(group) <= MAX_FILTER_DEPTH,
  `filter groups nest at most ${MAX_FILTER_DEPTH} deep`,
).refine((group) => countOf(group) <= MAX_FILTERS, `at most ${MAX_FILTERS} filters`);

/** The records API's `filters` parameter: a list (all must match, as the API documents) or a group. */
export const FiltersParam = z.union([RecordFilter.array().max(MAX_FILTERS), FilterGroup]);
export const SortsParam = RecordSort.array().max(10);

export const asGroup = (filters: z.infer<typeof FiltersParam>): FilterGroup =>
  Array.isArray(filters) ? { mode: 'and', filters } : filters;

export interface QueryableRecord {
  id: string;
  name: string;
  values: Readonly<Record<string, FieldValue>>;
}

type Value = FieldValue['value'] | null;

export function valueOf(record: QueryableRecord, field: string): Value {
  if (field === 'name') return record.name;
  return record.values[field]?.value ?? null;
}

export const isEmptyValue = (value: Value): boolean =>
  value === null || value === '' || (Array.isArray(value) && value.length === 0);

/** Lowercase as JS does it (full Unicode); SQLite's lower() is ASCII-only, so main registers this one. */
export const foldCase = (text: string): string => text.toLowerCase();

/** Order of two strings by Unicode code points (= UTF-8 bytes, SQLite's BINARY), not UTF-16 units. */
export function compareCodePoints(a: string, b: string): number {
  const x = a[Symbol.iterator]();
  const y = b[Symbol.iterator]();
  for (;;) {
    const p = x.next();
    const q = y.next();
    if (p.done || q.done) return p.done && q.done ? 0 : p.done ? -1 : 1;
    const d = p.value.codePointAt(0)! - q.value.codePointAt(0)!;
    if (d !== 0) return Math.sign(d);
  }
}

/** A scalar as `contains` reads it: text as it is, anything else as its JSON text. */
const asText = (value: Exclude<Value, string[]>): string =>
  value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);

function equals(actual: Value, expected: RecordFilter['value']): boolean {
  const want = expected ?? null;
  if (Array.isArray(actual)) return actual.includes(String(want));
  return actual === want;
}

export function matchesFilter(record: QueryableRecord, filter: RecordFilter): boolean {
  const actual = valueOf(record, filter.field);
  const expected = filter.value ?? null;
  switch (filter.op) {
    case 'eq':
      return equals(actual, expected);
    case 'neq':
      return !equals(actual, expected);
    case 'contains':
      return Array.isArray(actual)
        ? actual.includes(String(expected))
        : foldCase(asText(actual)).includes(foldCase(asText(expected)));
    case 'is_empty':
      return isEmptyValue(actual);
    case 'is_not_empty':
      return !isEmptyValue(actual);
    default: {
      if (actual === null || expected === null || Array.isArray(actual) || typeof actual !== typeof expected)
        return false;
      const order =
        typeof actual === 'string'
          ? compareCodePoints(actual, expected as string)
          : Math.sign(Number(actual) - Number(expected));
      return { gt: order > 0, gte: order >= 0, lt: order < 0, lte: order <= 0 }[filter.op];
    }
  }
}

export function matchesGroup(record: QueryableRecord, group: FilterGroup): boolean {
  if (group.filters.length === 0) return true;
  const test = (f: RecordFilter | FilterGroup): boolean =>
    'mode' in f ? matchesGroup(record, f) : matchesFilter(record, f);
  return group.mode === 'and' ? group.filters.every(test) : group.filters.some(test);
}

const KIND_RANK = { boolean: 0, number: 1, string: 2, array: 3 } as const;
const kindOf = (value: Exclude<Value, null>): keyof typeof KIND_RANK =>
  Array.isArray(value) ? 'array' : (typeof value as 'boolean' | 'number' | 'string');

function compareText(a: string, b: string): number {
  return compareCodePoints(foldCase(a), foldCase(b)) || compareCodePoints(a, b);
}

/** Two non-empty values (see the module comment). */
export function compareValues(x: Exclude<Value, null>, y: Exclude<Value, null>): number {
  const kx = kindOf(x);
  const ky = kindOf(y);
  if (kx !== ky) return Math.sign(KIND_RANK[kx] - KIND_RANK[ky]);
  if (kx === 'number' || kx === 'boolean') return Math.sign(Number(x) - Number(y));
  if (kx === 'array') return compareText((x as string[]).join(','), (y as string[]).join(','));
  return compareText(x as string, y as string);
}

export function compareRecords(a: QueryableRecord, b: QueryableRecord, sorts: readonly RecordSort[]): number {
  for (const sort of sorts) {
    const x = valueOf(a, sort.field);
    const y = valueOf(b, sort.field);
    const ex = isEmptyValue(x);
    const ey = isEmptyValue(y);
    if (ex !== ey) return ex ? 1 : -1;
    if (ex) continue;
    const order = compareValues(x!, y!);
    if (order !== 0) return sort.dir === 'desc' ? -order : order;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The records a query selects, in its order. */
export function queryRecords<R extends QueryableRecord>(
  records: readonly R[],
  filter: FilterGroup,
  sorts: readonly RecordSort[],
): R[] {
  return records.filter((r) => matchesGroup(r, filter)).sort((a, b) => compareRecords(a, b, sorts));
}
