import type { DatabaseField, ValueType } from './nodes';

/**
 * How the app shows and edits a database field. Each kind stores one of the API's value types; a kind this
 * app does not know (a newer app's) is shown by its value type.
 */
export const FieldKind = {
  text: 'text',
  longText: 'long_text',
  number: 'number',
  checkbox: 'checkbox',
  date: 'date',
  select: 'select',
  multiSelect: 'multi_select',
  url: 'url',
  email: 'email',
  person: 'person',
} as const;
export type FieldKind = (typeof FieldKind)[keyof typeof FieldKind];
export const FIELD_KINDS = Object.values(FieldKind) as [FieldKind, ...FieldKind[]];

export const VALUE_TYPE_OF_KIND: Record<FieldKind, ValueType> = {
  text: 'string',
  long_text: 'text',
  number: 'number',
  checkbox: 'boolean',
  date: 'string',
  select: 'string',
  multi_select: 'string_array',
  url: 'string',
  email: 'string',
  person: 'string',
};

const KIND_OF_TYPE: Record<ValueType, FieldKind> = {
  string: 'text',
  text: 'long_text',
  number: 'number',
  boolean: 'checkbox',
  string_array: 'multi_select',
};

export const FIELD_KIND_LABELS: Record<FieldKind, string> = {
  text: 'Text',
  long_text: 'Long text',
  number: 'Number',
  checkbox: 'Checkbox',
  date: 'Date',
  select: 'Select',
  multi_select: 'Multi-select',
  url: 'URL',
  email: 'Email',
  person: 'Person',
};

export const isFieldKind = (kind: unknown): kind is FieldKind =>
  typeof kind === 'string' && (FIELD_KINDS as readonly string[]).includes(kind);

/** The kind a field is shown as: its own when this app knows it and it fits the value type, else the type's. */
export function kindOf(field: Pick<DatabaseField, 'kind' | 'type'>): FieldKind {
  return isFieldKind(field.kind) && VALUE_TYPE_OF_KIND[field.kind] === field.type
    ? field.kind
    : KIND_OF_TYPE[field.type];
}

/** `YYYY-MM-DD` that is a real calendar day (what date fields store). */
export function isValidDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Colours a select option can have (CSS classes `option-<colour>`). */
export const OPTION_COLORS = [
  'gray',
  'brown',
  'orange',
  'yellow',
  'green',
  'blue',
  'purple',
  'pink',
  'red',
] as const;
export type OptionColor = (typeof OPTION_COLORS)[number];
