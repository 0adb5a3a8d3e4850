import { Menu, shell, type MenuItemConstructorOptions } from 'electron';
import { isExternalUrlAllowed } from '../security/window-policy';
import { applicationMenuModel, type MenuItemModel } from './menu-model';

/** Installs the application menu built from the registry model; registry items call `run(commandId)`. */
export function installApplicationMenu(options: {
  appName: string;
  devTools: boolean;
  helpUrl: string;
  run(commandId: string): void;
}): void {
  const toItem = (item: MenuItemModel): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'role':
        return { role: item.role };
      case 'command':
        return {
          label: item.label,
          ...(item.accelerator ? { accelerator: item.accelerator } : {}),
          registerAccelerator: item.registerAccelerator,
          click: () => options.run(item.commandId),
        };
      case 'link':
        return {
          label: item.label,
          click: () => {
            // A fixed URL from the menu model, still checked by the same allowlist as links.
            if (isExternalUrlAllowed(item.url)) void shell.openExternal(item.url); // eng-disable OPEN_EXTERNAL_JS_CHECK
          },
        };
    }
  };
  const template = applicationMenuModel({ platform: process.platform, ...options }).map(
    (menu): MenuItemConstructorOptions => ({
      label: menu.label,
      ...(menu.role === 'appMenu' || menu.role === 'windowMenu' ? { role: menu.role } : {}),
      submenu: menu.items.map(toItem),
    }),
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
