import { useEditorState, type Editor } from '@tiptap/react';
import { useEffect } from 'react';
import { BlockIcon } from './BlockIcon';
import { filterBlockCommands } from './block-commands';
import { runBlockCommand, slashKey, slashListboxId, slashOptionId } from './slash-commands';

/** The floating list for the slash command; it re-renders only when the slash state changes. */
export function SlashMenu({ editor }: { editor: Editor }) {
  const slash = useEditorState({
    editor,
    selector: ({ editor: e }) => {
      const state = slashKey.getState(e.state);
      if (!state?.open) return null;
      const coords = e.view.coordsAtPos(state.from);
      return { ...state, left: coords.left, top: coords.bottom + 6 };
    },
  });
  const commands = slash ? filterBlockCommands(slash.query, editor) : [];
  const selected = slash && commands.length > 0 ? slash.selected % commands.length : 0;
  const listbox = slashListboxId(editor);
  const activeId = commands[selected] ? slashOptionId(listbox, commands[selected]) : null;
  // The option the arrows reached is in view (the list scrolls; the keys stay in the editor).
  useEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);
  if (!slash || commands.length === 0) return null;
  return (
    // eslint-disable-next-line jsx-a11y/interactive-supports-focus -- focus stays in the editor, which points into this list
    <div
      className="slash-menu"
      id={listbox}
      role="listbox"
      aria-label="Insert block"
      style={{ left: slash.left, top: Math.min(slash.top, window.innerHeight - 340) }}
      onMouseDown={(event) => event.preventDefault()}
    >
      {commands.map((command, i) => (
        // eslint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/interactive-supports-focus -- the editor keeps focus and the keys (↑/↓/Enter)
        <div
          key={command.id}
          id={slashOptionId(listbox, command)}
          role="option"
          aria-selected={i === selected}
          className={i === selected ? 'slash-item active' : 'slash-item'}
          onClick={() => runBlockCommand(editor, command, slash)}
        >
          <span className="slash-icon">
            <BlockIcon icon={command.icon} />
          </span>
          <span className="slash-text">
            <span className="slash-title">{command.title}</span>
            <span className="slash-description">{command.description}</span>
          </span>
        </div>
      ))}
    </div>
  );
}
