import { useVirtualizer } from '@tanstack/react-virtual';
import {
  useEffect,
  useEffectEvent,
  useMemo,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
} from 'react';
import type { DatabaseView, FieldView, RecordView, SavedView } from '../../../shared/contract';
import type { FieldValue } from '../../../shared/model/nodes';
import { hasMod } from '../../lib/platform';
import { Icon } from '../../ui/icons';
import { useLatest } from '../../lib/latest';
import { TableRow, type CommitMove, type RowHandlers } from './TableRow';
import type { DatabaseActions, RecordWindow } from './use-database';
import { isTyped } from './values';

export const ROW_HEIGHT = 34;
const NAME_WIDTH = 260;
const FIELD_WIDTH = 180;
/** The record's name, as a column (always first, never hidden). */
export const NAME_FIELD: FieldView = { id: 'name', name: 'Name', type: 'string', kind: 'text', options: [] };

export interface TableViewProps {
  database: DatabaseView;
  view: SavedView;
  records: RecordWindow;
  actions: DatabaseActions;
  /** Whether the view selects a subset (the empty state says so). */
  filtered: boolean;
  onOpenRecord(recordId: string): void;
  onColumnMenu(field: FieldView, at: { x: number; y: number }): void;
  onAddField(at: { x: number; y: number }): void;
}

interface Cell {
  row: number;
  col: number;
}

/**
 * The table: one row per record (virtualised: only the rows on screen are in the DOM, so 50,000 scroll like
 * 50), one column per visible field. A spreadsheet's keyboard: arrows, Home/End (Mod: first/last row),
 * PageUp/PageDown, Tab/Shift+Tab, Enter or F2 to edit (Enter again saves and goes down, Escape cancels),
 * typing replaces, Delete clears, Space toggles a checkbox, Mod+Enter opens the record as a page.
 */
