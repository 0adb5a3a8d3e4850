import type { FieldView, OptionView } from '../../../shared/contract';
import { isValidDate } from '../../../shared/model/database';
import type { FieldValue } from '../../../shared/model/nodes';

/**
 * A field value as a cell shows it and as typing sets it, per field kind. A stored value that does not fit
 * its field (the field was retyped; another app wrote it; an invalid date from the API) is shown as it is,
 * marked, never dropped or rewritten until someone edits it.
 */
export interface CellText {
  text: string;
  /** The value is not of the field's type, or not valid for its kind. */
  mismatch: boolean;
}

const EMPTY: CellText = { text: '', mismatch: false };

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 10 });

export function formatDate(value: string): string {
  if (!isValidDate(value)) return value;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d).toLocaleDateString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
  });
}

const optionName = (field: FieldView, id: string): string | undefined =>
  field.options.find((o) => o.id === id)?.name;

/** The value's raw text (for a value of another type than its field's). */
function raw(value: FieldValue): string {
  if (value.type === 'string_array') return value.value.join(', ');
  return typeof value.value === 'string' ? value.value : JSON.stringify(value.value);
}

export function cellText(
  field: FieldView,
  value: FieldValue | undefined,
  people: readonly { id: string; name: string }[] = [],
): CellText {
  if (value === undefined) return EMPTY;
  if (value.type !== field.type) return { text: raw(value), mismatch: true };
  switch (field.kind) {
    case 'number':
      return { text: numberFormat.format(value.value as number), mismatch: false };
    case 'checkbox':
      return { text: value.value ? 'Yes' : 'No', mismatch: false };
    case 'date': {
      const text = value.value as string;
      return isValidDate(text)
        ? { text: formatDate(text), mismatch: false }
        : { text: `Invalid date: ${text}`, mismatch: true };
    }
    case 'select': {
      const name = optionName(field, value.value as string);
      return name === undefined
        ? { text: 'Unknown option', mismatch: true }
        : { text: name, mismatch: false };
    }
    case 'multi_select': {
      const names = (value.value as string[]).map((id) => optionName(field, id) ?? 'Unknown option');
      return { text: names.join(', '), mismatch: false };
    }
    case 'person':
      return { text: people.find((p) => p.id === value.value)?.name ?? String(value.value), mismatch: false };
    default:
      return { text: raw(value), mismatch: false };
  }
}

/** The options a select/multi-select value names, in the field's order (unknown ids left out). */
export const selectedOptions = (field: FieldView, value: FieldValue | undefined): OptionView[] => {
  if (value === undefined) return [];
  const ids =
    value.type === 'string_array' ? value.value : typeof value.value === 'string' ? [value.value] : [];
  return field.options.filter((o) => ids.includes(o.id));
};

/** What an editor starts with for a value (a date in its `YYYY-MM-DD` form, a number as typed). */
export function editText(field: FieldView, value: FieldValue | undefined): string {
  if (value === undefined) return '';
  if (value.type !== field.type) return raw(value);
  if (field.kind === 'number') return String(value.value);
  return raw(value);
}

export type Parsed = { ok: true; value: FieldValue | null } | { ok: false; message: string };

/** Typed text → the value to store (`null`: clear the cell), or why it cannot be stored. */
export function parseInput(field: FieldView, text: string): Parsed {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: null };
  switch (field.kind) {
    case 'number': {
      const number = Number(trimmed.replace(/[\s,_](?=\d{3}\b)/g, ''));
      return Number.isFinite(number)
        ? { ok: true, value: { type: 'number', value: number } }
        : { ok: false, message: `“${trimmed}” is not a number` };
    }
    case 'date':
      return isValidDate(trimmed)
        ? { ok: true, value: { type: 'string', value: trimmed } }
        : { ok: false, message: 'Use a date like 2024-05-31' };
    case 'long_text':
      return { ok: true, value: { type: 'text', value: text } };
    case 'checkbox':
      return { ok: true, value: { type: 'boolean', value: /^(y|yes|true|1|x|✓)$/i.test(trimmed) } };
    default:
      return { ok: true, value: { type: 'string', value: text } };
  }
}

/** Kinds typed into a cell as text (the others pick: checkbox toggles, selects and people choose). */
export const isTyped = (field: FieldView): boolean =>
  ['text', 'long_text', 'number', 'date', 'url', 'email'].includes(field.kind);
