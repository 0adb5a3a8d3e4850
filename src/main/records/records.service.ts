import type {
  DatabaseChange,
  DatabaseView,
  FieldView,
  RecordGroupView,
  RecordPageView,
  RecordView,
} from '../../shared/contract';
import { AppError, ErrorCode, badRequest, notFound, type ErrorDetail } from '../../shared/lib/result';
import { isValidDate } from '../../shared/model/database';
import { NodeAttributes, type FieldValue } from '../../shared/model/nodes';
import { NodeAction, canOnNode } from '../../shared/model/permissions';
import type { FilterGroup, RecordSort } from '../../shared/model/record-query';
import type { EventBus } from '../lib/events';
import type { NodesService } from '../nodes/nodes.service';
import type { NodeRow } from '../nodes/nodes.repository';
import { NodesRepository } from '../nodes/nodes.repository';
import type { Replica } from '../replica/replica';
import {
  applyChange,
  defaultSchema,
  fieldViews,
  savedViews,
  type DatabaseAttributes,
} from './database-schema';
import { compileQuery } from './record-sql';
import { RecordsRepository, type RecordRow } from './records.repository';
import { parseSafely } from '../../shared/lib/parse-safely';

export interface RecordQuery {
  filter?: FilterGroup | undefined;
  sorts?: RecordSort[] | undefined;
}

/** Ordered ids of recent queries, reused while nothing in the account changed (scrolling a big table). */
const CACHED_QUERIES = 8;

/**
 * Databases and their records, over the replica: the schema and views live on the database node, each
 * record is a `record` node under it with its values, so every change is an ordinary node edit (one
 * transaction with its outbox mutation, synced through the same streams). Filters and sorts run in SQLite
 * (record-sql.ts) with the meaning the server's records API has (record-query.ts).
 */
