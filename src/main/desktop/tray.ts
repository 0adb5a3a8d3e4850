import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import { trayMenuModel, type TrayItemId, type TrayState } from './tray-model';

/** Tray icon per platform: a template image on macOS (follows the menu bar), .ico on Windows, PNG on Linux. */
function trayIconPath(resourcesDir: string, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return join(resourcesDir, 'trayTemplate.png');
  if (platform === 'win32') return join(resourcesDir, 'tray.ico');
  return join(resourcesDir, 'tray.png');
}

export class AppTray {
  private readonly tray: Tray;

  constructor(
    resourcesDir: string,
    private readonly onClick: (id: TrayItemId) => void,
  ) {
    const image = nativeImage.createFromPath(trayIconPath(resourcesDir, process.platform));
    if (process.platform === 'darwin') image.setTemplateImage(true);
    this.tray = new Tray(image);
    this.tray.setToolTip('Hoody Notes');
    // Windows/Linux: a click on the icon opens the capture window, the menu is on right-click.
    this.tray.on('click', () => onClick('quickNote'));
  }

  update(state: TrayState): void {
    const template = trayMenuModel(state).map((item): MenuItemConstructorOptions =>
      item.type === 'separator'
        ? { type: 'separator' }
        : {
            label: item.label,
            enabled: item.enabled,
            ...(item.accelerator ? { accelerator: item.accelerator, registerAccelerator: false } : {}),
            click: () => this.onClick(item.id),
          },
    );
    this.tray.setContextMenu(Menu.buildFromTemplate(template));
  }

  destroy(): void {
    this.tray.destroy();
  }
}
