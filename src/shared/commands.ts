/**
 * The app's user commands as plain data: one list that the command palette, the keyboard shortcuts and the
 * Electron application menu all read. Behaviour (`run`) is bound per id where it lives (the renderer's
 * workspace, or main for window-level commands); this file only names, labels and places them.
 *
 * Shortcuts use `Mod` for Cmd on macOS and Ctrl elsewhere; a per-platform override wins when set.
 */
export type MenuSection = 'File' | 'Edit' | 'View' | 'Window' | 'Help';

export interface CommandDef {
  id: string;
  title: string;
  /** Grouping in the palette and the menu it appears in (if any). */
  section: MenuSection;
  /** `Mod+Alt+N` style, or one per platform. */
  shortcut?: string | { mac: string; other: string };
  /** Extra words the palette matches on. */
  keywords?: readonly string[];
  /** Shown in the application menu (the palette shows every command it can run). */
  menu?: boolean;
  /** Where it runs: in the focused window's renderer (default) or in main (window-level commands). */
  runsIn?: 'renderer' | 'main';
}

export const COMMAND_IDS = {
  palette: 'app.palette',
  search: 'search.open',
  newPage: 'page.new',
  newSection: 'section.new',
  quickNote: 'capture.open',
  toggleTheme: 'view.toggleTheme',
  trash: 'view.trash',
  history: 'page.history',
  find: 'page.find',
  insertFile: 'page.insertFile',
  comments: 'page.comments',
  exportMarkdown: 'page.exportMarkdown',
  exportHtml: 'page.exportHtml',
  print: 'page.print',
  importMarkdown: 'notebook.importMarkdown',
  exportNotebook: 'notebook.exportMarkdown',
  syncNow: 'sync.now',
  syncPanel: 'sync.panel',
  accounts: 'app.accounts',
  shortcuts: 'help.shortcuts',
  desktopSettings: 'app.desktopSettings',
} as const;
export type CommandId = (typeof COMMAND_IDS)[keyof typeof COMMAND_IDS];

export const COMMANDS: readonly CommandDef[] = [
  {
    id: COMMAND_IDS.newPage,
    title: 'New page',
    section: 'File',
    // Ctrl+N belongs to the browser in browser mode.
    shortcut: 'Mod+Alt+N',
    keywords: ['create', 'add', 'document'],
    menu: true,
  },
  {
    id: COMMAND_IDS.newSection,
    title: 'New section',
    section: 'File',
    keywords: ['create', 'folder'],
    menu: true,
  },
  {
    id: COMMAND_IDS.quickNote,
    title: 'Quick note',
    section: 'File',
    shortcut: 'Mod+Alt+Q',
    keywords: ['capture', 'inbox', 'jot'],
    menu: true,
  },
  {
    id: COMMAND_IDS.palette,
    title: 'Command palette',
    section: 'View',
    shortcut: 'Mod+K',
    keywords: ['search', 'go to', 'find', 'commands'],
    menu: true,
  },
  {
    id: COMMAND_IDS.search,
    title: 'Search all notes',
    section: 'Edit',
    shortcut: 'Mod+Shift+F',
    keywords: ['find', 'full text', 'content', 'everywhere'],
    menu: true,
  },
  {
    id: COMMAND_IDS.find,
    title: 'Find in page',
    section: 'Edit',
    shortcut: 'Mod+F',
    keywords: ['search', 'this page', 'highlight', 'matches'],
    menu: true,
  },
  {
    id: COMMAND_IDS.insertFile,
    title: 'Insert image or file…',
    section: 'Edit',
    keywords: ['attach', 'upload', 'picture', 'photo', 'pdf', 'attachment'],
    menu: true,
  },
  {
    id: COMMAND_IDS.toggleTheme,
    title: 'Toggle dark theme',
    section: 'View',
    // No shortcut: Ctrl+Alt+T opens a terminal on many Linux desktops.
    keywords: ['dark', 'light', 'appearance', 'theme'],
    menu: true,
  },
  {
    id: COMMAND_IDS.trash,
    title: 'Open trash',
    section: 'View',
    keywords: ['deleted', 'restore'],
    menu: true,
  },
  {
    id: COMMAND_IDS.history,
    title: 'Version history',
    section: 'View',
    shortcut: 'Mod+Alt+H',
    keywords: ['versions', 'restore', 'compare', 'diff', 'undo', 'snapshot'],
    menu: true,
  },
  {
    id: COMMAND_IDS.comments,
    title: 'Comments',
    section: 'View',
    // On a selection: a new thread on it.
    shortcut: 'Mod+Alt+M',
    keywords: ['comment', 'discuss', 'thread', 'reply', 'annotate'],
    menu: true,
  },
  {
    id: COMMAND_IDS.exportMarkdown,
    title: 'Export page as Markdown',
    section: 'File',
    keywords: ['download', 'save as', 'md', 'commonmark'],
    menu: true,
  },
  {
    id: COMMAND_IDS.exportHtml,
    title: 'Export page as HTML',
    section: 'File',
    keywords: ['download', 'save as', 'web page'],
    menu: true,
  },
  {
    id: COMMAND_IDS.print,
    title: 'Print or export page as PDF…',
    section: 'File',
    shortcut: 'Mod+P',
    keywords: ['pdf', 'print', 'download', 'save as'],
    menu: true,
  },
  {
    id: COMMAND_IDS.exportNotebook,
    title: 'Export notebook as Markdown (.zip)',
    section: 'File',
    keywords: ['download', 'backup', 'md', 'folder', 'archive', 'all pages'],
    menu: true,
  },
  {
    id: COMMAND_IDS.importMarkdown,
    title: 'Import Markdown…',
    section: 'File',
    keywords: ['import', 'md', 'folder', 'files', 'obsidian', 'notion', 'upload'],
    menu: true,
  },
  { id: COMMAND_IDS.syncNow, title: 'Sync now', section: 'File', keywords: ['server', 'upload'], menu: true },
  {
    id: COMMAND_IDS.syncPanel,
    title: 'Show sync status…',
    section: 'View',
    keywords: ['outbox', 'pending', 'refused', 'offline', 'server'],
    menu: true,
  },
  {
    id: COMMAND_IDS.accounts,
    title: 'Accounts…',
    section: 'File',
    keywords: ['server', 'sign in', 'sign out', 'token', 'settings'],
    menu: true,
  },
  {
    id: COMMAND_IDS.desktopSettings,
    title: 'Desktop settings…',
    section: 'File',
    keywords: ['tray', 'login', 'global shortcut', 'preferences'],
    menu: true,
  },
  {
    id: COMMAND_IDS.shortcuts,
    title: 'Keyboard shortcuts',
    section: 'Help',
    shortcut: 'Mod+/',
    keywords: ['help', 'keys'],
    menu: true,
  },
];

