import type { Editor } from '@tiptap/react';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { parseSearchQuery } from '../../../shared/search/terms';
import { Icon } from '../../ui/icons';
import { focusEditorNow } from './focus';
import { searchHighlightState } from './search-highlight';
import '../search/search.css';

/** Mod+F (again): the find field takes the focus, with the page's selected text as the query if there is one. */
export interface FindRequest {
  n: number;
  seed: string | null;
}

export interface FindBarProps {
  editor: Editor;
  /** What a search that opened the page looked for ('' for Mod+F). */
  initialQuery: string;
  request: FindRequest | null;
  onClose(): void;
}

/**
 * Find in page (Mod+F, and on a page opened from a search): every match of the words typed is highlighted by
 * the same rules as search (words by prefix, case and accents folded, CJK anywhere), the current one scrolled
 * into view; Enter / Shift+Enter or ↑/↓ go through them, Esc or × closes and puts the caret back in the text.
 */
export function FindBar({ editor, initialQuery, request, onClose }: FindBarProps) {
  const [query, setQuery] = useState(initialQuery);
  const terms = useMemo(() => parseSearchQuery(query), [query]);
  const [position, setPosition] = useState({ count: 0, current: 0 });
  const scrolledFor = useRef<number | null>(null);
  const field = useRef<HTMLInputElement>(null);

  // Each Mod+F: the selected text becomes the query (state adjusted while rendering), and the field is focused.
  const [seenRequest, setSeenRequest] = useState<number | null>(null);
  if (request && request.n !== seenRequest) {
    setSeenRequest(request.n);
    if (request.seed) setQuery(request.seed);
  }
  const requestN = request?.n;
  // Before paint and, with PageView's flushSync, before the Mod+F key event ends: the next key lands here.
  useLayoutEffect(() => {
    if (requestN === undefined) return;
    field.current?.focus();
    field.current?.select();
  }, [requestN]);

  useEffect(() => {
    const read = (): void => {
      const state = searchHighlightState(editor.state);
      setPosition({ count: state?.matches.length ?? 0, current: state?.current ?? 0 });
    };
    scrolledFor.current = null;
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
  const close = (): void => {
    if (!editor.isDestroyed) focusEditorNow(editor);
    onClose();
  };

  return (
    <div
      className="find-bar"
      role="search"
      aria-label="Matches in this page"
      data-region="panel"
      onKeyDown={(event) => {
        if (event.key === 'Escape') close();
        else if (event.key === 'Enter' || event.key === 'ArrowDown' || event.key === 'ArrowUp')
          go(event.key === 'ArrowUp' || (event.key === 'Enter' && event.shiftKey) ? -1 : 1);
        else return;
        event.preventDefault();
      }}
    >
      <Icon name="search" size={14} />
      <input
        ref={field}
        className="find-input"
        type="search"
        aria-label="Find in page"
        placeholder="Find in page"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      <span className="find-count" aria-live="polite">
        {terms.length === 0
          ? ''
          : position.count === 0
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
        title="Close (Esc)"
        onClick={close}
      >
        <Icon name="close" size={14} />
      </button>
    </div>
  );
}
