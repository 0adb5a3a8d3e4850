import { useCallback, useState } from 'react';
import type { FieldView } from '../../../shared/contract';
import { useLiveQuery } from '../../lib/live-query';
import { CellEditor, CellValue } from './cells';
import { useDatabase, useDatabaseActions, useNotebookChanges } from './use-database';
import './database.css';

export interface RecordFieldsProps {
  accountId: string;
  notebookId: string;
  databaseId: string;
  recordId: string;
}

/**
 * A record opened as a page: its fields above its document, each editable in place (Enter or a click;
 * the same editors as the table's cells). Live: a value changed on another device shows up here.
 */
export function RecordFields({ accountId, notebookId, databaseId, recordId }: RecordFieldsProps) {
  const database = useDatabase(accountId, notebookId, databaseId);
  const record = useLiveQuery(
    `${accountId}/${recordId}`,
    (api) => api.invoke('record.get', { accountId, recordId }),
    () => () => undefined,
  );
  useNotebookChanges(accountId, notebookId, record.reload);
  const reload = useCallback(() => database.reload(), [database]);
  const actions = useDatabaseActions(accountId, databaseId, reload);
  const [editing, setEditing] = useState<string | null>(null);
  const db = database.data;
  const current = record.data;
  if (!db || !current) return null;

  const save = (field: FieldView, value: Parameters<typeof actions.setValue>[2]): void => {
    setEditing(null);
    void actions.setValue(recordId, field.id, value).then(() => record.reload());
  };

  return (
    <dl className="record-fields" aria-label="Fields">
      {db.fields.map((field) => (
        <div key={field.id} className="record-field">
          <dt>{field.name || 'Untitled field'}</dt>
          <dd>
            {editing === field.id ? (
              <CellEditor
                field={field}
                value={current.values[field.id]}
                database={db}
                typed={null}
                onCommit={(value) => save(field, value)}
                onCancel={() => setEditing(null)}
                onCreateOption={(name) => actions.change({ op: 'option.add', fieldId: field.id, name })}
              />
            ) : (
              <button
                type="button"
                className="record-value"
                disabled={!current.canEdit}
                aria-label={`${field.name}: edit`}
                onClick={() =>
                  field.kind === 'checkbox'
                    ? save(field, { type: 'boolean', value: !(current.values[field.id]?.value === true) })
                    : setEditing(field.id)
                }
              >
                {current.values[field.id] === undefined ? (
                  <span className="record-empty">Empty</span>
                ) : (
                  <CellValue field={field} value={current.values[field.id]} people={db.people} />
                )}
              </button>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
