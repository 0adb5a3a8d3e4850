import { Extension, type Editor } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { filterBlockCommands, type BlockCommand } from './block-commands';

export interface SlashState {
  open: boolean;
  query: string;
  /** The range of `/query` in the document, replaced by the chosen block. */
  from: number;
  to: number;
  selected: number;
  /** Where the person pressed Escape: that `/` stays closed until they type a new one. */
  dismissedAt: number | null;
}

type SlashMeta = { select: number } | { dismiss: true };

export const slashKey = new PluginKey<SlashState>('slashCommands');

const CLOSED: SlashState = { open: false, query: '', from: 0, to: 0, selected: 0, dismissedAt: null };
const TRIGGER = /(?:^|\s)\/([\p{L}\p{N}-]{0,24})$/u;

function match(state: EditorState): Pick<SlashState, 'query' | 'from' | 'to'> | null {
  const { selection } = state;
  if (!selection.empty) return null;
  const { $from } = selection;
  if (!$from.parent.isTextblock || $from.parent.type.spec.code) return null;
  const before = $from.parent.textBetween(0, $from.parentOffset, undefined, '\ufffc');
  const found = TRIGGER.exec(before);
  if (!found) return null;
  const query = found[1] ?? '';
  return { query, from: $from.pos - query.length - 1, to: $from.pos };
}

function apply(tr: Transaction, previous: SlashState, state: EditorState): SlashState {
  const meta = tr.getMeta(slashKey) as SlashMeta | undefined;
  const found = match(state);
  if (!found) return CLOSED;
  const dismissedAt =
    meta && 'dismiss' in meta ? found.from : previous.dismissedAt === found.from ? found.from : null;
  const selected =
    meta && 'select' in meta ? meta.select : previous.query === found.query ? previous.selected : 0;
  return { ...found, open: dismissedAt === null, selected, dismissedAt };
}

let editors = 0;
const listboxIds = new WeakMap<Editor, string>();

/** The id of this editor's slash menu (its listbox), which the editor names in `aria-controls`. */
export function slashListboxId(editor: Editor): string {
  let id = listboxIds.get(editor);
  if (id === undefined) {
    id = `slash-menu-${++editors}`;
    listboxIds.set(editor, id);
  }
  return id;
}

/** The id of one of the menu's options (`aria-activedescendant` of the editor while it is chosen). */
export const slashOptionId = (listboxId: string, command: BlockCommand): string =>
  `${listboxId}-${command.id}`;

export function runBlockCommand(
  editor: Editor,
  command: BlockCommand,
  range: { from: number; to: number },
): void {
  command.run(editor.chain().focus().deleteRange(range)).run();
}

/**
 * Typing `/` opens a menu of block types; arrows choose, Enter inserts, Escape closes. The focus stays in the
 * editor, so while the menu is open the editor points at it (`aria-controls`) and at the chosen option
 * (`aria-activedescendant`): a screen reader reads each option as the arrows reach it.
 */
export const SlashCommands = Extension.create({
  name: 'slashCommands',
  addProseMirrorPlugins() {
    const editor = this.editor;
    return [
      new Plugin<SlashState>({
        key: slashKey,
        state: { init: () => CLOSED, apply: (tr, previous, _old, state) => apply(tr, previous, state) },
        props: {
          attributes(state): Record<string, string> {
            const slash = slashKey.getState(state);
            const commands = slash?.open ? filterBlockCommands(slash.query, editor) : [];
            if (!slash || commands.length === 0) return {};
            const listbox = slashListboxId(editor);
            return {
              'aria-controls': listbox,
              'aria-autocomplete': 'list',
              'aria-activedescendant': slashOptionId(listbox, commands[slash.selected % commands.length]!),
            };
          },
          handleKeyDown(view, event) {
            const slash = slashKey.getState(view.state);
            if (!slash?.open) return false;
            const commands = filterBlockCommands(slash.query, editor);
            const select = (selected: number): void =>
              view.dispatch(view.state.tr.setMeta(slashKey, { select: selected }));
            if (event.key === 'Escape') view.dispatch(view.state.tr.setMeta(slashKey, { dismiss: true }));
            else if (commands.length === 0) return false;
            else if (event.key === 'ArrowDown') select((slash.selected + 1) % commands.length);
            else if (event.key === 'ArrowUp')
              select((slash.selected - 1 + commands.length) % commands.length);
            else if (event.key === 'Enter' || event.key === 'Tab') {
              runBlockCommand(editor, commands[slash.selected % commands.length]!, slash);
            } else return false;
            return true;
          },
        },
      }),
    ];
  },
});
