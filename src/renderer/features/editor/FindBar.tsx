import type { Editor } from '@tiptap/react';
import { useEffect, useRef, useState } from 'react';
import type { SearchTerm } from '../../../shared/search/terms';
import { Icon } from '../../ui/icons';
import { searchHighlightState } from './search-highlight';
import '../search/search.css';

export interface FindBarProps {
  editor: Editor;
  /** What was searched for (the words the search matched). */
  query: string;
  terms: readonly SearchTerm[];
  onClose(): void;
}

/**
 * Shown on a page opened from a search result: every match is highlighted, the first scrolled into view;
 * ↑/↓ (or Enter / Shift+Enter) go through them, Esc or × clears the highlight.
 */
export function FindBar({ editor, query, terms, onClose }: FindBarProps) {
  const [position, setPosition] = useState({ count: 0, current: 0 });
  const scrolledFor = useRef<number | null>(null);

  useEffect(() => {
    const read = (): void => {
      const state = searchHighlightState(editor.state);
      setPosition({ count: state?.matches.length ?? 0, current: state?.current ?? 0 });
    };
    editor.commands.setSearchTerms(terms);
    editor.on('transaction', read);
    read();
    return () => {
      editor.off('transaction', read);
      if (!editor.isDestroyed) editor.commands.setSearchTerms([]);
    };
  }, [editor, terms]);

  // The current match into view: the first as soon as there is one (the text may still be arriving), then
  // each one moved to.
  useEffect(() => {
    if (position.count === 0 || scrolledFor.current === position.current) return;
    scrolledFor.current = position.current;
    editor.view.dom.querySelector('.search-match-current')?.scrollIntoView({ block: 'center' });
  }, [editor, position]);

  const go = (delta: number): void => {
    scrolledFor.current = null;
    editor.commands.setSearchMatch(position.current + delta);
  };

  return (
    <div
      className="find-bar"
      role="search"
      data-region="panel"
      aria-label="Matches in this page"
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
        else if (event.key === 'Enter' || event.key === 'ArrowDown' || event.key === 'ArrowUp')
          go(event.key === 'ArrowUp' || (event.key === 'Enter' && event.shiftKey) ? -1 : 1);
        else return;
        event.preventDefault();
      }}
    >
      <Icon name="search" size={14} />
      <span className="find-query" title={query}>
        {query}
      </span>
      <span className="find-count" aria-live="polite">
        {position.count === 0
          ? 'No match in the text'
          : `${position.current + 1} of ${position.count} ${position.count === 1 ? 'match' : 'matches'}`}
      </span>
      <button
        type="button"
        className="icon-button small"
        aria-label="Previous match"
        title="Previous match (Shift+Enter)"
        disabled={position.count < 2}
        onClick={() => go(-1)}
      >
        <Icon name="chevronRight" size={14} className="rotated-up" />
      </button>
      <button
        type="button"
        className="icon-button small"
        aria-label="Next match"
        title="Next match (Enter)"
        disabled={position.count < 2}
        onClick={() => go(1)}
      >
        <Icon name="chevronRight" size={14} className="rotated-down" />
      </button>
      <button
        type="button"
        className="icon-button small"
        aria-label="Clear highlights"
        title="Clear highlights (Esc)"
        onClick={onClose}
      >
        <Icon name="close" size={14} />
      </button>
    </div>
  );
}
