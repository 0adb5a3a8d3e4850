import { useState, type KeyboardEvent } from 'react';
import type { DatabaseView, FieldView } from '../../../shared/contract';
import type { FieldValue } from '../../../shared/model/nodes';
import { OptionPicker } from './OptionPicker';
import { cellText, editText, parseInput, selectedOptions } from './values';

/** A field's value as a cell (or a record page's field) shows it. */
export function CellValue({
  field,
  value,
  people,
}: {
  field: FieldView;
  value: FieldValue | undefined;
  people: DatabaseView['people'];
}) {
  if (value !== undefined && value.type === field.type) {
    if (field.kind === 'checkbox')
      return (
        <span
          className={value.value ? 'cell-check on' : 'cell-check'}
          aria-label={value.value ? 'Yes' : 'No'}
        />
      );
    if (field.kind === 'select' || field.kind === 'multi_select') {
      const options = selectedOptions(field, value);
      const unknown = field.kind === 'select' && options.length === 0;
      if (!unknown)
        return (
          <span className="chips">
            {options.map((o) => (
              <span key={o.id} className={`chip option-${o.color}`}>
                {o.name}
              </span>
            ))}
          </span>
        );
    }
    if (field.kind === 'url' && typeof value.value === 'string' && /^https?:\/\//i.test(value.value))
      return (
        <a
          className="cell-link"
          href={value.value}
          target="_blank"
          rel="noopener noreferrer"
          onClick={(e) => e.stopPropagation()}
        >
          {value.value}
        </a>
      );
  }
  const shown = cellText(field, value, people);
  return (
    <span
      className={shown.mismatch ? 'cell-text mismatch' : 'cell-text'}
      title={
        shown.mismatch
          ? `${shown.text} — stored as ${value?.type ?? 'nothing'}, not as this field’s type`
          : undefined
      }
    >
      {shown.text}
    </span>
  );
}

export interface CellEditorProps {
  field: FieldView;
  value: FieldValue | undefined;
  database: DatabaseView;
  /** What was typed to start editing (replaces the value), or null to edit the value as it is. */
  typed: string | null;
  /** Stores the value (null clears it); `move` says where the caret goes next, as in a spreadsheet. */
  onCommit(value: FieldValue | null, move: 'down' | 'right' | 'left' | 'stay'): void;
  onCancel(): void;
  /** A new option of this select field, named as typed; answers its id. */
  onCreateOption(name: string): Promise<string | null | undefined>;
}

/** Editing one cell: typing for text-like kinds (Enter, Tab, Escape), a picker for selects and people. */
export function CellEditor({
  field,
  value,
  database,
  typed,
  onCommit,
  onCancel,
  onCreateOption,
}: CellEditorProps) {
  const [text, setText] = useState(typed ?? editText(field, value));
  const [error, setError] = useState<string | null>(null);

  if (field.kind === 'select' || field.kind === 'multi_select' || field.kind === 'person') {
    const multiple = field.kind === 'multi_select';
    const items =
      field.kind === 'person'
        ? database.people
        : field.options.map((o) => ({ id: o.id, name: o.name, color: o.color }));
    const chosen =
      value === undefined || value.type !== field.type
        ? []
        : value.type === 'string_array'
          ? value.value
          : [String(value.value)];
    const store = (ids: string[]): void =>
      onCommit(
        ids.length === 0
          ? null
          : multiple
            ? { type: 'string_array', value: ids }
            : { type: 'string', value: ids[0]! },
        'stay',
      );
    return (
      <OptionPicker
        label={field.name || 'Options'}
        items={items}
        chosen={chosen}
        multiple={multiple}
        initialQuery={typed ?? ''}
        onCreate={
          field.kind !== 'person' && database.can.editSchema
            ? (name) =>
                void onCreateOption(name).then((id) => {
                  if (id) store(multiple ? [...chosen, id] : [id]);
                })
            : undefined
        }
        onChoose={store}
        onCancel={onCancel}
        onTab={(back) => onCommit(value ?? null, back ? 'left' : 'right')}
      />
    );
  }

  const commit = (move: 'down' | 'right' | 'left' | 'stay'): void => {
    const parsed = parseInput(field, text);
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    onCommit(parsed.value, move);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>): void => {
    event.stopPropagation();
    if (event.key === 'Escape') onCancel();
    else if (
      event.key === 'Enter' &&
      !event.nativeEvent.isComposing &&
      !(field.kind === 'long_text' && event.shiftKey)
    )
      commit('down');
    else if (event.key === 'Tab') commit(event.shiftKey ? 'left' : 'right');
    else return;
    event.preventDefault();
  };
  const common = {
    className: error ? 'cell-input invalid' : 'cell-input',
    autoFocus: true,
    value: text,
    'aria-label': field.name || 'Value',
    'aria-invalid': error !== null,
    onKeyDown,
    onBlur: () => commit('stay'),
  };
  return (
    <span className="cell-editor">
      {field.kind === 'long_text' ? (
        <textarea {...common} rows={3} maxLength={100_000} onChange={(e) => setText(e.target.value)} />
      ) : (
        <input
          {...common}
          type={
            field.kind === 'date'
              ? 'date'
              : field.kind === 'number'
                ? 'text'
                : field.kind === 'email'
                  ? 'email'
                  : 'text'
          }
          inputMode={field.kind === 'number' ? 'decimal' : undefined}
          maxLength={10_000}
          onFocus={(e) => {
            if (typed !== null && e.target.type !== 'date')
              e.target.setSelectionRange(text.length, text.length);
          }}
          onChange={(e) => {
            setText(e.target.value);
            setError(null);
          }}
        />
      )}
      {error ? (
        <span className="cell-error" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}
