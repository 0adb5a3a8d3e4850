import type { NodeView } from '../../../shared/contract';
import type { Capability } from '../../../shared/model/access';
import { Menu, type MenuItem } from '../../ui/menu';
import { requestTreeExport } from '../export/use-tree-export';
import {
  creatableInside,
  displayName,
  isUnknownType,
  keyboardMoveTarget,
  opensAsView,
  type KeyboardMove,
  type Tree,
} from './tree-model';

export interface NodeMenuProps {
  tree: Tree;
  node: NodeView;
  at: { x: number; y: number };
  can(nodeId: string, capability: Capability): boolean;
  onNewPage(parentId: string): void;
  onNewChild(parentId: string, type: 'database' | 'channel'): void;
  onShare(): void;
  onRename(): void;
  onPickIcon(): void;
  onMove(move: KeyboardMove): void;
  onTrash(): void;
  /** Opens the page, database or channel (sections only fold). */
  onOpen(): void;
  /** Exports a page without opening it (Markdown or HTML: the print path needs the page on screen). */
  onExport(format: 'markdown' | 'html'): void;
  onClose(): void;
}

type Item = MenuItem & { needs: Capability | null };

/**
 * A tree row's page actions (right-click, the row's ⋯ button, the context-menu key or Shift+F10), only those
 * the user's role allows (`needs: null`: anyone who sees the row, e.g. Open and the exports). The menu closes
 * before an item runs, so each item carries what it needs. Groups are separated; empty ones leave no line.
 */
export function NodeMenu(props: NodeMenuProps) {
  const { tree, node } = props;
  const open: Item[] = opensAsView(node)
    ? [{ label: 'Open', icon: 'chevronRight', needs: null, onSelect: props.onOpen }]
    : [];
  const changes: Item[] = [
    ...creatableInside(node).map((type): Item =>
      type === 'page'
        ? {
            label: 'New page inside',
            icon: 'plus',
            needs: 'createChild',
            onSelect: () => props.onNewPage(node.id),
          }
        : {
            needs: 'createChild',
            label: type === 'database' ? 'New database inside' : 'New channel inside',
            icon: type === 'database' ? 'database' : 'hash',
            onSelect: () => props.onNewChild(node.id, type),
          },
    ),
    { label: 'Share…', icon: 'users', needs: 'share', onSelect: props.onShare },
    { label: 'Rename', icon: 'pencil', hint: 'F2', needs: 'update', onSelect: props.onRename },
    { label: 'Change icon', needs: 'update', icon: 'smile', onSelect: props.onPickIcon },
    {
      label: 'Move up',
      needs: 'update',
      icon: 'chevronsUpDown',
      hint: 'Alt+Shift+↑',
      disabled: isUnknownType(node) || !keyboardMoveTarget(tree, node, 'up'),
      onSelect: () => props.onMove('up'),
    },
    {
      label: 'Move down',
      needs: 'update',
      icon: 'chevronsUpDown',
      hint: 'Alt+Shift+↓',
      disabled: isUnknownType(node) || !keyboardMoveTarget(tree, node, 'down'),
      onSelect: () => props.onMove('down'),
    },
  ];
  const exports: Item[] = [];
  if (node.type === 'page') {
    exports.push(
      {
        label: 'Export as Markdown',
        icon: 'download',
        needs: null,
        onSelect: () => props.onExport('markdown'),
      },
      { label: 'Export as HTML', icon: 'download', needs: null, onSelect: () => props.onExport('html') },
    );
  }
  // A section or a page with the pages it holds, as a zip of Markdown files.
  if (node.type === 'section' || node.type === 'page') {
    exports.push({
      label: 'Export as Markdown (.zip)',
      icon: 'download',
      needs: null,
      onSelect: () => requestTreeExport(node.id),
    });
  }
  const trash: Item[] = [
    {
      label: 'Move to trash',
      icon: 'trash',
      hint: 'Del',
      needs: 'delete',
      danger: true,
      onSelect: props.onTrash,
    },
  ];
  const allowed = (group: Item[]) =>
    group.filter((item) => item.needs === null || props.can(node.id, item.needs));
  // A role that allows no change here is told so first, rather than finding out item by item.
  const viewOnly: Item[] =
    [...allowed(changes), ...allowed(trash)].length > 0
      ? []
      : [
          {
            label: 'View only: you cannot change this',
            needs: null,
            disabled: true,
            onSelect: () => undefined,
          },
        ];
  const groups = [viewOnly, allowed(open), allowed(changes), allowed(exports), allowed(trash)].filter(
    (g) => g.length > 0,
  );
  const items: (MenuItem | 'separator')[] = groups.flatMap((group, i) =>
    i === 0 ? group : ['separator' as const, ...group],
  );
  return (
    <Menu label={`Actions for ${displayName(node)}`} at={props.at} items={items} onClose={props.onClose} />
  );
}
