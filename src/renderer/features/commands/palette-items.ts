import { COMMANDS, shortcutFor, type CommandId } from '../../../shared/commands';
import type { NodeView } from '../../../shared/contract';
import { isMac } from '../../lib/platform';
import type { IconName } from '../../ui/icons';
import { ancestorIds, type Tree } from '../sidebar/tree-model';
import type { PaletteItem } from './CommandPalette';
import type { CommandHandlers } from './use-commands';

const ICONS: Partial<Record<CommandId, IconName>> = {
  'page.new': 'plus',
  'section.new': 'section',
  'capture.open': 'inbox',
  'view.toggleTheme': 'moon',
  'view.trash': 'trash',
  'sync.now': 'sync',
  'sync.panel': 'sync',
  'app.accounts': 'settings',
  'help.shortcuts': 'keyboard',
  'app.desktopSettings': 'settings',
};

/** The palette's rows: every registry command this window can run, then every page of the open notebook. */
export function paletteItems(
  handlers: CommandHandlers,
  tree: Tree | undefined,
  openPage: (node: NodeView) => void,
): PaletteItem[] {
  const commands = COMMANDS.flatMap((command): PaletteItem[] => {
    const run = handlers[command.id as CommandId];
    if (!run || command.id === 'app.palette') return [];
    const shortcut = shortcutFor(command, isMac);
    return [
      {
        id: `command:${command.id}`,
        title: command.title,
        group: 'Commands',
        icon: ICONS[command.id as CommandId] ?? 'more',
        ...(shortcut ? { shortcut } : {}),
        ...(command.keywords ? { keywords: command.keywords } : {}),
        run,
      },
    ];
  });
  const pages: PaletteItem[] = [];
  if (tree) {
    for (const node of tree.byId.values()) {
      if (node.type !== 'page') continue;
      const path = ancestorIds(tree, node.id)
        .reverse()
        .map((id) => tree.byId.get(id)?.name || 'Untitled')
        .join(' / ');
      pages.push({
        id: `page:${node.id}`,
        title: node.name || 'Untitled',
        group: 'Pages',
        icon: 'page',
        ...(node.icon ? { emoji: node.icon } : {}),
        detail: path,
        run: () => openPage(node),
      });
    }
  }
  return [...commands, ...pages];
}
