import { COMMANDS, shortcutFor } from '../../../shared/commands';
import { isMac, shortcutLabel } from '../../lib/platform';
import { Dialog } from '../../ui/dialog';

/** Every shortcut the app handles, labelled for this platform (Cmd on macOS, Ctrl elsewhere). */
const SHORTCUTS: readonly { keys: string; what: string }[] = [
  // The command registry's shortcuts (New page, Quick note, Command palette, this help…).
  ...COMMANDS.flatMap((command) => {
    const keys = shortcutFor(command, isMac);
    return keys ? [{ keys, what: command.title }] : [];
  }),
  { keys: 'Mod+Z', what: 'Undo' },
  { keys: 'Mod+Shift+Z', what: `Redo (${shortcutLabel('Mod+Y')} also works)` },
  { keys: 'Mod+B', what: 'Bold' },
  { keys: 'Mod+I', what: 'Italic' },
  { keys: 'Mod+Shift+S', what: 'Strikethrough' },
  { keys: 'Mod+E', what: 'Inline code' },
  { keys: 'Mod+K', what: 'Add or edit a link (with text selected, or in a link)' },
  { keys: 'Mod+Click', what: 'Open a link' },
  { keys: '/', what: 'Insert a block (in the editor)' },
  { keys: 'F2', what: 'Rename the focused page or section' },
  { keys: 'Delete', what: 'Move the focused page or section to the trash' },
  { keys: 'Alt+Shift+↑', what: 'Move up among its siblings' },
  { keys: 'Alt+Shift+↓', what: 'Move down among its siblings' },
  { keys: 'Alt+Shift+→', what: 'Nest under the page above' },
  { keys: 'Alt+Shift+←', what: 'Move out of its parent page' },
  { keys: 'Shift+F10', what: 'Open the menu of the focused row or of the text (or the context-menu key)' },
  { keys: 'F6', what: 'Next region: sidebar, page, panels (Shift+F6 goes back)' },
];

const MARKDOWN: readonly [string, string][] = [
  ['# ', 'Heading 1 (## and ### for smaller)'],
  ['- or * ', 'Bulleted list'],
  ['1. ', 'Numbered list'],
  ['[ ] ', 'To-do list'],
  ['> ', 'Quote'],
  ['```', 'Code block'],
  ['---', 'Divider'],
  ['**text**', 'Bold'],
];

export function ShortcutsHelp({ onClose }: { onClose(): void }) {
  return (
    <Dialog
      title="Keyboard shortcuts"
      confirmLabel="Done"
      cancelLabel={null}
      wide
      onConfirm={() => undefined}
      onClose={onClose}
    >
      <div className="shortcuts">
        <section>
          <h3>Everywhere</h3>
          <dl>
            {SHORTCUTS.map((s) => (
              <div key={`${s.keys} ${s.what}`} className="shortcut">
                <dt>
                  <kbd>{shortcutLabel(s.keys)}</kbd>
                </dt>
                <dd>{s.what}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section>
          <h3>Markdown while you type</h3>
          <dl>
            {MARKDOWN.map(([keys, what]) => (
              <div key={keys} className="shortcut">
                <dt>
                  <kbd>{keys}</kbd>
                </dt>
                <dd>{what}</dd>
              </div>
            ))}
          </dl>
        </section>
      </div>
    </Dialog>
  );
}