export class RecordsService {
  private readonly records: RecordsRepository;
  private readonly nodeRows: NodesRepository;
  private version = 0;
  private readonly cache = new Map<string, { version: number; ids: string[] }>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly replica: Replica,
    events: EventBus,
    private readonly nodes: NodesService,
  ) {
    this.records = new RecordsRepository(replica.db);
    this.nodeRows = new NodesRepository(replica.db);
    this.unsubscribe = events.on((event) => {
      if (
        event.name === 'node.changed' &&
        (event.payload as { accountId: string }).accountId === replica.accountId
      )
        this.version++;
    });
  }

  close(): void {
    this.unsubscribe();
    this.cache.clear();
  }

  get(databaseId: string): DatabaseView {
    const { row, attributes } = this.database(databaseId);
    const fields = fieldViews(attributes.fields);
    const role = this.nodes.roleOn(databaseId);
    const allowed = (action: NodeAction, type: 'database' | 'record', createdBy = ''): boolean =>
      canOnNode(role, this.replica.userId, { type, createdBy }, action).allowed;
    return {
      node: this.nodes.get(databaseId),
      fields,
      views: savedViews(attributes, fields),
      recordCount: this.records.count(row.notebookId, databaseId),
      people: this.people(row.notebookId),
      can: {
        editSchema: allowed(NodeAction.update, 'database', row.createdBy ?? ''),
        addRecords: allowed(NodeAction.createChild, 'record'),
        editRecords: allowed(NodeAction.update, 'record'),
      },
    };
  }

  create(input: { notebookId: string; parentId: string; name: string }): DatabaseView {
    const node = this.nodes.create({
      notebookId: input.notebookId,
      type: 'database',
      parentId: input.parentId,
      name: input.name,
      attributes: defaultSchema(),
    });
    return this.get(node.id);
  }

  change(databaseId: string, change: DatabaseChange): { database: DatabaseView; createdId: string | null } {
    const { row } = this.database(databaseId);
    this.require(databaseId, NodeAction.update, 'database', row.createdBy);
    let createdId: string | null = null;
    this.nodes.editAttributes(databaseId, (attributes) => {
      if (attributes.type !== 'database') throw notFound('Database', databaseId);
      const result = applyChange(attributes, change);
      createdId = result.createdId;
      return result.next;
    });
    return { database: this.get(databaseId), createdId };
  }

  query(databaseId: string, query: RecordQuery, offset: number, limit: number): RecordPageView {
    const ids = this.orderedIds(databaseId, query);
    return { total: ids.length, offset, records: this.views(databaseId, ids.slice(offset, offset + limit)) };
  }

  /** A board: the query's records per option of a select field, then those with none. */
  groups(databaseId: string, query: RecordQuery, fieldId: string, perGroup: number): RecordGroupView[] {
    const { row, attributes } = this.database(databaseId);
    const field = fieldViews(attributes.fields).find((f) => f.id === fieldId);
    if (!field) throw badRequest('No such field', [{ path: 'fieldId', message: fieldId }]);
    const keyed = this.records.queryKeyed(
      row.notebookId,
      databaseId,
      this.compiled(attributes, query),
      `$.values."${fieldId.replaceAll('"', '')}".value`,
    );
    const buckets = new Map<string | null, string[]>([
      ...field.options.map((o) => [o.id, []] as [string, string[]]),
      [null, []],
    ]);
    for (const { id, key } of keyed) {
      // A value that is not one of the options (deleted, or from another device not synced yet) has none.
      const bucket = typeof key === 'string' && buckets.has(key) ? key : null;
      buckets.get(bucket)!.push(id);
    }
    return [...buckets].map(([key, ids]) => ({
      key,
      total: ids.length,
      records: this.views(databaseId, ids.slice(0, perGroup)),
    }));
  }

  getRecord(recordId: string): RecordView {
    const row = this.nodeRows.get(recordId);
    if (!row || row.type !== 'record' || row.parentId === null) throw notFound('Record', recordId);
    const [view] = this.views(row.parentId, [recordId]);
    if (!view) throw notFound('Record', recordId);
    return view;
  }

  createRecord(
    databaseId: string,
    input: { name: string; values?: Record<string, FieldValue> | undefined },
  ): RecordView {
    const { row, attributes } = this.database(databaseId);
    this.require(databaseId, NodeAction.createChild, 'record', '');
    const values = this.checked(fieldViews(attributes.fields), input.values ?? {});
    const node = this.nodes.create({
      notebookId: row.notebookId,
      type: 'record',
      parentId: databaseId,
      name: input.name,
      attributes: { values },
    });
    return this.getRecord(node.id);
  }

  updateRecord(
    recordId: string,
    input: { name?: string | undefined; set?: Record<string, FieldValue | null> | undefined },
  ): RecordView {
    const record = this.getRecord(recordId);
    this.require(recordId, NodeAction.update, 'record', record.createdBy);
    const { attributes } = this.database(record.databaseId);
    const set = input.set ?? {};
    const checked = this.checked(
      fieldViews(attributes.fields),
      Object.fromEntries(Object.entries(set).filter((e): e is [string, FieldValue] => e[1] !== null)),
    );
    this.nodes.editAttributes(recordId, (current) => {
      if (current.type !== 'record') throw notFound('Record', recordId);
      const cleared = new Set(Object.entries(set).flatMap(([key, value]) => (value === null ? [key] : [])));
      const values = Object.fromEntries(
        Object.entries({ ...current.values, ...checked }).filter(([key]) => !cleared.has(key)),
      );
      return { ...current, values, ...(input.name !== undefined ? { name: input.name } : {}) };
    });
    return this.getRecord(recordId);
  }

  private people(notebookId: string): { id: string; name: string }[] {
    const me = this.replica.userId;
    const members = this.records.members(notebookId);
    const mine = members.find((m) => m.id === me);
    return [{ id: me, name: mine ? `${mine.name} (you)` : 'You' }, ...members.filter((m) => m.id !== me)];
  }

  private database(databaseId: string): { row: NodeRow; attributes: DatabaseAttributes } {
    const row = this.nodeRows.get(databaseId);
    if (!row || row.type !== 'database') throw notFound('Database', databaseId);
    let raw: unknown;
    try {
      raw = JSON.parse(row.attributes);
    } catch {
      raw = {};
    }
    const parsed = parseSafely(NodeAttributes, raw);
    // Attributes this app cannot fully read (a newer app's field): what can be read is shown.
    const attributes =
      parsed.success && parsed.data.type === 'database'
        ? parsed.data
        : ({ ...(raw as object), type: 'database' } as DatabaseAttributes);
    return { row, attributes };
  }

  private require(
    nodeId: string,
    action: NodeAction,
    type: 'database' | 'record',
    createdBy: string | null,
  ): void {
    const decision = canOnNode(
      this.nodes.roleOn(nodeId),
      this.replica.userId,
      { type, createdBy: createdBy ?? '' },
      action,
    );
    if (!decision.allowed) throw new AppError(ErrorCode.forbidden, 'You cannot change this database', []);
  }

  /** Values must be of their field's type; a select's an option id, a date a real `YYYY-MM-DD`. */
  private checked(fields: FieldView[], values: Record<string, FieldValue>): Record<string, FieldValue> {
    const details: ErrorDetail[] = [];
    for (const [key, value] of Object.entries(values)) {
      const field = fields.find((f) => f.id === key);
      const path = `values.${key}`;
      if (!field) details.push({ path, message: 'no such field' });
      else if (field.type !== value.type) details.push({ path, message: `expected ${field.type}` });
      else if (field.kind === 'select' && !field.options.some((o) => o.id === value.value))
        details.push({ path, message: 'not one of the options' });
      else if (
        field.kind === 'multi_select' &&
        !(value.value as string[]).every((v) => field.options.some((o) => o.id === v))
      )
        details.push({ path, message: 'not one of the options' });
      else if (field.kind === 'date' && !isValidDate(value.value as string))
        details.push({ path, message: 'not a date (YYYY-MM-DD)' });
    }
    if (details.length > 0) throw badRequest('Invalid field values', details);
    return values;
  }

  private compiled(attributes: DatabaseAttributes, query: RecordQuery) {
    const fields = fieldViews(attributes.fields);
    // Filters and sorts on fields the database no longer has are not applied (savedViews names them).
    const [view] = savedViews(
      { views: { q: { name: 'q', layout: 'table', filter: query.filter, sorts: query.sorts } } },
      fields,
    );
    return compileQuery(view!.filter, view!.sorts);
  }

  private orderedIds(databaseId: string, query: RecordQuery): string[] {
    const key = `${databaseId}\n${JSON.stringify(query)}`;
    const hit = this.cache.get(key);
    if (hit && hit.version === this.version) return hit.ids;
    const { row, attributes } = this.database(databaseId);
    const ids = this.records.queryIds(row.notebookId, databaseId, this.compiled(attributes, query));
    this.cache.delete(key);
    this.cache.set(key, { version: this.version, ids });
    while (this.cache.size > CACHED_QUERIES) this.cache.delete(this.cache.keys().next().value!);
    return ids;
  }

  private views(databaseId: string, ids: readonly string[]): RecordView[] {
    const rows = this.records.rows(ids);
    const pending = this.records.pending(ids);
    const role = rows.length > 0 ? this.nodes.roleOn(databaseId) : null;
    return rows.map((row) => this.view(databaseId, row, pending.has(row.id), role));
  }

  private view(
    databaseId: string,
    row: RecordRow,
    pending: boolean,
    role: ReturnType<NodesService['roleOn']>,
  ): RecordView {
    let values: Record<string, FieldValue>;
    try {
      values = (JSON.parse(row.attributes) as { values?: Record<string, FieldValue> }).values ?? {};
    } catch {
      values = {};
    }
    return {
      id: row.id,
      databaseId,
      name: row.name,
      icon: row.icon,
      values,
      createdAt: row.createdAt,
      createdBy: row.createdBy,
      updatedAt: row.updatedAt,
      pending,
      canEdit: canOnNode(
        role,
        this.replica.userId,
        { type: 'record', createdBy: row.createdBy ?? '' },
        NodeAction.update,
      ).allowed,
    };
  }
}
