import { memo } from 'react';
import type { DatabaseView, FieldView, RecordView } from '../../../shared/contract';
import type { FieldValue } from '../../../shared/model/nodes';
import { CellEditor, CellValue } from './cells';

/** What a row asks the table to do; one stable object for every row, so rows re-render only for their data. */
export interface RowHandlers {
  activate(row: number, col: number): void;
  /** Edits the active cell (the one just pressed). */
  editActive(): void;
  toggle(record: RecordView, column: FieldView): void;
  commit(record: RecordView, column: FieldView, value: FieldValue | null, to: CommitMove): void;
  cancel(): void;
  createOption(fieldId: string, name: string): Promise<string | null | undefined>;
  open(recordId: string): void;
}
export type CommitMove = 'down' | 'right' | 'left' | 'stay';

export interface TableRowProps {
  gridId: string;
  index: number;
  start: number;
  /** Undefined while its page of records is on its way. */
  record: RecordView | undefined;
  columns: readonly FieldView[];
  /** The active cell's column when it is in this row. */
  activeCol: number | null;
  /** Set when the active cell (in this row) is being edited: what was typed to start. */
  editing: { typed: string | null } | null;
  canEdit: boolean;
  database: DatabaseView;
  /** The people a person field names, as text: a new database object with the same people is no change. */
  peopleKey: string;
  handlers: RowHandlers;
}

/**
 * One record's row. Memoised: an edit, a cell moved to or a reload of the database re-renders the rows it
 * changes (a record keeps its object while its data is the same, see useRecordWindow), not the 30-60 on
 * screen. The database itself matters only to the row being edited (options, people to pick).
 */
export const TableRow = memo(function TableRow(props: TableRowProps) {
  const { gridId, index, record: row, columns, activeCol, editing, canEdit, database, handlers } = props;
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      className={row?.pending ? 'table-row pending' : 'table-row'}
      style={{ transform: `translateY(${props.start}px)` }}
    >
      {columns.map((column, col) => {
        const here = col === activeCol;
        return (
          // eslint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/interactive-supports-focus -- the grid holds focus and the keys; it points at this cell with aria-activedescendant
          <div
            key={column.id}
            id={`${gridId}-${index}-${col}`}
            role="gridcell"
            aria-colindex={col + 1}
            aria-selected={here}
            aria-readonly={!canEdit || undefined}
            className={`table-cell kind-${column.kind}${here ? ' active' : ''}`}
            onMouseDown={() => handlers.activate(index, col)}
            onDoubleClick={() => handlers.editActive()}
            onClick={(event) => {
              if (
                row &&
                column.kind === 'checkbox' &&
                canEdit &&
                (event.target as Element).closest('.cell-check')
              )
                handlers.toggle(row, column);
            }}
          >
            {!row ? (
              <span className="cell-loading" />
            ) : here && editing ? (
              <CellEditor
                field={column}
                value={column.id === 'name' ? { type: 'string', value: row.name } : row.values[column.id]}
                database={database}
                typed={editing.typed}
                onCommit={(value, to) => handlers.commit(row, column, value, to)}
                onCancel={() => handlers.cancel()}
                onCreateOption={(name) => handlers.createOption(column.id, name)}
              />
            ) : column.id === 'name' ? (
              <span className="cell-name">
                <span className={row.name.trim() ? 'cell-text' : 'cell-text untitled'}>
                  {row.name.trim() || 'Untitled'}
                </span>
                <button
                  type="button"
                  tabIndex={-1}
                  className="open-record"
                  aria-label={`Open ${row.name.trim() || 'Untitled'} as a page`}
                  title="Open as a page (Mod+Enter)"
                  onClick={(event) => {
                    event.stopPropagation();
                    handlers.open(row.id);
                  }}
                >
                  Open
                </button>
              </span>
            ) : (
              <CellValue field={column} value={row.values[column.id]} people={database.people} />
            )}
          </div>
        );
      })}
    </div>
  );
}, sameRow);

function sameRow(a: TableRowProps, b: TableRowProps): boolean {
  return (
    a.record === b.record &&
    a.index === b.index &&
    a.start === b.start &&
    a.columns === b.columns &&
    a.activeCol === b.activeCol &&
    a.editing === b.editing &&
    a.canEdit === b.canEdit &&
    a.peopleKey === b.peopleKey &&
    a.handlers === b.handlers &&
    a.gridId === b.gridId &&
    // Options and people to pick from: only the row being edited uses the database beyond its people.
    (a.editing === null || a.database === b.database)
  );
}
