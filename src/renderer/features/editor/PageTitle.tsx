import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import type { NodeView } from '../../../shared/contract';
import { useLatest } from '../../lib/latest';

const RENAME_IDLE_MS = 600;

export interface PageTitleHandle {
  /**
   * Focuses the title with keys typed before it existed (`typed`, '\n' for Enter): the first line becomes
   * the title, and after an Enter the rest goes on into the body (`onLeave`).
   */
  receive(typed: string): void;
}

export interface PageTitleProps {
  ref?: Ref<PageTitleHandle>;
  node: NodeView;
  /** The role may not rename it. */
  readOnly?: boolean;
  onRename(name: string): void;
  /** Enter or ArrowDown at the end of the title moves into the page body, with what was typed after it. */
  onLeave(typedAhead?: string): void;
}

/** The page's name as a big borderless field; saved a moment after typing stops, and on blur/Enter. */
export function PageTitle({ ref, node, readOnly = false, onRename, onLeave }: PageTitleProps) {
  const [value, setValue] = useState(node.name);
  const focused = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  // Follow renames made elsewhere (the sidebar, another window) unless the person is typing here. Only
  // changes: on mount the field may already hold what was typed ahead (`receive`).
  const shownName = useRef(node.name);
  useEffect(() => {
    if (shownName.current === node.name) return;
    shownName.current = node.name;
    if (!focused.current) setValue(node.name);
  }, [node.name]);

  const commit = (text: string): void => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (text.trim() !== node.name) onRename(text.trim());
  };

  // Switching pages mid-word must not drop the rename that was waiting for the typing to stop.
  const flushOnLeave = useLatest(() => {
    if (timer.current) commit(value);
  });
  useEffect(() => () => flushOnLeave.current(), [flushOnLeave]);

  const input = useRef<HTMLTextAreaElement>(null);
  useImperativeHandle(ref, () => ({
    receive: (typed) => {
      input.current?.focus();
      const enter = typed.indexOf('\n');
      const title = enter < 0 ? typed : typed.slice(0, enter);
      if (title !== '') {
        setValue(title);
        timer.current = setTimeout(() => commit(title), RENAME_IDLE_MS);
      }
      if (enter >= 0) {
        commit(title);
        onLeave(typed.slice(enter + 1));
      }
    },
  }));

  // A textarea, so a long title wraps (CSS sizes it to its content); it stays one line of text: Enter leaves
  // it, and line breaks pasted into it become spaces.
  return (
    <textarea
      className="page-title"
      rows={1}
      aria-label="Page title"
      placeholder="Untitled"
      value={value}
      maxLength={256}
      readOnly={readOnly}
      ref={input}
      onFocus={() => (focused.current = true)}
      onBlur={() => {
        focused.current = false;
        commit(value);
      }}
      onChange={(event) => {
        const text = event.target.value.replace(/\s*[\r\n]+\s*/g, ' ');
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
