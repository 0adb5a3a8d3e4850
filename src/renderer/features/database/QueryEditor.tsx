import { useState } from 'react';
import type { DatabaseView, FieldView, SavedView } from '../../../shared/contract';
import type { FilterGroup, FilterOp, RecordFilter, RecordSort } from '../../../shared/model/record-query';
import { Icon } from '../../ui/icons';
import { NAME_FIELD } from './TableView';

/**
 * The filters (all / any of them) and sorts of a view, edited in place and saved with the view (so every
 * device sees the same view). Filters on a field that no longer exists are listed apart: not applied,
 * removable.
 */
const OP_LABELS: Record<FilterOp, string> = {
  eq: 'is',
  neq: 'is not',
  contains: 'contains',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  is_empty: 'is empty',
  is_not_empty: 'is not empty',
};

/** Which operators make sense for a field kind (the server accepts them all on any field). */
function opsFor(field: FieldView): FilterOp[] {
  switch (field.kind) {
    case 'checkbox':
      return ['eq', 'neq'];
    case 'select':
    case 'person':
      return ['eq', 'neq', 'is_empty', 'is_not_empty'];
    case 'multi_select':
      return ['contains', 'is_empty', 'is_not_empty'];
    case 'number':
    case 'date':
      return ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'is_empty', 'is_not_empty'];
    default:
      return ['contains', 'eq', 'neq', 'is_empty', 'is_not_empty'];
  }
}

const needsValue = (op: FilterOp): boolean => op !== 'is_empty' && op !== 'is_not_empty';

function defaultValue(field: FieldView): RecordFilter['value'] {
  if (field.kind === 'checkbox') return true;
  if (field.kind === 'number') return 0;
  if (field.kind === 'select' || field.kind === 'multi_select') return field.options[0]?.id ?? '';
  return '';
}

