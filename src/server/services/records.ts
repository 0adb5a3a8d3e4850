import type * as z from 'zod';
import { FiltersParam, RecordFilter, SortsParam, type RecordOutput } from '../../shared/api/records';
import {
  asGroup,
  compareRecords,
  foldCase,
  queryRecords,
  type QueryableRecord,
} from '../../shared/model/record-query';
import { validationError } from '../../shared/lib/result';
import type { FieldValue } from '../../shared/model/nodes';
import { NodeAction } from '../../shared/model/permissions';
import type { ServerContext } from '../context';
import { badRequest, notFound } from '../http/errors';
import type { NodeRow } from '../storage/repository';
import type { Change } from '../sync/change-bus';
import { nodeAccess, type NotebookAccess } from './access';
import { createNodeFromJson, deleteNode, updateNodeFromJson } from './nodes';
import { parseSafely } from '../../shared/lib/parse-safely';

/** Database records are `record` nodes under a `database` node; their typed values live in `values`. */
type Fields = Record<string, FieldValue>;

export function toRecordOutput(node: NodeRow): RecordOutput {
  return {
    id: node.id,
    name: typeof node.attributes.name === 'string' ? node.attributes.name : '',
    avatar: typeof node.attributes.icon === 'string' ? node.attributes.icon : null,
    fields: (node.attributes.values ?? {}) as Fields,
    createdAt: node.createdAt,
    createdBy: node.createdBy,
    updatedAt: node.updatedAt,
    revision: String(node.revision),
  };
}

function database(
  ctx: ServerContext,
  access: NotebookAccess,
  databaseId: string,
  action: NodeAction,
): NodeRow {
  const node = ctx.repo.getNode(databaseId);
  if (!node || node.notebookId !== access.notebook.id || node.type !== 'database')
    throw notFound('Database not found.');
  return nodeAccess(ctx, access, node.id, action).node;
}

function record(
  ctx: ServerContext,
  access: NotebookAccess,
  databaseId: string,
  recordId: string,
  action: NodeAction,
) {
  database(ctx, access, databaseId, NodeAction.read);
  const node = ctx.repo.getNode(recordId);
  if (!node || node.parentId !== databaseId || node.type !== 'record') throw notFound('Record not found.');
  return nodeAccess(ctx, access, node.id, action).node;
}

/** A value's type must match the database's field definition, or the value already stored under that key. */
function checkFieldTypes(db: NodeRow, existing: Fields, fields: Fields): void {
  const schema = (db.attributes.fields ?? {}) as Record<string, { type: string }>;
  for (const [key, value] of Object.entries(fields)) {
    const expected = schema[key]?.type ?? existing[key]?.type;
    if (expected !== undefined && expected !== value.type) {
      throw badRequest('Invalid request body.', [
        { path: `fields.${key}`, message: 'Field type does not match the database schema' },
      ]);
    }
  }
}

/** The database's records, without those in the trash (trash is an attribute: they are still nodes). */
function allRecords(ctx: ServerContext, db: NodeRow): NodeRow[] {
  const { total } = ctx.repo.listNodes({
    notebookId: db.notebookId,
    parentId: db.id,
    type: 'record',
    limit: 1,
    offset: 0,
  });
  return ctx.repo
    .listNodes({
      notebookId: db.notebookId,
      parentId: db.id,
      type: 'record',
      limit: total,
      offset: 0,
    })
    .rows.filter((node) => node.attributes.trashedAt === undefined || node.attributes.trashedAt === null);
}

function parseJsonParam<S extends z.ZodType>(
  schema: S,
  raw: string | undefined,
  path: string,
): z.output<S> | undefined {
  if (raw === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw badRequest(`Invalid JSON in ${path} parameter.`, [
      { path, message: error instanceof Error ? error.message : 'invalid JSON' },
    ]);
  }
  const parsed = parseSafely(schema, json);
  if (!parsed.success) throw validationError(parsed.error.issues, path);
  return parsed.data;
}

