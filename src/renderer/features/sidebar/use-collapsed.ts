import { useEffect, useState, type Dispatch, type SetStateAction } from 'react';

const storageKey = (notebookId: string): string => `hoody.collapsed.${notebookId}`;

function load(notebookId: string): Set<string> {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(storageKey(notebookId)) ?? '[]');
    return new Set(Array.isArray(saved) ? saved.filter((id): id is string => typeof id === 'string') : []);
  } catch {
    return new Set();
  }
}

/**
 * Which tree rows the person closed, per notebook (everything starts open, so new pages are visible). A view
 * preference, so it stays in this window's storage rather than the replica.
 */
export function useCollapsed(
  notebookId: string,
): [ReadonlySet<string>, Dispatch<SetStateAction<ReadonlySet<string>>>] {
  const [state, setState] = useState<{ notebookId: string; collapsed: ReadonlySet<string> }>(() => ({
    notebookId,
    collapsed: load(notebookId),
  }));
  const current = state.notebookId === notebookId ? state.collapsed : load(notebookId);
  if (state.notebookId !== notebookId) setState({ notebookId, collapsed: current });

  useEffect(() => {
    localStorage.setItem(storageKey(notebookId), JSON.stringify([...current]));
  }, [notebookId, current]);

  const setExpanded: Dispatch<SetStateAction<ReadonlySet<string>>> = (action) =>
    setState((prev) => ({
      notebookId: prev.notebookId,
      collapsed: typeof action === 'function' ? action(prev.collapsed) : action,
    }));
  return [current, setExpanded];
}
