import { useState, type DragEvent, type KeyboardEvent } from 'react';
import type { DatabaseView, FieldView, RecordView, SavedView } from '../../../shared/contract';
import { Icon } from '../../ui/icons';
import { CellValue } from './cells';
import type { DatabaseActions } from './use-database';
import { useRecordGroups } from './use-database';

export interface BoardViewProps {
  accountId: string;
  database: DatabaseView;
  view: SavedView;
  actions: DatabaseActions;
  onOpenRecord(recordId: string): void;
  onGroupBy(fieldId: string): void;
}

const DRAG_TYPE = 'application/x-hoody-record';
/** Fields shown on a card besides its name. */
const CARD_FIELDS = 3;

/**
 * A board: one column per option of a select field (and one for records without a value), a card per
 * record. Drag a card to another column — or, from the keyboard, Alt+Shift+←/→ on a focused card — and its
 * value changes; Enter opens it.
 */
export function BoardView({ accountId, database, view, actions, onOpenRecord, onGroupBy }: BoardViewProps) {
  const selects = database.fields.filter((f) => f.kind === 'select');
  const group = selects.find((f) => f.id === view.groupBy) ?? selects[0] ?? null;
  const groups = useRecordGroups(
    accountId,
    database.node.notebookId,
    database.node.id,
    view,
    group?.id ?? null,
  );
  const [dragging, setDragging] = useState<string | null>(null);
  const [over, setOver] = useState<string | null | undefined>(undefined);

  if (!group)
    return (
      <div className="table-empty">
        <p>A board groups records by a select field, and this database has none yet.</p>
        {database.can.editSchema ? (
          <button
            type="button"
            className="button primary"
            onClick={() => void actions.change({ op: 'field.add', name: 'Status', kind: 'select' })}
          >
            <Icon name="plus" size={14} /> Add a Status field
          </button>
        ) : null}
      </div>
    );

  const columns = groups.data ?? [];
  const nameOf = (key: string | null): string =>
    key === null ? `No ${group.name}` : (group.options.find((o) => o.id === key)?.name ?? '');
  const colorOf = (key: string | null): string =>
    key === null ? 'gray' : (group.options.find((o) => o.id === key)?.color ?? 'gray');
  const shown = database.fields
    .filter((f) => f.id !== group.id && !view.hidden.includes(f.id))
    .slice(0, CARD_FIELDS);

  const moveTo = async (record: RecordView, key: string | null): Promise<void> => {
    const current = record.values[group.id];
    if ((current?.type === 'string' ? current.value : null) === key) return;
    await actions.setValue(record.id, group.id, key === null ? null : { type: 'string', value: key });
    groups.reload();
  };

  const onCardKey = (event: KeyboardEvent<HTMLButtonElement>, record: RecordView, column: number): void => {
    if (!(event.altKey && event.shiftKey) || (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight'))
      return;
    event.preventDefault();
    const target = columns[column + (event.key === 'ArrowLeft' ? -1 : 1)];
    if (target && record.canEdit) {
      void moveTo(record, target.key).then(() =>
        requestAnimationFrame(() =>
          document.querySelector<HTMLElement>(`[data-card="${record.id}"]`)?.focus(),
        ),
      );
    }
  };

  return (
    <div className="board-wrap">
      {selects.length > 1 ? (
        <label className="board-group-by">
          Group by
          <select aria-label="Group by" value={group.id} onChange={(e) => onGroupBy(e.target.value)}>
            {selects.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <div className="board" role="list" aria-label={`Board by ${group.name}`}>
        {columns.map((column, index) => (
          <section
            key={column.key ?? 'none'}
            role="listitem"
            aria-label={`${nameOf(column.key)}: ${column.total} ${column.total === 1 ? 'record' : 'records'}`}
            className={over === column.key && dragging ? 'board-column drop' : 'board-column'}
            onDragOver={(event: DragEvent) => {
              if (!dragging) return;
              event.preventDefault();
              event.dataTransfer.dropEffect = 'move';
              if (over !== column.key) setOver(column.key);
            }}
            onDragLeave={() => setOver(undefined)}
            onDrop={(event) => {
              event.preventDefault();
              const id = event.dataTransfer.getData(DRAG_TYPE) || dragging;
              setDragging(null);
              setOver(undefined);
              const record = columns.flatMap((c) => c.records).find((r) => r.id === id);
              if (record?.canEdit) void moveTo(record, column.key);
            }}
          >
            <header className="board-column-head">
              <span className={`chip option-${colorOf(column.key)}`}>{nameOf(column.key)}</span>
              <span className="board-count">{column.total}</span>
            </header>
            <ul className="board-cards">
              {column.records.map((record) => (
                <li key={record.id}>
                  {/* eslint-disable-next-line jsx-a11y/role-supports-aria-props -- aria-description is global in ARIA 1.3 (Chromium and axe read it); aria-query 5.3 predates it */}
                  <button
                    type="button"
                    className={record.pending ? 'board-card pending' : 'board-card'}
                    data-card={record.id}
                    draggable={record.canEdit}
                    aria-description={
                      record.canEdit ? 'Alt+Shift+Left or Right moves it to the next column' : undefined
                    }
                    onDragStart={(event) => {
                      event.dataTransfer.setData(DRAG_TYPE, record.id);
                      event.dataTransfer.effectAllowed = 'move';
                      setDragging(record.id);
                    }}
                    onDragEnd={() => {
                      setDragging(null);
                      setOver(undefined);
                    }}
                    onClick={() => onOpenRecord(record.id)}
                    onKeyDown={(event) => onCardKey(event, record, index)}
                  >
                    <span className={record.name.trim() ? 'card-name' : 'card-name untitled'}>
                      {record.name.trim() || 'Untitled'}
                    </span>
                    {shown.map((field: FieldView) =>
                      record.values[field.id] !== undefined ? (
                        <span key={field.id} className="card-field">
                          <CellValue field={field} value={record.values[field.id]} people={database.people} />
                        </span>
                      ) : null,
                    )}
                  </button>
                </li>
              ))}
              {column.total > column.records.length ? (
                <li className="board-more">{column.total - column.records.length} more — filter to narrow</li>
              ) : null}
            </ul>
            {database.can.addRecords ? (
              <button
                type="button"
                className="board-add"
                onClick={() =>
                  void actions
                    .createRecord(
                      '',
                      column.key === null ? undefined : { [group.id]: { type: 'string', value: column.key } },
                    )
                    .then((r) => r && onOpenRecord(r.id))
                }
              >
                <Icon name="plus" size={14} /> New
              </button>
            ) : null}
          </section>
        ))}
      </div>
    </div>
  );
}
