import { useEffect, useRef, useState } from 'react';
import type { NodeView } from '../../../shared/contract';

const RENAME_IDLE_MS = 600;

export interface PageTitleProps {
  node: NodeView;
  autoFocus: boolean;
  onRename(name: string): void;
  /** Enter or ArrowDown at the end of the title moves into the page body. */
  onLeave(): void;
}

/** The page's name as a big borderless field; saved a moment after typing stops, and on blur/Enter. */
export function PageTitle({ node, autoFocus, onRename, onLeave }: PageTitleProps) {
  const [value, setValue] = useState(node.name);
  const focused = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  // Follow renames made elsewhere (the sidebar, another window) unless the person is typing here.
  useEffect(() => {
    if (!focused.current) setValue(node.name);
  }, [node.name]);

  const commit = (text: string): void => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (text.trim() !== node.name) onRename(text.trim());
  };

  // Switching pages mid-word must not drop the rename that was waiting for the typing to stop.
  const flushOnLeave = useRef<() => void>(() => undefined);
  flushOnLeave.current = () => {
    if (timer.current) commit(value);
  };
  useEffect(() => () => flushOnLeave.current(), []);

  return (
    <input
      className="page-title"
      aria-label="Page title"
      placeholder="Untitled"
      value={value}
      maxLength={256}
      autoFocus={autoFocus}
      onFocus={() => (focused.current = true)}
      onBlur={() => {
        focused.current = false;
        commit(value);
      }}
      onChange={(event) => {
        const text = event.target.value;
        setValue(text);
        if (timer.current) clearTimeout(timer.current);
        timer.current = setTimeout(() => commit(text), RENAME_IDLE_MS);
      }}
      onKeyDown={(event) => {
        const atEnd = event.currentTarget.selectionStart === value.length;
        if (event.key === 'Enter' || (event.key === 'ArrowDown' && atEnd)) {
          event.preventDefault();
          commit(value);
          onLeave();
        }
      }}
    />
  );
}