/** A record node as the shared query semantics read it. */
const queryable = (node: NodeRow): QueryableRecord & { node: NodeRow } => ({
  id: node.id,
  name: typeof node.attributes.name === 'string' ? node.attributes.name : '',
  values: (node.attributes.values ?? {}) as Fields,
  node,
});

export function listRecords(
  ctx: ServerContext,
  access: NotebookAccess,
  databaseId: string,
  query: { filters?: string | undefined; sorts?: string | undefined; page: number; count: number },
) {
  const db = database(ctx, access, databaseId, NodeAction.read);
  // `filters`: a list (all must match) or a group `{mode: 'and' | 'or', filters}` (record-query.ts).
  const filters = parseJsonParam(FiltersParam, query.filters, 'filters') ?? [];
  const sorts = parseJsonParam(SortsParam, query.sorts, 'sorts') ?? [];
  const rows = queryRecords(allRecords(ctx, db).map(queryable), asGroup(filters), sorts);
  const start = (query.page - 1) * query.count;
  return {
    records: rows.slice(start, start + query.count).map((r) => toRecordOutput(r.node)),
    total: rows.length,
    page: query.page,
    count: query.count,
  };
}

export function searchRecords(
  ctx: ServerContext,
  access: NotebookAccess,
  databaseId: string,
  query: { q: string; exclude?: string | undefined },
) {
  const db = database(ctx, access, databaseId, NodeAction.read);
  const exclude = new Set(
    parseJsonParam(RecordFilter.shape.field.array().max(10_000), query.exclude, 'exclude') ?? [],
  );
  const needle = foldCase(query.q.trim());
  const rows = allRecords(ctx, db)
    .map(queryable)
    .filter((r) => !exclude.has(r.id) && foldCase(r.name).includes(needle))
    .sort((a, b) => compareRecords(a, b, [{ field: 'name', dir: 'asc' }]));
  return { records: rows.map((r) => toRecordOutput(r.node)), total: rows.length };
}

export function getRecord(
  ctx: ServerContext,
  access: NotebookAccess,
  databaseId: string,
  recordId: string,
): NodeRow {
  return record(ctx, access, databaseId, recordId, NodeAction.read);
}

export function createRecord(
  ctx: ServerContext,
  access: NotebookAccess,
  databaseId: string,
  input: { id?: string | undefined; name: string; avatar?: string | null | undefined; fields: Fields },
  changes: Change[],
): NodeRow {
  const db = database(ctx, access, databaseId, NodeAction.read);
  checkFieldTypes(db, {}, input.fields);
  const attributes: Record<string, unknown> = { name: input.name, values: input.fields };
  if (input.avatar !== undefined) attributes.icon = input.avatar;
  return createNodeFromJson(
    ctx,
    access,
    { id: input.id, type: 'record', parentId: db.id, attributes },
    changes,
  );
}

export function updateRecord(
  ctx: ServerContext,
  access: NotebookAccess,
  databaseId: string,
  recordId: string,
  input: { name?: string | undefined; avatar?: string | null | undefined; fields?: Fields | undefined },
  changes: Change[],
): NodeRow {
  const node = record(ctx, access, databaseId, recordId, NodeAction.update);
  const existing = (node.attributes.values ?? {}) as Fields;
  checkFieldTypes(database(ctx, access, databaseId, NodeAction.read), existing, input.fields ?? {});
  const patch: Record<string, unknown> = {};
  if (input.name !== undefined) patch.name = input.name;
  if (input.avatar !== undefined) patch.icon = input.avatar;
  if (input.fields !== undefined) patch.values = { ...existing, ...input.fields };
  return updateNodeFromJson(ctx, access, node.id, patch, changes);
}

export function deleteRecord(
  ctx: ServerContext,
  access: NotebookAccess,
  databaseId: string,
  recordId: string,
  changes: Change[],
): void {
  const node = record(ctx, access, databaseId, recordId, NodeAction.delete);
  deleteNode(ctx, access, node.id, ctx.now(), changes);
}