export function TableView(props: TableViewProps) {
  const { database, view, records, actions } = props;
  const gridId = useId();
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState<Cell>({ row: 0, col: 0 });
  const [editing, setEditing] = useState<{ typed: string | null } | null>(null);
  const total = records.total ?? 0;
  // Kept while the fields shown are the same (a reload of the database brings new, equal objects).
  const columnsKey = JSON.stringify([
    NAME_FIELD,
    ...database.fields.filter((f) => !view.hidden.includes(f.id)),
  ]);
  const columns = useMemo(() => JSON.parse(columnsKey) as FieldView[], [columnsKey]);
  const peopleKey = JSON.stringify(database.people);
  const widths = columns.map((f) => view.widths[f.id] ?? (f.id === 'name' ? NAME_WIDTH : FIELD_WIDTH));
  const template = { '--columns': `${widths.map((w) => `${w}px`).join(' ')} 44px` } as CSSProperties;

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const rows = virtualizer.getVirtualItems();
  const first = rows[0]?.index ?? 0;
  const last = rows.at(-1)?.index ?? 0;
  // `records` changes identity every render; the range is what matters.
  const need = useEffectEvent((from: number, to: number) => records.need(from, to));
  useEffect(() => {
    if (total > 0) need(first, last);
  }, [first, last, total]);

  const clamp = (cell: Cell): Cell => ({
    row: Math.max(0, Math.min(total - 1, cell.row)),
    col: Math.max(0, Math.min(columns.length - 1, cell.col)),
  });
  const at = clamp(active);
  const record = records.at(at.row);
  const field = columns[at.col]!;

  useLayoutEffect(() => {
    if (total === 0) return;
    virtualizer.scrollToIndex(at.row, { align: 'auto' });
    document
      .getElementById(`${gridId}-${at.row}-${at.col}`)
      ?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [at.row, at.col, total, gridId, virtualizer]);

  const focusGrid = (): void => scroller.current?.focus({ preventScroll: true });
  const canEdit = (r: RecordView | undefined): boolean => r !== undefined && r.canEdit;

  const save = async (target: RecordView, column: FieldView, value: FieldValue | null): Promise<void> => {
    const saved =
      column.id === 'name'
        ? await actions.rename(target.id, value?.type === 'string' ? value.value : '')
        : await actions.setValue(target.id, column.id, value);
    if (saved) records.patch(saved);
  };

  const move = (delta: Cell): void => setActive(clamp({ row: at.row + delta.row, col: at.col + delta.col }));
  const tab = (backwards: boolean): void => {
    if (backwards)
      setActive(
        at.col > 0 ? { ...at, col: at.col - 1 } : clamp({ row: at.row - 1, col: columns.length - 1 }),
      );
    else
      setActive(
        at.col < columns.length - 1 ? { ...at, col: at.col + 1 } : clamp({ row: at.row + 1, col: 0 }),
      );
  };

  const toggle = (target: RecordView, column: FieldView): void => {
    const current = target.values[column.id];
    void save(target, column, { type: 'boolean', value: !(current?.type === 'boolean' && current.value) });
  };

  const startEditing = (typed: string | null): void => {
    if (!record || !canEdit(record)) return;
    if (field.kind === 'checkbox') toggle(record, field);
    else setEditing({ typed });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (editing || event.target !== event.currentTarget) return;
    const mod = hasMod(event);
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    if (event.key === 'ArrowDown') move({ row: mod ? total : 1, col: 0 });
    else if (event.key === 'ArrowUp') move({ row: mod ? -total : -1, col: 0 });
    else if (event.key === 'ArrowRight') move({ row: 0, col: mod ? columns.length : 1 });
    else if (event.key === 'ArrowLeft') move({ row: 0, col: mod ? -columns.length : -1 });
    else if (event.key === 'PageDown') move({ row: page, col: 0 });
    else if (event.key === 'PageUp') move({ row: -page, col: 0 });
    else if (event.key === 'Home') setActive(mod ? { row: 0, col: 0 } : { ...at, col: 0 });
    else if (event.key === 'End')
      setActive(mod ? clamp({ row: total, col: columns.length }) : { ...at, col: columns.length - 1 });
    else if (event.key === 'Tab') tab(event.shiftKey);
    else if (event.key === 'Enter' && mod) {
      if (record) props.onOpenRecord(record.id);
    } else if (event.key === 'Enter' || event.key === 'F2') startEditing(null);
    else if (event.key === ' ' && field.kind === 'checkbox') startEditing(null);
    else if ((event.key === 'Delete' || event.key === 'Backspace') && mod) {
      if (record) void actions.trash([record.id]);
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      if (record && canEdit(record) && field.kind !== 'checkbox') void save(record, field, null);
    } else if (
      event.key.length === 1 &&
      !mod &&
      !event.altKey &&
      (isTyped(field) || field.kind !== 'checkbox')
    )
      startEditing(event.key);
    else return;
    event.preventDefault();
  };

  const commit = (target: RecordView, column: FieldView, value: FieldValue | null, to: CommitMove): void => {
    setEditing(null);
    void save(target, column, value);
    if (to === 'down') move({ row: 1, col: 0 });
    else if (to !== 'stay') tab(to === 'left');
    focusGrid();
  };

  // A record just added here: its name is edited once it is in the table (unsorted it comes last, ids
  // being in creation order), not before — the caret must not land in the row above meanwhile.
  const [added, setAdded] = useState<string | null>(null);
  useEffect(() => {
    if (added === null || total === 0) return;
    const lastRecord = records.at(total - 1);
    if (lastRecord === undefined) records.need(total - 1, total - 1);
    if (lastRecord?.id !== added) return;
    setAdded(null);
    setActive({ row: total - 1, col: 0 });
    setEditing({ typed: '' });
  }, [added, total, records]);
  const addRecord = async (): Promise<void> => {
    const created = await actions.createRecord();
    if (created && view.sorts.length === 0) {
      setEditing(null);
      setAdded(created.id);
    }
  };

  const latest = useLatest({
    activate: (row: number, col: number) => setActive({ row, col }),
    editActive: () => startEditing(null),
    toggle,
    commit,
    cancel: () => {
      setEditing(null);
      focusGrid();
    },
    createOption: (fieldId: string, name: string) => actions.change({ op: 'option.add', fieldId, name }),
    open: (recordId: string) => props.onOpenRecord(recordId),
  });
  // One object for the table's life: each call goes to this render's functions.
  const handlers = useMemo<RowHandlers>(
    () => ({
      activate: (row, col) => latest.current.activate(row, col),
      editActive: () => latest.current.editActive(),
      toggle: (record, column) => latest.current.toggle(record, column),
      commit: (record, column, value, to) => latest.current.commit(record, column, value, to),
      cancel: () => latest.current.cancel(),
      createOption: (fieldId, name) => latest.current.createOption(fieldId, name),
      open: (recordId) => latest.current.open(recordId),
    }),
    [latest],
  );

  if (records.total === 0)
    return (
      <div className="table-empty">
        <p>{props.filtered ? 'No record matches these filters.' : 'No records yet.'}</p>
        {database.can.addRecords ? (
          <button type="button" className="button primary" onClick={() => void addRecord()}>
            <Icon name="plus" size={14} /> New record
          </button>
        ) : null}
      </div>
    );

  return (
    <div className="table-wrap">
      <div
        ref={scroller}
        className="table-scroll"
        role="grid"
        aria-label={`${view.name} of ${database.node.name || 'the database'}`}
        aria-rowcount={total + 1}
        aria-colcount={columns.length}
        aria-activedescendant={record ? `${gridId}-${at.row}-${at.col}` : undefined}
        tabIndex={0}
        style={template}
        onKeyDown={onKeyDown}
      >
        <div className="table-head" role="row" aria-rowindex={1}>
          {columns.map((column, col) => {
            const sort = view.sorts.find((s) => s.field === column.id);
            return (
              <div
                key={column.id}
                role="columnheader"
                aria-colindex={col + 1}
                className="table-header"
                aria-sort={sort ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}
              >
                <button
                  type="button"
                  tabIndex={-1}
                  className="header-button"
                  title={`${column.name} — click for field options`}
                  onClick={(event) => {
                    const box = event.currentTarget.getBoundingClientRect();
                    props.onColumnMenu(column, { x: box.left, y: box.bottom + 2 });
                  }}
                >
                  <span className="header-name">{column.name || 'Untitled field'}</span>
                  {sort ? (
                    <Icon name="sort" size={12} className={sort.dir === 'desc' ? 'flipped' : undefined} />
                  ) : null}
                </button>
              </div>
            );
          })}
          {database.can.editSchema ? (
            <div role="columnheader" className="table-header add">
              <button
                type="button"
                tabIndex={-1}
                className="header-button"
                aria-label="Add a field"
                title="Add a field"
                onClick={(event) => {
                  const box = event.currentTarget.getBoundingClientRect();
                  props.onAddField({ x: box.left, y: box.bottom + 2 });
                }}
              >
                <Icon name="plus" size={14} />
              </button>
            </div>
          ) : null}
        </div>
        <div className="table-body" style={{ height: virtualizer.getTotalSize() }}>
          {rows.map((item) => {
            const row = records.at(item.index);
            const active = item.index === at.row;
            return (
              <TableRow
                key={row?.id ?? `loading-${item.index}`}
                gridId={gridId}
                index={item.index}
                start={item.start}
                record={row}
                columns={columns}
                activeCol={active ? at.col : null}
                editing={active ? editing : null}
                canEdit={canEdit(row)}
                database={database}
                peopleKey={peopleKey}
                handlers={handlers}
              />
            );
          })}
        </div>
      </div>
      <div className="table-foot">
        {database.can.addRecords ? (
          <button type="button" className="button small" onClick={() => void addRecord()}>
            <Icon name="plus" size={14} /> New record
          </button>
        ) : null}
        <span className="table-count">
          {total.toLocaleString()} {total === 1 ? 'record' : 'records'}
          {props.filtered ? ` of ${database.recordCount.toLocaleString()}` : ''}
        </span>
      </div>
    </div>
  );
}
