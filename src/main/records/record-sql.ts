import {
  foldCase,
  type FilterGroup,
  type RecordFilter,
  type RecordSort,
} from '../../shared/model/record-query';

/**
 * A database query as SQL over the replica's `nodes` rows (records keep their values in `attributes` JSON:
 * `{values: {<fieldId>: {type, value}}}`), meaning exactly what `src/shared/model/record-query.ts` defines —
 * the server's records API evaluates that module, and test/sync/record-query.test.ts checks both answer the
 * same for seeded random data and queries.
 *
 * Each field the query names is read out of the JSON once per record: the query is
 * `WITH r AS MATERIALIZED (SELECT id, t0, v0, … FROM nodes …) SELECT id FROM r WHERE … ORDER BY …`, where
 * `tK` is the json_type of field K's value and `vK` the value. Written against the JSON directly, each sort
 * term named the value a dozen times (emptiness, kind, number, text) and SQLite evaluated every one per
 * record: a 10,000-record sort took 125-500 ms, against ~10 over the columns.
 *
 * Case folding uses `hoody_fold` (JS `toLowerCase`, registered on the connection): SQLite's own lower() is
 * ASCII-only. Text compares with BINARY collation, which is code-point order, as record-query.ts compares.
 */
export interface SqlPart {
  sql: string;
  params: unknown[];
}

/** A compiled query: the columns the CTE reads per record, then the condition and order over them. */
export interface CompiledQuery {
  /** `, json_type(…) AS t0, json_extract(…) AS v0, …` (empty when the query names no field). */
  columns: SqlPart;
  where: SqlPart;
  order: SqlPart;
}

/** Field ids made by apps are plain; anything else is looked up by key rather than spliced into a path. */
const PLAIN_KEY = /^[A-Za-z0-9_-]{1,64}$/;

/** A field's value as columns of the CTE. */
interface Operand {
  /** json_type of the value: 'text', 'integer', 'real', 'true', 'false', 'array'; NULL when missing. */
  type: string;
  /** The value as SQL (text, number; a boolean as 1/0 through its type; a list as its JSON text). */
  value: string;
  /** The value's JSON text as stored (a number as written), read only for the fields `contains` needs. */
  json: string;
}

const join = (parts: readonly (SqlPart | string)[]): SqlPart => ({
  sql: parts.map((p) => (typeof p === 'string' ? p : p.sql)).join(''),
  params: parts.flatMap((p) => (typeof p === 'string' ? [] : p.params)),
});
const param = (value: unknown): SqlPart => ({ sql: '?', params: [value] });

/** The type of the record's name, always text. */
const TEXT_TYPE = "'text'";

/** Where the fields' values are read: one pair of CTE columns per field named, in the order first named. */
class Columns {
  private readonly byField = new Map<string, number>();
  private readonly needsJson = new Set<number>();

  operand(field: string, json = false): Operand {
    if (field === 'name') return { type: TEXT_TYPE, value: 'name', json: 'name' };
    let k = this.byField.get(field);
    if (k === undefined) {
      k = this.byField.size;
      this.byField.set(field, k);
    }
    if (json) this.needsJson.add(k);
    return { type: `t${k}`, value: `v${k}`, json: `j${k}` };
  }

  /**
   * `$.values.<id>.value` of the row's attributes for plain ids; for any other key its `{type, value}`
   * object is looked up by key rather than spliced into a JSON path.
   */
  sql(): SqlPart {
    const parts: (SqlPart | string)[] = [];
    for (const [field, k] of this.byField) {
      const plain = PLAIN_KEY.test(field);
      const source: SqlPart = plain
        ? { sql: 'n.attributes', params: [] }
        : { sql: `(SELECT value FROM json_each(n.attributes, '$.values') WHERE key = ?)`, params: [field] };
      const path = plain ? `$.values."${field}".value` : '$.value';
      parts.push(
        ', json_type(',
        source,
        `, '${path}') AS t${k}, json_extract(`,
        source,
        `, '${path}') AS v${k}`,
      );
      if (this.needsJson.has(k)) parts.push(', (', source, ` -> '${path}') AS j${k}`);
    }
    return join(parts);
  }
}

/**
 * A list value as JSON for json_each/json_array_length, NULL for anything else: SQLite does not promise to
 * skip the right side of `t = 'array' AND …`, and text that is not JSON would make json_each throw.
 */
const list = (o: Operand): string => `(CASE WHEN ${o.type} = 'array' THEN ${o.value} END)`;

/** A list value contains `text` as an element. */
const listHas = (o: Operand, text: string): SqlPart =>
  join([`EXISTS (SELECT 1 FROM json_each(${list(o)}) WHERE value = `, param(text), ')']);

function equals(o: Operand, expected: RecordFilter['value']): SqlPart {
  const want = expected ?? null;
  let scalar: SqlPart;
  if (want === null) scalar = { sql: `(${o.type} IS NULL)`, params: [] };
  else if (typeof want === 'boolean')
    scalar = { sql: `(${o.type} = '${want ? 'true' : 'false'}')`, params: [] };
  else if (typeof want === 'number')
    scalar = join([`(${o.type} IN ('integer', 'real') AND ${o.value} = `, param(want), ')']);
  else scalar = join([`(${o.type} = 'text' AND ${o.value} = `, param(want), ')']);
  // Strictly 0 or 1 (a missing value makes these NULL), since `neq` negates it. A list's subquery runs only
  // for lists (CASE is evaluated lazily; a correlated json_each per record was most of a filter's cost).
  if (o.type === TEXT_TYPE) return join(['coalesce(', scalar, ', 0)']);
  return join([
    `(CASE WHEN ${o.type} = 'array' THEN `,
    listHas(o, String(want)),
    ' ELSE coalesce(',
    scalar,
    ', 0) END)',
  ]);
}