function ValueInput({
  field,
  filter,
  database,
  onChange,
}: {
  field: FieldView;
  filter: RecordFilter;
  database: DatabaseView;
  onChange(value: RecordFilter['value']): void;
}) {
  const label = `Value for ${field.name}`;
  if (field.kind === 'checkbox')
    return (
      <select
        aria-label={label}
        value={String(filter.value ?? true)}
        onChange={(e) => onChange(e.target.value === 'true')}
      >
        <option value="true">checked</option>
        <option value="false">not checked</option>
      </select>
    );
  if (field.kind === 'select' || field.kind === 'multi_select' || field.kind === 'person') {
    const items = field.kind === 'person' ? database.people : field.options;
    return (
      <select
        aria-label={label}
        value={String(filter.value ?? '')}
        onChange={(e) => onChange(e.target.value)}
      >
        {items.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    );
  }
  return (
    <DraftInput
      key={`${filter.field}/${filter.op}`}
      field={field}
      filter={filter}
      label={label}
      onChange={onChange}
    />
  );
}

/** Typed values are saved when the input is left or Enter is pressed (not one view edit per keystroke). */
function DraftInput({
  field,
  filter,
  label,
  onChange,
}: {
  field: FieldView;
  filter: RecordFilter;
  label: string;
  onChange(value: RecordFilter['value']): void;
}) {
  const [text, setText] = useState(
    filter.value === null || filter.value === undefined ? '' : String(filter.value),
  );
  const save = (): void => {
    const value =
      field.kind === 'number'
        ? text.trim() === '' || !Number.isFinite(Number(text))
          ? 0
          : Number(text)
        : text;
    if (value !== filter.value) onChange(value);
  };
  return (
    <input
      aria-label={label}
      type={field.kind === 'date' ? 'date' : field.kind === 'number' ? 'number' : 'text'}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={save}
      onKeyDown={(e) => {
        if (e.key === 'Enter') save();
      }}
    />
  );
}

export interface QueryEditorProps {
  database: DatabaseView;
  view: SavedView;
  onSave(patch: { filter?: FilterGroup; sorts?: RecordSort[] }): void;
  onClose(): void;
}

export function QueryEditor({ database, view, onSave, onClose }: QueryEditorProps) {
  const fields = [NAME_FIELD, ...database.fields];
  const fieldOf = (id: string): FieldView => fields.find((f) => f.id === id) ?? NAME_FIELD;
  // Nested groups from other apps are kept as they are; this editor edits the top level's filters.
  const leaves = view.filter.filters.flatMap((f, i) => ('mode' in f ? [] : [{ filter: f, at: i }]));
  const setFilters = (filters: FilterGroup['filters'], mode = view.filter.mode): void =>
    onSave({ filter: { mode, filters } });
  const replace = (at: number, next: RecordFilter): void =>
    setFilters(view.filter.filters.map((f, i) => (i === at ? next : f)));

  return (
    <div
      className="query-editor"
      role="dialog"
      aria-label="Filter and sort"
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <section aria-label="Filters">
        <header className="query-head">
          <h3>Filters</h3>
          {leaves.length > 1 ? (
            <label className="query-mode">
              Match
              <select
                aria-label="Match all or any filter"
                value={view.filter.mode}
                onChange={(e) => setFilters(view.filter.filters, e.target.value as 'and' | 'or')}
              >
                <option value="and">all filters (and)</option>
                <option value="or">any filter (or)</option>
              </select>
            </label>
          ) : null}
        </header>
        {leaves.length === 0 ? <p className="query-empty">Every record is shown.</p> : null}
        {leaves.map(({ filter, at }) => {
          const field = fieldOf(filter.field);
          const ops = opsFor(field);
          return (
            <div key={at} className="query-row">
              <select
                aria-label="Field"
                value={filter.field}
                onChange={(e) => {
                  const next = fieldOf(e.target.value);
                  replace(at, { field: next.id, op: opsFor(next)[0]!, value: defaultValue(next) });
                }}
              >
                {fields.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.name || 'Untitled field'}
                  </option>
                ))}
              </select>
              <select
                aria-label="Condition"
                value={filter.op}
                onChange={(e) => replace(at, { ...filter, op: e.target.value as FilterOp })}
              >
                {(ops.includes(filter.op) ? ops : [filter.op, ...ops]).map((op) => (
                  <option key={op} value={op}>
                    {OP_LABELS[op]}
                  </option>
                ))}
              </select>
              {needsValue(filter.op) ? (
                <ValueInput
                  field={field}
                  filter={filter}
                  database={database}
                  onChange={(value) => replace(at, { ...filter, value })}
                />
              ) : (
                <span />
              )}
              <button
                type="button"
                className="icon-button small"
                aria-label="Remove this filter"
                onClick={() => setFilters(view.filter.filters.filter((_, i) => i !== at))}
              >
                <Icon name="close" size={14} />
              </button>
            </div>
          );
        })}
        {view.stale.length > 0 ? (
          <p className="query-stale" role="note">
            {view.stale.length === 1 ? 'A filter or sort names a field' : 'Filters or sorts name fields'} this
            database no longer has; {view.stale.length === 1 ? 'it is' : 'they are'} not applied.
          </p>
        ) : null}
        <button
          type="button"
          className="button small"
          onClick={() => {
            const field = database.fields[0] ?? NAME_FIELD;
            setFilters([
              ...view.filter.filters,
              { field: field.id, op: opsFor(field)[0]!, value: defaultValue(field) },
            ]);
          }}
        >
          <Icon name="plus" size={14} /> Add a filter
        </button>
      </section>
      <section aria-label="Sorts">
        <header className="query-head">
          <h3>Sort</h3>
        </header>
        {view.sorts.length === 0 ? <p className="query-empty">In the order records were added.</p> : null}
        {view.sorts.map((sort, at) => (
          <div key={at} className="query-row sort">
            <select
              aria-label="Sort by"
              value={sort.field}
              onChange={(e) =>
                onSave({ sorts: view.sorts.map((s, i) => (i === at ? { ...s, field: e.target.value } : s)) })
              }
            >
              {fields.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name || 'Untitled field'}
                </option>
              ))}
            </select>
            <select
              aria-label="Direction"
              value={sort.dir}
              onChange={(e) =>
                onSave({
                  sorts: view.sorts.map((s, i) =>
                    i === at ? { ...s, dir: e.target.value as 'asc' | 'desc' } : s,
                  ),
                })
              }
            >
              <option value="asc">ascending</option>
              <option value="desc">descending</option>
            </select>
            <button
              type="button"
              className="icon-button small"
              aria-label="Remove this sort"
              onClick={() => onSave({ sorts: view.sorts.filter((_, i) => i !== at) })}
            >
              <Icon name="close" size={14} />
            </button>
          </div>
        ))}
        {view.sorts.length < 10 ? (
          <button
            type="button"
            className="button small"
            onClick={() => onSave({ sorts: [...view.sorts, { field: 'name', dir: 'asc' }] })}
          >
            <Icon name="plus" size={14} /> Add a sort
          </button>
        ) : null}
      </section>
    </div>
  );
}
