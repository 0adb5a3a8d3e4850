import type { Editor } from '@tiptap/react';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { TiptapDoc, TiptapNode } from '../../../shared/crdt/document';
import { diffPages, type DiffLine, type DiffRow } from './page-diff';

/** Unchanged lines shown around each change; longer unchanged runs fold into one expandable line. */
const CONTEXT = 2;

/** The page now, read again (at most every 300 ms) while it is edited: the diff stays current. */
function useCurrentContent(editor: Editor): TiptapNode {
  const [content, setContent] = useState(() => editor.getJSON() as TiptapNode);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const changed = (): void => {
      timer ??= setTimeout(() => {
        timer = null;
        setContent(editor.getJSON() as TiptapNode);
      }, 300);
    };
    editor.on('update', changed);
    return () => {
      editor.off('update', changed);
      if (timer) clearTimeout(timer);
    };
  }, [editor]);
  return content;
}

type Shown = { kind: 'row'; row: DiffRow; index: number } | { kind: 'fold'; from: number; to: number };

/** Which rows to draw: every change with CONTEXT lines around it, the rest folded unless opened. */
function visible(rows: readonly DiffRow[], opened: ReadonlySet<number>): Shown[] {
  const near = new Uint8Array(rows.length);
  rows.forEach((row, i) => {
    if (row.kind === 'same') return;
    for (let j = Math.max(0, i - CONTEXT); j <= Math.min(rows.length - 1, i + CONTEXT); j++) near[j] = 1;
  });
  const out: Shown[] = [];
  let i = 0;
  while (i < rows.length) {
    if (near[i] || opened.has(i)) {
      out.push({ kind: 'row', row: rows[i]!, index: i });
      i++;
      continue;
    }
    const from = i;
    while (i < rows.length && !near[i] && !opened.has(i)) i++;
    out.push({ kind: 'fold', from, to: i });
  }
  return out;
}

/** The selected version against the page now: added text marked green, removed struck through in red. */
export function DiffView({ before, editor }: { before: TiptapDoc; editor: Editor }) {
  const current = useCurrentContent(editor);
  const diff = useMemo(() => diffPages(before, current), [before, current]);
  const [opened, setOpened] = useState<ReadonlySet<number>>(new Set());
  const [at, setAt] = useState(-1);
  const body = useRef<HTMLDivElement>(null);
  const shown = useMemo(() => visible(diff.rows, opened), [diff.rows, opened]);

  const go = (step: 1 | -1): void => {
    const count = diff.changes.length;
    if (count === 0) return;
    const next = at < 0 ? (step === 1 ? 0 : count - 1) : (at + step + count) % count;
    setAt(next);
    const row = body.current?.querySelector<HTMLElement>(`[data-row="${diff.changes[next]}"]`);
    row?.scrollIntoView({ block: 'center' });
    row?.focus({ preventScroll: true });
  };

  // Alt+Up/Down walk the changes from anywhere in the diff (a listener: the diff itself is no control).
  const wrapper = useRef<HTMLDivElement>(null);
  const goRef = useRef(go);
  useEffect(() => {
    goRef.current = go;
  });
  useEffect(() => {
    const element = wrapper.current;
    if (!element) return;
    const onKey = (event: KeyboardEvent): void => {
      if (!event.altKey || (event.key !== 'ArrowDown' && event.key !== 'ArrowUp')) return;
      event.preventDefault();
      goRef.current(event.key === 'ArrowDown' ? 1 : -1);
    };
    element.addEventListener('keydown', onKey);
    return () => element.removeEventListener('keydown', onKey);
  }, []);

  const summary =
    diff.changes.length === 0
      ? 'Same as the page now'
      : [
          diff.added ? `${diff.added} added` : '',
          diff.removed ? `${diff.removed} removed` : '',
          diff.changed ? `${diff.changed} changed` : '',
        ]
          .filter(Boolean)
          .join(', ');
  return (
    <div ref={wrapper} className="diff">
      <div className="diff-bar">
        <span className="diff-summary" role="status">
          {summary}
        </span>
        <button
          type="button"
          className="button small"
          disabled={diff.changes.length === 0}
          aria-keyshortcuts="Alt+ArrowUp"
          onClick={() => go(-1)}
        >
          Previous change
        </button>
        <button
          type="button"
          className="button small"
          disabled={diff.changes.length === 0}
          aria-keyshortcuts="Alt+ArrowDown"
          onClick={() => go(1)}
        >
          Next change
        </button>
      </div>
      <div ref={body} className="diff-body" aria-label="Differences from the page now">
        {shown.map((item) =>
          item.kind === 'fold' ? (
            <button
              key={`fold-${item.from}`}
              type="button"
              className="diff-fold"
              onClick={() =>
                setOpened((all) => {
                  const next = new Set(all);
                  for (let i = item.from; i < item.to; i++) next.add(i);
                  return next;
                })
              }
            >
              {item.to - item.from} unchanged {item.to - item.from === 1 ? 'line' : 'lines'}
            </button>
          ) : (
            <Row key={item.index} row={item.row} index={item.index} />
          ),
        )}
      </div>
    </div>
  );
}

function Row({ row, index }: { row: DiffRow; index: number }) {
  let text: ReactNode = row.line.text || '\u00a0';
  if (row.kind === 'changed') {
    text = row.parts.map((part, i) =>
      part.change === 'added' ? (
        <ins key={i}>{part.text}</ins>
      ) : part.change === 'removed' ? (
        <del key={i}>{part.text}</del>
      ) : (
        <span key={i}>{part.text}</span>
      ),
    );
    if (row.parts.every((part) => part.change === 'same'))
      text = (
        <>
          {text} <span className="diff-note">(formatting changed)</span>
        </>
      );
  } else if (row.kind === 'added') text = <ins>{text}</ins>;
  else if (row.kind === 'removed') text = <del>{text}</del>;
  return (
    <div
      className={`diff-row ${row.kind} ${lineClass(row.line)}`}
      data-row={index}
      tabIndex={row.kind === 'same' ? undefined : -1}
    >
      <span className="diff-gutter" aria-hidden="true">
        {row.kind === 'added' ? '+' : row.kind === 'removed' ? '−' : row.kind === 'changed' ? '~' : ''}
      </span>
      <span className={`diff-indent d${Math.min(row.line.depth, 8)}`} aria-hidden="true" />
      {row.line.marker ? <span className="diff-marker">{row.line.marker}</span> : null}
      <span className="diff-text">{text}</span>
    </div>
  );
}

const lineClass = (line: DiffLine): string =>
  line.style === 'heading' ? `heading h${Math.min(line.level, 3)}` : line.style;
