import type { FilterGroup, RecordFilter, RecordSort } from '../../shared/model/record-query';

/**
 * A database query as SQL over the replica's `nodes` rows (records keep their values in `attributes` JSON:
 * `{values: {<fieldId>: {type, value}}}`), meaning exactly what `src/shared/model/record-query.ts` defines —
 * the server's records API evaluates that module, and test/sync/record-query.test.ts checks both answer the
 * same for seeded random data and queries.
 *
 * Case folding uses `hoody_fold` (JS `toLowerCase`, registered on the connection): SQLite's own lower() is
 * ASCII-only. Text compares with BINARY collation, which is code-point order, as record-query.ts compares.
 */
export interface SqlPart {
  sql: string;
  params: unknown[];
}

/** Field ids made by apps are plain; anything else is looked up by key rather than spliced into a path. */
const PLAIN_KEY = /^[A-Za-z0-9_-]{1,64}$/;

interface Operand {
  /** json_type of the value: 'text', 'integer', 'real', 'true', 'false', 'array'; NULL when missing. */
  type: SqlPart;
  /** The value as SQL (text, number; a boolean as 1/0 through its type). */
  value: SqlPart;
  /** The value's JSON text (a number or boolean as written). */
  json: SqlPart;
  /** JSON source and path of the value, for list operations (`json_each(source, path)`). */
  source: SqlPart;
  path: string;
}

/**
 * Where a field's value is: `$.values.<id>.value` of the row's attributes for plain ids; for any other key,
 * its `{type, value}` object is looked up by key rather than spliced into a JSON path.
 */
function operand(field: string): Operand {
  if (field === 'name') {
    const name = { sql: 'n.name', params: [] };
    return {
      type: { sql: "'text'", params: [] },
      value: name,
      json: name,
      source: { sql: 'NULL', params: [] },
      path: '$',
    };
  }
  const plain = PLAIN_KEY.test(field);
  const source: SqlPart = plain
    ? { sql: 'n.attributes', params: [] }
    : { sql: `(SELECT value FROM json_each(n.attributes, '$.values') WHERE key = ?)`, params: [field] };
  const path = plain ? `$.values."${field}".value` : '$.value';
  const at = (fn: string): SqlPart => ({
    sql: `${fn}(${source.sql}, '${path}')`,
    params: [...source.params],
  });
  return {
    type: at('json_type'),
    value: at('json_extract'),
    json: { sql: `(${source.sql} -> '${path}')`, params: [...source.params] },
    source,
    path,
  };
}

const join = (parts: readonly (SqlPart | string)[]): SqlPart => ({
  sql: parts.map((p) => (typeof p === 'string' ? p : p.sql)).join(''),
  params: parts.flatMap((p) => (typeof p === 'string' ? [] : p.params)),
});
const param = (value: unknown): SqlPart => ({ sql: '?', params: [value] });

/** An array field contains `text` as an element. */
const listHas = (o: Operand, text: string): SqlPart =>
  join(['EXISTS (SELECT 1 FROM json_each(', o.source, `, '${o.path}') WHERE value = `, param(text), ')']);

function equals(o: Operand, expected: RecordFilter['value']): SqlPart {
  const want = expected ?? null;
  const list = join(['(', o.type, " = 'array' AND ", listHas(o, String(want)), ')']);
  let scalar: SqlPart;
  if (want === null) scalar = join(['(', o.type, ' IS NULL)']);
  else if (typeof want === 'boolean') scalar = join(['(', o.type, ` = '${want ? 'true' : 'false'}')`]);
  else if (typeof want === 'number')
    scalar = join(['(', o.type, " IN ('integer', 'real') AND ", o.value, ' = ', param(want), ')']);
  else scalar = join(['(', o.type, " = 'text' AND ", o.value, ' = ', param(want), ')']);
  // Strictly 0 or 1 (a missing value makes these NULL), since `neq` negates it.
  return join(['coalesce((', list, ' OR ', scalar, '), 0)']);
}

const isEmpty = (o: Operand): SqlPart =>
  join([
    'coalesce(',
    o.type,
    ' IS NULL OR (',
    o.type,
    " = 'text' AND ",
    o.value,
    " = '') OR (",
    o.type,
    " = 'array' AND json_array_length(",
    o.source,
    `, '${o.path}') = 0), 0)`,
  ]);

