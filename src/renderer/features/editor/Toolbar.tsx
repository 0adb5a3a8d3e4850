import { useEditorState, type Editor } from '@tiptap/react';
import { useEffect, useState, type ReactNode } from 'react';
import { Icon, type IconName } from '../../ui/icons';
import { hasMod, shortcutLabel } from '../../lib/platform';
import { BlockIcon } from './BlockIcon';
import { BLOCK_COMMANDS } from './block-commands';
import { focusEditorNow } from './focus';
import { EDIT_LINK_EVENT } from './EditorContextMenu';
import { LinkEditor } from './LinkEditor';

const MARKS: readonly {
  name: 'bold' | 'italic' | 'strike' | 'code';
  icon: IconName;
  label: string;
  keys: string;
}[] = [
  { name: 'bold', icon: 'bold', label: 'Bold', keys: 'Mod+B' },
  { name: 'italic', icon: 'italic', label: 'Italic', keys: 'Mod+I' },
  { name: 'strike', icon: 'strike', label: 'Strikethrough', keys: 'Mod+Shift+S' },
  { name: 'code', icon: 'code', label: 'Inline code', keys: 'Mod+E' },
];

const TOOLBAR_BLOCKS = BLOCK_COMMANDS.filter((command) => command.id !== 'paragraph');

function ToolButton(props: {
  label: string;
  active?: boolean;
  disabled?: boolean;
  onClick(): void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className={props.active ? 'tool active' : 'tool'}
      aria-label={props.label}
      aria-pressed={props.active}
      title={props.label}
      disabled={props.disabled}
      onMouseDown={(event) => event.preventDefault()}
      onClick={props.onClick}
    >
      {props.children}
    </button>
  );
}

/** Formatting toolbar; it subscribes to just the editor state it shows, so typing does not re-render the page. */
export function Toolbar({ editor }: { editor: Editor }) {
  const [linkOpen, setLinkOpen] = useState(false);
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      marks: Object.fromEntries(MARKS.map((m) => [m.name, e.isActive(m.name)])),
      blocks: Object.fromEntries(TOOLBAR_BLOCKS.map((b) => [b.id, b.isActive(e)])),
      link: e.isActive('link'),
      inTable: e.isActive('table'),
      canUndo: e.can().undo(),
      canRedo: e.can().redo(),
    }),
  });
  // A button pressed while the title or the link field has focus hands it to the text at once (see focus.ts).
  const chain = () => {
    focusEditorNow(editor);
    return editor.chain();
  };

  // Mod+K on selected text or inside a link edits the link (as in Notion/Slack); otherwise it is left to the
  // command palette (src/shared/commands.ts), which ignores keys handled here (defaultPrevented).
  useEffect(() => {
    const dom = editor.view.dom;
    const onKeyDown = (event: KeyboardEvent): void => {
      const onText = !editor.state.selection.empty || editor.isActive('link');
      if (onText && hasMod(event) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setLinkOpen(true);
      }
    };
    // The context menu's Add link… / Edit link…
    const openLink = (): void => setLinkOpen(true);
    dom.addEventListener('keydown', onKeyDown);
    dom.addEventListener(EDIT_LINK_EVENT, openLink);
    return () => {
      dom.removeEventListener('keydown', onKeyDown);
      dom.removeEventListener(EDIT_LINK_EVENT, openLink);
    };
  }, [editor]);
  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting">
      <ToolButton
        label={`Undo (${shortcutLabel('Mod+Z')})`}
        disabled={!state.canUndo}
        onClick={() => chain().undo().run()}
      >
        <Icon name="undo" />
      </ToolButton>
      <ToolButton
        label={`Redo (${shortcutLabel('Mod+Shift+Z')})`}
        disabled={!state.canRedo}
        onClick={() => chain().redo().run()}
      >
        <Icon name="redo" />
      </ToolButton>
      <span className="tool-separator" />
      {MARKS.map((mark) => (
        <ToolButton
          key={mark.name}
          label={`${mark.label} (${shortcutLabel(mark.keys)})`}
          active={state.marks[mark.name]}
          onClick={() => chain().toggleMark(mark.name).run()}
        >
          <Icon name={mark.icon} />
        </ToolButton>
      ))}
      <span className="link-anchor">
        <ToolButton
          label={`Link (${shortcutLabel('Mod+K')})`}
          active={state.link}
          onClick={() => setLinkOpen((open) => !open)}
        >
          <Icon name="link" />
        </ToolButton>
        {linkOpen ? <LinkEditor editor={editor} onClose={() => setLinkOpen(false)} /> : null}
      </span>
      <span className="tool-separator" />
      {TOOLBAR_BLOCKS.filter((block) => block.available?.(editor) ?? true).map((block) => (
        <ToolButton
          key={block.id}
          label={block.title}
          active={state.blocks[block.id]}
          onClick={() => block.run(chain()).run()}
        >
          <BlockIcon icon={block.icon} />
        </ToolButton>
      ))}
      {state.inTable ? (
        <>
          <span className="tool-separator" />
          <button type="button" className="tool text" onClick={() => chain().addRowAfter().run()}>
            + Row
          </button>
          <button type="button" className="tool text" onClick={() => chain().addColumnAfter().run()}>
            + Column
          </button>
          <button type="button" className="tool text" onClick={() => chain().deleteRow().run()}>
            − Row
          </button>
          <button type="button" className="tool text" onClick={() => chain().deleteColumn().run()}>
            − Column
          </button>
          <button type="button" className="tool text danger" onClick={() => chain().deleteTable().run()}>
            Delete table
          </button>
        </>
      ) : null}
    </div>
  );
}
