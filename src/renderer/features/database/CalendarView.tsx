import { useState } from 'react';
import type { DatabaseView, RecordView, SavedView } from '../../../shared/contract';
import { isValidDate } from '../../../shared/model/database';
import type { FilterGroup } from '../../../shared/model/record-query';
import { useLiveQuery } from '../../lib/live-query';
import { Icon } from '../../ui/icons';
import type { DatabaseActions } from './use-database';
import { useNotebookChanges } from './use-database';

export interface CalendarViewProps {
  accountId: string;
  database: DatabaseView;
  view: SavedView;
  actions: DatabaseActions;
  onOpenRecord(recordId: string): void;
  onDateField(fieldId: string): void;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const isoDay = (d: Date): string => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
/** Records shown per month (a calendar of more is better read as a filtered table). */
const MONTH_LIMIT = 1_000;

/**
 * A month of records on the days of a date field (weeks start on Monday); ‹ › and Today move through
 * months. Records with no date, or a date that is not one, are counted below, not lost.
 */
export function CalendarView({
  accountId,
  database,
  view,
  actions,
  onOpenRecord,
  onDateField,
}: CalendarViewProps) {
  const dates = database.fields.filter((f) => f.kind === 'date');
  const field = dates.find((f) => f.id === view.dateField) ?? dates[0] ?? null;
  const [month, setMonth] = useState(() => {
    const now = new Date();
    return new Date(now.getFullYear(), now.getMonth(), 1);
  });
  const first = new Date(month.getFullYear(), month.getMonth(), 1);
  const start = new Date(first);
  start.setDate(1 - ((first.getDay() + 6) % 7));
  const days = Array.from(
    { length: 42 },
    (_, i) => new Date(start.getFullYear(), start.getMonth(), start.getDate() + i),
  );
  const range: FilterGroup | null = field
    ? {
        mode: 'and',
        filters: [
          view.filter,
          { field: field.id, op: 'gte', value: isoDay(days[0]!) },
          { field: field.id, op: 'lte', value: isoDay(days[41]!) },
        ],
      }
    : null;
  const key = range ? JSON.stringify({ id: database.node.id, range }) : null;
  const query = useLiveQuery(
    key,
    (api) =>
      api.invoke('records.query', {
        accountId,
        databaseId: database.node.id,
        query: {
          filter: range ?? undefined,
          sorts: [{ field: field?.id ?? 'name', dir: 'asc' }, ...view.sorts],
        },
        offset: 0,
        limit: MONTH_LIMIT,
      }),
    () => () => undefined,
  );
  const undated = useLiveQuery(
    field ? `${database.node.id}/undated/${field.id}/${JSON.stringify(view.filter)}` : null,
    (api) =>
      api.invoke('records.query', {
        accountId,
        databaseId: database.node.id,
        query: {
          filter: { mode: 'and', filters: [view.filter, { field: field?.id ?? '', op: 'is_empty' }] },
        },
        offset: 0,
        limit: 1,
      }),
    () => () => undefined,
  );
  useNotebookChanges(accountId, database.node.notebookId, () => {
    query.reload();
    undated.reload();
  });

  if (!field)
    return (
      <div className="table-empty">
        <p>A calendar places records on the days of a date field, and this database has none yet.</p>
        {database.can.editSchema ? (
          <button
            type="button"
            className="button primary"
            onClick={() => void actions.change({ op: 'field.add', name: 'Date', kind: 'date' })}
          >
            <Icon name="plus" size={14} /> Add a Date field
          </button>
        ) : null}
      </div>
    );

  const byDay = new Map<string, RecordView[]>();
  for (const record of query.data?.records ?? []) {
    const value = record.values[field.id];
    if (value?.type !== 'string' || !isValidDate(value.value)) continue;
    byDay.set(value.value, [...(byDay.get(value.value) ?? []), record]);
  }
  const today = isoDay(new Date());
  const title = month.toLocaleDateString(undefined, { month: 'long', year: 'numeric' });
  const shift = (delta: number): void => setMonth(new Date(month.getFullYear(), month.getMonth() + delta, 1));

  return (
    <div className="calendar-wrap">
      <div className="calendar-bar">
        <button type="button" className="icon-button" aria-label="Previous month" onClick={() => shift(-1)}>
          <Icon name="chevronRight" className="flipped-x" />
        </button>
        <h3 className="calendar-title" aria-live="polite">
          {title}
        </h3>
        <button type="button" className="icon-button" aria-label="Next month" onClick={() => shift(1)}>
          <Icon name="chevronRight" />
        </button>
        <button
          type="button"
          className="button small"
          onClick={() => setMonth(new Date(new Date().getFullYear(), new Date().getMonth(), 1))}
        >
          Today
        </button>
        {dates.length > 1 ? (
          <select aria-label="Date field" value={field.id} onChange={(e) => onDateField(e.target.value)}>
            {dates.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        ) : null}
        <span className="calendar-undated">
          {undated.data && undated.data.total > 0
            ? `${undated.data.total} without a ${field.name.toLowerCase() || 'date'}`
            : ''}
        </span>
      </div>
      <div className="calendar" role="grid" aria-label={`${title} by ${field.name}`}>
        {['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map((d) => (
          <div key={d} className="calendar-weekday" role="columnheader">
            {d}
          </div>
        ))}
        {days.map((day) => {
          const iso = isoDay(day);
          const records = byDay.get(iso) ?? [];
          const classes = ['calendar-day'];
          if (day.getMonth() !== month.getMonth()) classes.push('other-month');
          if (iso === today) classes.push('today');
          return (
            <div
              key={iso}
              role="gridcell"
              aria-label={day.toLocaleDateString()}
              className={classes.join(' ')}
            >
              <span className="calendar-date">{day.getDate()}</span>
              {records.slice(0, 4).map((record) => (
                <button
                  key={record.id}
                  type="button"
                  className="calendar-item"
                  onClick={() => onOpenRecord(record.id)}
                >
                  {record.name.trim() || 'Untitled'}
                </button>
              ))}
              {records.length > 4 ? <span className="calendar-more">+{records.length - 4} more</span> : null}
              {database.can.addRecords ? (
                <button
                  type="button"
                  className="calendar-add"
                  aria-label={`New record on ${day.toLocaleDateString()}`}
                  onClick={() =>
                    void actions
                      .createRecord('', { [field.id]: { type: 'string', value: iso } })
                      .then((r) => r && onOpenRecord(r.id))
                  }
                >
                  <Icon name="plus" size={12} />
                </button>
              ) : null}
            </div>
          );
        })}
      </div>
    </div>
  );
}
