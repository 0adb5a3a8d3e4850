import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { MemberView } from '../../../shared/contract';
import { insertMention, matchMembers, mentionAt, type MentionQuery } from './mentions';

/**
 * A comment's text box: sends on Enter (Shift+Enter: new line), cancels on Esc. Typing `@` offers the notebook's
 * members (a listbox under the box: ↑/↓ to choose, Enter or Tab to insert `@username`, Esc to close the list
 * only); the box keeps the focus throughout (aria-activedescendant names the chosen option).
 */
export function Composer(props: {
  label: string;
  submitLabel: string;
  initial?: string;
  /** Who may be mentioned (the notebook's members but the user). */
  members: readonly MemberView[];
  onSubmit(text: string): Promise<boolean>;
  onCancel(): void;
}) {
  const [text, setText] = useState(props.initial ?? '');
  const [busy, setBusy] = useState(false);
  const [mention, setMention] = useState<MentionQuery | null>(null);
  const [chosen, setChosen] = useState(0);
  const box = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  useEffect(() => box.current?.focus(), []);
  const options = mention ? matchMembers(props.members, mention.query) : [];
  const listOpen = options.length > 0;
  const submit = async (): Promise<void> => {
    if (text.trim() === '' || busy) return;
    setBusy(true);
    const ok = await props.onSubmit(text.trim());
    setBusy(false);
    if (ok) setText('');
  };
  const follow = (value: string, caret: number): void => {
    setText(value);
    const next = mentionAt(value, caret);
    if (next?.start !== mention?.start) setChosen(0);
    setMention(next);
  };
  const pick = (member: MemberView): void => {
    const caret = box.current?.selectionStart ?? text.length;
    if (!mention) return;
    const next = insertMention(text, mention, caret, member.username);
    setText(next.text);
    setMention(null);
    requestAnimationFrame(() => {
      box.current?.focus();
      box.current?.setSelectionRange(next.caret, next.caret);
    });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.nativeEvent.isComposing) return;
    if (listOpen && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setChosen((at) => (at + step + options.length) % options.length);
    } else if (listOpen && (event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey) {
      event.preventDefault();
      pick(options[Math.min(chosen, options.length - 1)]!);
    } else if (listOpen && event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      setMention(null);
    } else if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void submit();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      props.onCancel();
    }
  };
  const optionId = (index: number): string => `${listId}-${index}`;
  return (
    <form
      className="comment-composer"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <textarea
        ref={box}
        aria-label={props.label}
        aria-autocomplete="list"
        aria-controls={listOpen ? listId : undefined}
        aria-activedescendant={listOpen ? optionId(Math.min(chosen, options.length - 1)) : undefined}
        value={text}
        maxLength={10_000}
        rows={2}
        placeholder={props.members.length > 0 ? 'Write a comment… (@ to mention)' : 'Write a comment…'}
        onChange={(event) => follow(event.target.value, event.target.selectionStart)}
        onSelect={(event) =>
          setMention(mentionAt(event.currentTarget.value, event.currentTarget.selectionStart))
        }
        onBlur={() => setMention(null)}
        onKeyDown={onKeyDown}
      />
      {listOpen ? (
        <ul className="mention-list" id={listId} role="listbox" aria-label="Mention a member">
          {options.map((member, index) => (
            <li
              key={member.userId}
              id={optionId(index)}
              role="option"
              aria-selected={index === Math.min(chosen, options.length - 1)}
              // Chosen with the pointer without taking the focus from the box.
              onMouseDown={(event) => {
                event.preventDefault();
                pick(member);
              }}
            >
              <span className="mention-name">{member.name || member.username}</span>
              <span className="mention-username">@{member.username}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="comment-composer-actions">
        <button type="button" className="button small" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" className="button small primary" disabled={busy || text.trim() === ''}>
          {props.submitLabel}
        </button>
      </div>
    </form>
  );
}
