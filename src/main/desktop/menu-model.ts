import { COMMANDS, shortcutFor, toAccelerator, type MenuSection } from '../../shared/commands';

/**
 * The application menu as plain data, built from the command registry (src/shared/commands.ts) plus the
 * platform's standard roles; `app-menu.ts` turns it into an Electron Menu. Registry commands run in the
 * focused window (a `ui.command` event); their accelerators are shown but not registered, because the
 * renderer's own shortcut handler already runs them (registering both would run them twice).
 */
export type Role =
  | 'about'
  | 'services'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'pasteAndMatchStyle'
  | 'delete'
  | 'selectAll'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'minimize'
  | 'zoom'
  | 'front'
  | 'close'
  | 'toggleDevTools'
  | 'appMenu';

export type MenuItemModel =
  | { kind: 'separator' }
  | { kind: 'role'; role: Role }
  | { kind: 'command'; commandId: string; label: string; accelerator?: string; registerAccelerator: false }
  | { kind: 'link'; label: string; url: string };

export interface MenuModel {
  label: string;
  /** The standard submenu role, where Electron has one (editMenu, windowMenu… keep macOS's extras). */
  role?: 'appMenu' | 'fileMenu' | 'editMenu' | 'viewMenu' | 'windowMenu' | 'help';
  items: MenuItemModel[];
}

const SEPARATOR: MenuItemModel = { kind: 'separator' };
const role = (r: Role): MenuItemModel => ({ kind: 'role', role: r });

function commandItems(section: MenuSection, mac: boolean): MenuItemModel[] {
  return COMMANDS.filter((c) => c.section === section && c.menu).map((command) => {
    const shortcut = shortcutFor(command, mac);
    return {
      kind: 'command',
      commandId: command.id,
      label: command.title,
      ...(shortcut ? { accelerator: toAccelerator(shortcut) } : {}),
      registerAccelerator: false,
    };
  });
}

export function applicationMenuModel(options: {
  platform: NodeJS.Platform;
  appName: string;
  devTools: boolean;
  helpUrl: string;
}): MenuModel[] {
  const mac = options.platform === 'darwin';
  const menus: MenuModel[] = [];
  if (mac) {
    menus.push({
      label: options.appName,
      role: 'appMenu',
      items: [
        role('about'),
        SEPARATOR,
        role('services'),
        SEPARATOR,
        role('hide'),
        role('hideOthers'),
        role('unhide'),
        SEPARATOR,
        role('quit'),
      ],
    });
  }
  menus.push({
    label: 'File',
    role: 'fileMenu',
    items: [...commandItems('File', mac), SEPARATOR, mac ? role('close') : role('quit')],
  });
  menus.push({
    label: 'Edit',
    role: 'editMenu',
    items: [
      role('undo'),
      role('redo'),
      SEPARATOR,
      role('cut'),
      role('copy'),
      role('paste'),
      role('pasteAndMatchStyle'),
      role('delete'),
      role('selectAll'),
      ...commandItems('Edit', mac),
    ],
  });
  menus.push({
    label: 'View',
    role: 'viewMenu',
    items: [
      ...commandItems('View', mac),
      SEPARATOR,
      role('resetZoom'),
      role('zoomIn'),
      role('zoomOut'),
      SEPARATOR,
      role('togglefullscreen'),
      ...(options.devTools ? [SEPARATOR, role('toggleDevTools')] : []),
    ],
  });
  menus.push({
    label: 'Window',
    role: 'windowMenu',
    items: mac
      ? [role('minimize'), role('zoom'), SEPARATOR, role('front')]
      : [role('minimize'), role('close')],
  });
  menus.push({
    label: 'Help',
    role: 'help',
    items: [
      ...commandItems('Help', mac),
      SEPARATOR,
      { kind: 'link', label: 'Hoody Notes website', url: options.helpUrl },
    ],
  });
  return menus;
}