const isEmpty = (o: Operand): string =>
  `coalesce(${o.type} IS NULL OR (${o.type} = 'text' AND ${o.value} = '') OR (${o.type} = 'array' AND json_array_length(${list(o)}) = 0), 0)`;

const COMPARISONS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

function filterSql(filter: RecordFilter, columns: Columns): SqlPart {
  const o = columns.operand(filter.field, filter.op === 'contains');
  const expected = filter.value ?? null;
  switch (filter.op) {
    case 'eq':
      return equals(o, expected);
    case 'neq':
      return join(['(NOT ', equals(o, expected), ')']);
    case 'contains': {
      // A scalar's text: text as stored, a number or boolean as its JSON text (record-query's asText).
      const text = `(CASE WHEN ${o.type} IS NULL THEN '' WHEN ${o.type} = 'text' THEN ${o.value} ELSE ${o.json} END)`;
      const needle =
        expected === null ? '' : typeof expected === 'string' ? expected : JSON.stringify(expected);
      return join([
        `(CASE WHEN ${o.type} = 'array' THEN `,
        listHas(o, String(expected)),
        ` ELSE instr(hoody_fold(${text}), `,
        // Folded here once, not per record: the same function as hoody_fold.
        param(foldCase(needle)),
        ') > 0 END)',
      ]);
    }
    case 'is_empty':
      return { sql: isEmpty(o), params: [] };
    case 'is_not_empty':
      return { sql: `(NOT ${isEmpty(o)})`, params: [] };
    default: {
      const op = COMPARISONS[filter.op];
      if (expected === null) return { sql: '0', params: [] };
      if (typeof expected === 'boolean')
        return join([
          `(${o.type} IN ('true', 'false') AND (${o.type} = 'true') ${op} `,
          param(expected ? 1 : 0),
          ')',
        ]);
      const types = typeof expected === 'number' ? "('integer', 'real')" : "('text')";
      return join([`(${o.type} IN ${types} AND ${o.value} ${op} `, param(expected), ')']);
    }
  }
}

/** The WHERE condition of a filter group (`1` for an empty one), every sub-condition 0 or 1, never NULL. */
function groupSql(group: FilterGroup, columns: Columns): SqlPart {
  if (group.filters.length === 0) return { sql: '1', params: [] };
  const parts = group.filters.map((f) => ('mode' in f ? groupSql(f, columns) : filterSql(f, columns)));
  const glue = group.mode === 'and' ? ' AND ' : ' OR ';
  const out: (SqlPart | string)[] = ['('];
  parts.forEach((part, i) => {
    if (i > 0) out.push(glue);
    out.push('coalesce(', part, ', 0)');
  });
  out.push(')');
  return join(out);
}

/** ORDER BY terms for the sorts (record-query's compareRecords), then the record id. */
function orderSql(sorts: readonly RecordSort[], columns: Columns): string {
  const terms: string[] = [];
  for (const sort of sorts) {
    const o = columns.operand(sort.field);
    const dir = sort.dir === 'desc' ? ' DESC' : ' ASC';
    const empty = isEmpty(o);
    // Empty values are all equal (and last): every key below is NULL for them, so only the id orders them.
    const unlessEmpty = (expr: string): string => `(CASE WHEN ${empty} THEN NULL ELSE ${expr} END)`;
    const text = `(CASE ${o.type} WHEN 'text' THEN ${o.value} WHEN 'array' THEN (SELECT group_concat(value, ',') FROM json_each(${list(o)})) END)`;
    terms.push(`(${empty}) ASC`);
    terms.push(
      unlessEmpty(
        `(CASE ${o.type} WHEN 'true' THEN 0 WHEN 'false' THEN 0 WHEN 'integer' THEN 1 WHEN 'real' THEN 1 WHEN 'text' THEN 2 WHEN 'array' THEN 3 END)`,
      ) + dir,
    );
    terms.push(
      `(CASE ${o.type} WHEN 'true' THEN 1 WHEN 'false' THEN 0 WHEN 'integer' THEN ${o.value} WHEN 'real' THEN ${o.value} END)${dir}`,
    );
    // Folding (a call into JS) only for text and lists; numbers and booleans have nothing to fold.
    terms.push(
      `(CASE WHEN ${o.type} IN ('text', 'array') AND NOT ${empty} THEN hoody_fold(${text}) END)${dir}`,
    );
    terms.push(unlessEmpty(text) + dir);
  }
  terms.push('id ASC');
  return terms.join(', ');
}

/** The filter and sorts as SQL over the CTE's columns (see the module comment). */
export function compileQuery(filter: FilterGroup, sorts: readonly RecordSort[]): CompiledQuery {
  const columns = new Columns();
  const where = groupSql(filter, columns);
  const order = { sql: orderSql(sorts, columns), params: [] };
  return { columns: columns.sql(), where, order };
}
