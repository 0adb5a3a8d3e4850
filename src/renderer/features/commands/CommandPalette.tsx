import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { SearchHitView, SearchResultsView } from '../../../shared/contract';
import type { TextPiece } from '../../../shared/search/terms';
import { Highlighted } from '../search/Highlighted';
import { useSearch } from '../search/use-search';
import { typeIcon } from '../sidebar/type-icon';
import { useShowModal } from '../sync/use-sync';
import { shortcutLabel } from '../../lib/platform';
import { Icon, type IconName } from '../../ui/icons';
import { fuzzyFilter } from './fuzzy';
import './palette.css';

export interface PaletteItem {
  id: string;
  title: string;
  group: 'Commands' | 'Pages' | 'In page text';
  icon: IconName;
  /** A page's own emoji icon, shown instead of `icon`. */
  emoji?: string;
  /** Shown after the title, dimmed (a page's path). */
  detail?: string;
  shortcut?: string;
  keywords?: readonly string[];
  /** A full-text hit: its title and an excerpt, what matched highlighted. */
  found?: { title: readonly TextPiece[]; snippet: readonly TextPiece[] };
  run(): void;
}

const MAX_RESULTS = 50;
/** Content hits are searched from this many characters on (one letter matches nearly everything). */
const CONTENT_FROM_LENGTH = 2;
const CONTENT_RESULTS = 8;

function contentItem(
  hit: SearchHitView,
  results: SearchResultsView,
  open: PaletteProps['onOpenHit'],
): PaletteItem {
  const where = [hit.notebookName, ...hit.path].filter((p) => p.trim() !== '').join(' / ');
  const title =
    hit.type === 'message' ? [{ text: `Message in #${hit.path.at(-1) ?? ''}`, match: false }] : hit.title;
  return {
    id: `content:${hit.accountId}:${hit.nodeId}`,
    title: title.map((p) => p.text).join('') || 'Untitled',
    group: 'In page text',
    icon: typeIcon(hit),
    ...(hit.icon ? { emoji: hit.icon } : {}),
    detail: where,
    found: { title, snippet: hit.snippet },
    run: () => open(hit, results),
  };
}

interface PaletteProps {
  items: readonly PaletteItem[];
  onClose(): void;
  /** Opens a full-text hit (its page, with what matched highlighted). */
  onOpenHit(hit: SearchHitView, results: SearchResultsView): void;
}

/**
 * Ctrl/Cmd+K: one box to run any command or open any page. Fuzzy filter, ↑/↓ to move, Enter to run,
 * Esc (the <dialog>'s own cancel) to close. Built on <dialog>, so focus stays inside while it is open.
 */
export function CommandPalette({ items, onClose, onOpenHit }: PaletteProps) {
  const dialog = useShowModal();
  const list = useRef<HTMLUListElement>(null);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();

  const content = useSearch(query.trim().length >= CONTENT_FROM_LENGTH ? query : '', CONTENT_RESULTS);
  const results = useMemo(() => {
    const matched =
      query.trim() === '' ? items : fuzzyFilter(query, items, (i) => [i.title, ...(i.keywords ?? [])]);
    const listed = matched.slice(0, MAX_RESULTS);
    const found = content.results;
    if (!found) return listed;
    // Page contents too; a page already listed by its title is not listed twice.
    const shown = new Set(listed.map((i) => i.id.replace(/^page:/, '')));
    const hits = found.hits
      .filter((hit) => !shown.has(hit.nodeId))
      .map((hit) => contentItem(hit, found, onOpenHit));
    return [...listed, ...hits];
  }, [items, query, content.results, onOpenHit]);
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
      {results.length === 0 ? (
        // Outside the listbox: a listbox holds options only, and this is news, not a choice.
        <p className="palette-empty" role="status">
          {content.pending ? 'Searching…' : `No command or page matches “${query}”`}
        </p>
      ) : null}
      <ul ref={list} id={listId} role="listbox" aria-label="Results" className="palette-results">
        {groupRuns(results).map((section) => (
          // Each run of one group is an ARIA group named by its header, so a screen reader says "Pages".
          <li key={section.start} role="group" aria-labelledby={`${listId}-g${section.start}`}>
            <div id={`${listId}-g${section.start}`} className="palette-group" role="presentation">
              {section.group}
            </div>
            {section.items.map((item, offset) => {
              const index = section.start + offset;
              return (
                // eslint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/interactive-supports-focus -- keys are the combobox's (aria-activedescendant)
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
                  {item.found ? (
                    <span className="palette-found">
                      <Highlighted className="palette-title" pieces={item.found.title} />
                      {item.found.snippet.length > 0 ? (
                        <Highlighted className="palette-snippet" pieces={item.found.snippet} />
                      ) : null}
                    </span>
                  ) : (
                    <span className="palette-title">{item.title}</span>
                  )}
                  {item.detail ? <span className="palette-detail">{item.detail}</span> : null}
                  {item.shortcut ? <kbd>{shortcutLabel(item.shortcut)}</kbd> : null}
                </div>
              );
            })}
          </li>
        ))}
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

/** Consecutive results of one group, with the flat index of the first (option ids and keys use it). */
function groupRuns<T extends { group: string }>(
  results: readonly T[],
): { group: string; start: number; items: T[] }[] {
  const runs: { group: string; start: number; items: T[] }[] = [];
  results.forEach((item, index) => {
    const last = runs.at(-1);
    if (last && last.group === item.group) last.items.push(item);
    else runs.push({ group: item.group, start: index, items: [item] });
  });
  return runs;
}
