import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { fold } from '../../../shared/search/terms';

export interface PickerItem {
  id: string;
  name: string;
  color?: string;
}

export interface OptionPickerProps {
  label: string;
  items: readonly PickerItem[];
  /** Ids chosen now (one for a select or a person, any number for a multi-select). */
  chosen: readonly string[];
  multiple: boolean;
  /** Typed text may become a new option (select fields, for people who may change the schema). */
  onCreate?: ((name: string) => void) | undefined;
  initialQuery?: string;
  onChoose(ids: string[]): void;
  onCancel(): void;
  /** Tab / Shift+Tab leave the cell sideways (as in a spreadsheet). */
  onTab?(backwards: boolean): void;
}

/**
 * Picking a select option, options of a multi-select, or a person: type to narrow, ↑/↓ and Enter (Space
 * toggles in a multi-select), Escape to leave without a change; "Create …" when the text names no option.
 */
export function OptionPicker(props: OptionPickerProps) {
  const { items, chosen, multiple } = props;
  const [query, setQuery] = useState(props.initialQuery ?? '');
  const [active, setActive] = useState(0);
  const [picked, setPicked] = useState<string[]>([...chosen]);
  const listId = useId();
  const shown = useMemo(
    () => items.filter((item) => fold(item.name).includes(fold(query.trim()))),
    [items, query],
  );
  const canCreate =
    props.onCreate !== undefined &&
    query.trim() !== '' &&
    !items.some((i) => fold(i.name) === fold(query.trim()));
  const count = shown.length + (canCreate ? 1 : 0);
  const current = Math.min(active, Math.max(0, count - 1));

  const choose = (index: number): void => {
    if (index === shown.length && canCreate) {
      props.onCreate?.(query.trim());
      return;
    }
    const item = shown[index];
    if (!item) return;
    if (!multiple) {
      props.onChoose(chosen.includes(item.id) ? [] : [item.id]);
      return;
    }
    setPicked((ids) => (ids.includes(item.id) ? ids.filter((id) => id !== item.id) : [...ids, item.id]));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    event.stopPropagation();
    if (event.key === 'ArrowDown') setActive((current + 1) % Math.max(count, 1));
    else if (event.key === 'ArrowUp') setActive((current - 1 + count) % Math.max(count, 1));
    else if (event.key === 'Escape') props.onCancel();
    else if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
      if (multiple && !(current === shown.length && canCreate) && query.trim() === '') props.onChoose(picked);
      else choose(current);
      if (multiple) setQuery('');
    } else if (event.key === ' ' && multiple && query === '') choose(current);
    else if (event.key === 'Tab') {
      if (multiple) props.onChoose(picked);
      props.onTab?.(event.shiftKey);
    } else return;
    event.preventDefault();
  };

  return (
    <div className="option-picker" role="dialog" aria-label={props.label}>
      <input
        className="option-search"
        autoFocus
        role="combobox"
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={count > 0 ? `${listId}-${current}` : undefined}
        aria-label={`Search ${props.label.toLowerCase()}`}
        placeholder={props.onCreate ? 'Find or create an option…' : 'Find…'}
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => (multiple ? props.onChoose(picked) : props.onCancel())}
      />
      <ul id={listId} role="listbox" aria-multiselectable={multiple} className="option-list">
        {shown.map((item, index) => {
          const on = (multiple ? picked : chosen).includes(item.id);
          return (
            // eslint-disable-next-line jsx-a11y/click-events-have-key-events -- keys are the input's (aria-activedescendant)
            <li
              key={item.id}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={on}
              className={index === current ? 'option-row active' : 'option-row'}
              onMouseDown={(event) => event.preventDefault()}
              onMouseMove={() => index !== current && setActive(index)}
              onClick={() => choose(index)}
            >
              <span className={`option-check${on ? ' on' : ''}`} aria-hidden="true" />
              <span className={item.color ? `chip option-${item.color}` : 'option-name'}>{item.name}</span>
            </li>
          );
        })}
        {canCreate ? (
          // eslint-disable-next-line jsx-a11y/click-events-have-key-events -- keys are the input's (aria-activedescendant)
          <li
            id={`${listId}-${shown.length}`}
            role="option"
            aria-selected={false}
            className={current === shown.length ? 'option-row active' : 'option-row'}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => choose(shown.length)}
          >
            <span className="option-create">Create “{query.trim()}”</span>
          </li>
        ) : null}
        {count === 0 ? <li className="option-empty">Nothing matches</li> : null}
      </ul>
    </div>
  );
}
