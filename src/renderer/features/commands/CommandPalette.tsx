import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useShowModal } from '../sync/use-sync';
import { shortcutLabel } from '../../lib/platform';
import { Icon, type IconName } from '../../ui/icons';
import { fuzzyFilter } from './fuzzy';
import './palette.css';

export interface PaletteItem {
  id: string;
  title: string;
  group: 'Commands' | 'Pages';
  icon: IconName;
  /** A page's own emoji icon, shown instead of `icon`. */
  emoji?: string;
  /** Shown after the title, dimmed (a page's path). */
  detail?: string;
  shortcut?: string;
  keywords?: readonly string[];
  run(): void;
}

const MAX_RESULTS = 50;

/**
 * Ctrl/Cmd+K: one box to run any command or open any page. Fuzzy filter, ↑/↓ to move, Enter to run,
 * Esc (the <dialog>'s own cancel) to close. Built on <dialog>, so focus stays inside while it is open.
 */
export function CommandPalette({ items, onClose }: { items: readonly PaletteItem[]; onClose(): void }) {
  const dialog = useShowModal();
  const list = useRef<HTMLUListElement>(null);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();

  const results = useMemo(() => {
    const matched =
      query.trim() === '' ? items : fuzzyFilter(query, items, (i) => [i.title, ...(i.keywords ?? [])]);
    return matched.slice(0, MAX_RESULTS);
  }, [items, query]);
  const current = Math.min(active, Math.max(results.length - 1, 0));

  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [current, results]);

  const run = (item: PaletteItem | undefined): void => {
    if (!item) return;
    onClose();
    item.run();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    const move = (delta: number): void => {
      event.preventDefault();
      if (results.length > 0) setActive((current + delta + results.length) % results.length);
    };
    if (event.key === 'ArrowDown') move(1);
    else if (event.key === 'ArrowUp') move(-1);
    else if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
      event.preventDefault();
      run(results[current]);
    }
  };

  const optionId = (index: number): string => `${listId}-${index}`;
  let lastGroup: string | null = null;
  return (
    <dialog ref={dialog} className="dialog palette" aria-label="Command palette" onClose={onClose}>
      <div className="palette-search">
        <Icon name="search" />
        <input
          type="text"
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-activedescendant={results.length > 0 ? optionId(current) : undefined}
          aria-label="Search commands and pages"
          placeholder="Search commands and pages…"
          autoFocus
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
        />
      </div>
      <ul ref={list} id={listId} role="listbox" aria-label="Results" className="palette-results">
        {results.length === 0 ? (
          <li className="palette-empty">No command or page matches “{query}”</li>
        ) : null}
        {results.map((item, index) => {
          const header = item.group !== lastGroup ? item.group : null;
          lastGroup = item.group;
          return (
            <li key={item.id} role="presentation">
              {header ? (
                <div className="palette-group" role="presentation">
                  {header}
                </div>
              ) : null}
              <div
                id={optionId(index)}
                role="option"
                aria-selected={index === current}
                className="palette-option"
                onMouseMove={() => index !== current && setActive(index)}
                onClick={() => run(item)}
              >
                {item.emoji ? (
                  <span className="palette-emoji" aria-hidden="true">
                    {item.emoji}
                  </span>
                ) : (
                  <Icon name={item.icon} />
                )}
                <span className="palette-title">{item.title}</span>
                {item.detail ? <span className="palette-detail">{item.detail}</span> : null}
                {item.shortcut ? <kbd>{shortcutLabel(item.shortcut)}</kbd> : null}
              </div>
            </li>
          );
        })}
      </ul>
      <div className="palette-footer" aria-hidden="true">
        <span>
          <kbd>↑</kbd>
          <kbd>↓</kbd> to move
        </span>
        <span>
          <kbd>Enter</kbd> to run
        </span>
        <span>
          <kbd>Esc</kbd> to close
        </span>
      </div>
    </dialog>
  );
}