const COMPARISONS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

function filterSql(filter: RecordFilter): SqlPart {
  const o = operand(filter.field);
  const expected = filter.value ?? null;
  switch (filter.op) {
    case 'eq':
      return equals(o, expected);
    case 'neq':
      return join(['(NOT ', equals(o, expected), ')']);
    case 'contains': {
      // A scalar's text: text as stored, a number or boolean as its JSON text (record-query's asText).
      const text = join([
        '(CASE WHEN ',
        o.type,
        " IS NULL THEN '' WHEN ",
        o.type,
        " = 'text' THEN ",
        o.value,
        ' ELSE ',
        o.json,
        ' END)',
      ]);
      const needle =
        expected === null ? '' : typeof expected === 'string' ? expected : JSON.stringify(expected);
      return join([
        '(CASE WHEN ',
        o.type,
        " = 'array' THEN ",
        listHas(o, String(expected)),
        ' ELSE instr(hoody_fold(',
        text,
        '), hoody_fold(',
        param(needle),
        ')) > 0 END)',
      ]);
    }
    case 'is_empty':
      return isEmpty(o);
    case 'is_not_empty':
      return join(['(NOT ', isEmpty(o), ')']);
    default: {
      const op = COMPARISONS[filter.op];
      if (expected === null) return { sql: '0', params: [] };
      if (typeof expected === 'boolean')
        return join([
          '(',
          o.type,
          " IN ('true', 'false') AND (",
          o.type,
          " = 'true') ",
          op,
          ' ',
          param(expected ? 1 : 0),
          ')',
        ]);
      const types = typeof expected === 'number' ? "('integer', 'real')" : "('text')";
      return join(['(', o.type, ` IN ${types} AND `, o.value, ` ${op} `, param(expected), ')']);
    }
  }
}

/** The WHERE condition of a filter group (`1` for an empty one), every sub-condition 0 or 1, never NULL. */
export function groupSql(group: FilterGroup): SqlPart {
  if (group.filters.length === 0) return { sql: '1', params: [] };
  const parts = group.filters.map((f) => ('mode' in f ? groupSql(f) : filterSql(f)));
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
export function orderSql(sorts: readonly RecordSort[]): SqlPart {
  const terms: (SqlPart | string)[] = [];
  const add = (...part: (SqlPart | string)[]): void => {
    if (terms.length > 0) terms.push(', ');
    terms.push(...part);
  };
  for (const sort of sorts) {
    const o = operand(sort.field);
    const dir = sort.dir === 'desc' ? ' DESC' : ' ASC';
    const joined = join(["(SELECT group_concat(value, ',') FROM json_each(", o.source, `, '${o.path}'))`]);
    const text = join([
      '(CASE ',
      o.type,
      " WHEN 'text' THEN ",
      o.value,
      " WHEN 'array' THEN ",
      joined,
      ' END)',
    ]);
    // Empty values are all equal (and last): every key below is NULL for them, so only the id orders them.
    const empty = isEmpty(o);
    const unlessEmpty = (...expr: (SqlPart | string)[]): SqlPart =>
      join(['(CASE WHEN ', empty, ' THEN NULL ELSE ', ...expr, ' END)']);
    add('(', empty, ') ASC');
    add(
      unlessEmpty(
        '(CASE ',
        o.type,
        " WHEN 'true' THEN 0 WHEN 'false' THEN 0 WHEN 'integer' THEN 1 WHEN 'real' THEN 1 WHEN 'text' THEN 2 WHEN 'array' THEN 3 END)",
      ),
      dir,
    );
    add(
      '(CASE ',
      o.type,
      " WHEN 'true' THEN 1 WHEN 'false' THEN 0 WHEN 'integer' THEN ",
      o.value,
      " WHEN 'real' THEN ",
      o.value,
      ' END)',
      dir,
    );
    add('hoody_fold(', unlessEmpty(text), ')', dir);
    add(unlessEmpty(text), dir);
  }
  add('n.id ASC');
  return join(terms);
}