export const commandById = (id: string): CommandDef | undefined => COMMANDS.find((c) => c.id === id);

/** The shortcut of a command on this platform, `Mod+…` form. */
export function shortcutFor(command: CommandDef, mac: boolean): string | undefined {
  const { shortcut } = command;
  if (shortcut === undefined || typeof shortcut === 'string') return shortcut;
  return mac ? shortcut.mac : shortcut.other;
}

/** `Mod+Alt+N` → Electron's `CmdOrCtrl+Alt+N`. */
export function toAccelerator(shortcut: string): string {
  return shortcut
    .split('+')
    .map((part) => (part === 'Mod' ? 'CmdOrCtrl' : part))
    .join('+');
}

export interface KeyLike {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/**
 * Does a key event match a `Mod+Alt+N` shortcut? Letters and digits compare by physical key (`code`), so
 * Alt combinations that type a different character on macOS still match; other keys compare by `key`.
 */
export function matchesShortcut(event: KeyLike, shortcut: string, mac: boolean): boolean {
  const parts = shortcut.split('+');
  const key = parts.pop() ?? '';
  const want = new Set(parts);
  const mod = mac ? event.metaKey : event.ctrlKey;
  const other = mac ? event.ctrlKey : event.metaKey;
  if (mod !== want.has('Mod') || other) return false;
  if (event.altKey !== want.has('Alt')) return false;
  // Shift is implied by characters such as `?`; only letters/digits/named keys check it strictly.
  const strictShift = /^[A-Z0-9]$/.test(key) || key.length > 1;
  if (strictShift && event.shiftKey !== want.has('Shift')) return false;
  // With Alt, macOS types a composed character (⌥N → ˜), so the physical key decides there.
  if (/^[A-Z]$/.test(key))
    return event.key.toUpperCase() === key || (event.altKey && event.code === `Key${key}`);
  if (/^[0-9]$/.test(key)) return event.key === key || (event.altKey && event.code === `Digit${key}`);
  return event.key === key;
}

/** The command whose shortcut an event is, if any. */
export function commandForKey(event: KeyLike, mac: boolean): CommandDef | undefined {
  return COMMANDS.find((command) => {
    const shortcut = shortcutFor(command, mac);
    return shortcut !== undefined && matchesShortcut(event, shortcut, mac);
  });
}

const ACCELERATOR_MODIFIERS = new Set([
  'CommandOrControl',
  'CmdOrCtrl',
  'Command',
  'Cmd',
  'Control',
  'Ctrl',
  'Alt',
  'Option',
  'Shift',
  'Super',
  'Meta',
]);
const ACCELERATOR_KEY =
  /^(?:[A-Z0-9]|F(?:[1-9]|1[0-9]|2[0-4])|Space|Enter|Tab|Up|Down|Left|Right|Home|End|PageUp|PageDown|Insert|[`\-=[\];',./\\])$/;

/**
 * A global shortcut the user may set: 1–3 distinct modifiers (at least one of Cmd/Ctrl/Alt/Super, so
 * typing a plain letter anywhere never triggers it) plus one key, in Electron's accelerator syntax.
 */
export function isValidGlobalShortcut(value: string): boolean {
  if (value.length > 64) return false;
  const parts = value.split('+');
  const key = parts.pop() ?? '';
  if (parts.length < 1 || parts.length > 3 || new Set(parts).size !== parts.length) return false;
  if (!parts.every((p) => ACCELERATOR_MODIFIERS.has(p))) return false;
  if (parts.every((p) => p === 'Shift')) return false;
  return ACCELERATOR_KEY.test(key);
}

/** Default quick-capture shortcut: Ctrl+Shift+Space / Cmd+Shift+Space is not taken by the OSes or common apps. */
export const DEFAULT_GLOBAL_SHORTCUT = 'CommandOrControl+Shift+Space';
