import { useEffect, useRef, useState } from 'react';
import type { SearchResultsView } from '../../../shared/contract';
import { useApi } from '../../lib/client';

/** A query typed this recently is not searched yet (each keystroke would otherwise run one). */
const TYPING_DEBOUNCE_MS = 60;
/** Index changes (text arriving from other devices, a rebuild) re-run the search at most this often. */
const REFRESH_DEBOUNCE_MS = 150;

export interface Search {
  results: SearchResultsView | null;
  /** The latest answer is for an older query than the one typed. */
  pending: boolean;
  error: string | null;
}

/**
 * Full-text search as the person types, over every account, kept live: when an account's index changes
 * (a word typed on another device arrives and is indexed) the same query runs again. Answers to older
 * queries are dropped.
 */
export function useSearch(query: string, limit = 30): Search {
  const api = useApi();
  const [state, setState] = useState<Search>({ results: null, pending: false, error: null });
  const generation = useRef(0);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const refresh = (): void => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        setTick((t) => t + 1);
      }, REFRESH_DEBOUNCE_MS);
    };
    const off = [api.subscribe('search.changed', refresh), api.subscribe('node.changed', refresh)];
    return () => {
      for (const unsubscribe of off) unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [api]);

  // A new query (or a refresh) marks the answer pending at once, while rendering: an effect doing it would
  // paint the stale state first.
  const run = `${limit}/${tick}/${query}`;
  const [runShown, setRunShown] = useState<string | null>(null);
  if (runShown !== run) {
    setRunShown(run);
    setState(
      query.trim() === '' ? { results: null, pending: false, error: null } : (s) => ({ ...s, pending: true }),
    );
  }

  useEffect(() => {
    const mine = ++generation.current;
    if (query.trim() === '') return;
    const timer = setTimeout(() => {
      void api.invoke('search.query', { query, limit }).then((result) => {
        if (mine !== generation.current) return;
        setState(
          result.ok
            ? { results: result.value, pending: false, error: null }
            : (s) => ({ ...s, pending: false, error: result.error.message }),
        );
      });
    }, TYPING_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [api, query, limit, tick]);

  return state;
}
