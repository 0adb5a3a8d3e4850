import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { SearchHitView, SearchResultsView } from '../../../shared/contract';
import { EmptyState } from '../../ui/empty-state';
import { typeIcon } from '../sidebar/type-icon';
import { Icon } from '../../ui/icons';
import { typeLabel } from '../sidebar/tree-model';
import { Highlighted } from './Highlighted';
import { useSearch } from './use-search';
import './search.css';

export interface SearchViewProps {
  /** The query to start with (the view remembers the last one while the app runs). */
  query: string;
  onQueryChange(query: string): void;
  onOpen(hit: SearchHitView, results: SearchResultsView): void;
}

/** Hits listed per query (every account together, best first). */
const LIMIT = 50;

const where = (hit: SearchHitView): string =>
  [hit.accountName, hit.notebookName, ...hit.path].filter((part) => part.trim() !== '').join(' › ');

function hitTitle(hit: SearchHitView) {
  if (hit.type === 'message')
    return <span className="search-hit-name">Message in #{hit.path.at(-1) ?? 'channel'}</span>;
  if (hit.title.every((piece) => piece.text.trim() === ''))
    return <span className="search-hit-name untitled">Untitled</span>;
  return <Highlighted className="search-hit-name" pieces={hit.title} />;
}

/**
 * Mod+Shift+F: full-text search of every account — page titles and text, records and their fields,
 * messages. Live while open (a word typed on another device shows up once it arrives); ↑/↓ choose, Enter
 * opens the page with every match highlighted.
 */
export function SearchView({ query, onQueryChange, onOpen }: SearchViewProps) {
  const search = useSearch(query, LIMIT);
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const listId = useId();
  const hits = search.results?.hits ?? [];
  const current = Math.min(active, Math.max(hits.length - 1, 0));

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);

  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [current, search.results]);

  const open = (hit: SearchHitView | undefined): void => {
    if (hit && search.results) onOpen(hit, search.results);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    const move = (delta: number): void => {
      event.preventDefault();
      if (hits.length > 0) setActive((current + delta + hits.length) % hits.length);
    };
    if (event.key === 'ArrowDown') move(1);
    else if (event.key === 'ArrowUp') move(-1);
    else if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
      event.preventDefault();
      open(hits[current]);
    }
  };

  const indexing = search.results?.indexing ?? [];
  const optionId = (index: number): string => `${listId}-${index}`;
  return (
    <section className="search-view" aria-label="Search">
      <header className="page-header">
        <h1 className="view-title">
          <Icon name="search" size={18} /> Search
        </h1>
      </header>
      <div className="search-column">
        <div className="search-box">
          <Icon name="search" />
          <input
            ref={input}
            type="search"
            role="combobox"
            aria-expanded={hits.length > 0}
            aria-controls={listId}
            aria-activedescendant={hits.length > 0 ? optionId(current) : undefined}
            aria-label="Search every account"
            placeholder="Search titles, text, records and messages in every account…"
            value={query}
            onChange={(event) => {
              onQueryChange(event.target.value);
              setActive(0);
            }}
            onKeyDown={onKeyDown}
          />
          {search.pending ? <span className="search-busy" aria-hidden="true" /> : null}
        </div>
        {indexing.length > 0 ? (
          <p className="search-indexing" role="status">
            Building the search index
            {indexing.map((i) => (i.total > 0 ? ` (${Math.round((100 * i.done) / i.total)}%)` : '')).join('')}
            : results may be incomplete for a moment.
          </p>
        ) : null}
        {search.error ? (
          <p className="page-error" role="alert">
            Search failed: {search.error}
          </p>
        ) : null}
        {query.trim() === '' ? (
          <EmptyState icon="search" title="Search every account">
            Words match by their beginning (“meet” finds “meeting”); accents and capitals do not matter, and
            Chinese or Japanese text is found anywhere in a sentence.
          </EmptyState>
        ) : search.results && hits.length === 0 && !search.pending ? (
          <EmptyState icon="search" title={`Nothing found for “${query.trim()}”`}>
            {search.results.terms.length === 0
              ? 'Type a word: punctuation alone finds nothing.'
              : 'Check the spelling, or try fewer or shorter words.'}
          </EmptyState>
        ) : null}
        <ul ref={list} id={listId} role="listbox" aria-label="Results" className="search-results">
          {hits.map((hit, index) => (
            // eslint-disable-next-line jsx-a11y/click-events-have-key-events -- keys are the search field's (aria-activedescendant)
            <li
              key={`${hit.accountId}/${hit.nodeId}`}
              id={optionId(index)}
              role="option"
              aria-selected={index === current}
              className="search-hit"
              onMouseMove={() => index !== current && setActive(index)}
              onClick={() => open(hit)}
            >
              <span className="search-hit-icon" aria-hidden="true">
                {hit.icon ?? <Icon name={typeIcon(hit)} />}
              </span>
              <span className="search-hit-body">
                <span className="search-hit-head">
                  {hitTitle(hit)}
                  {hit.type !== 'page' ? <span className="type-badge">{typeLabel(hit)}</span> : null}
                </span>
                <span className="search-hit-where" title={where(hit)}>
                  {where(hit)}
                </span>
                {hit.snippet.length > 0 ? (
                  <Highlighted className="search-hit-snippet" pieces={hit.snippet} />
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
