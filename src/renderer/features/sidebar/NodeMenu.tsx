import type { NodeView } from '../../../shared/contract';
import type { Capability } from '../../../shared/model/access';
import { Menu, type MenuItem } from '../../ui/menu';
import { requestTreeExport } from '../export/use-tree-export';
import {
  creatableInside,
  displayName,
  isUnknownType,
  keyboardMoveTarget,
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
  onClose(): void;
}

/**
 * A tree row's page actions (right-click, the row's ⋯ button, the context-menu key or Shift+F10), only those
 * the user's role allows. The menu closes before an item runs, so each item carries what it needs.
 */
export function NodeMenu(props: NodeMenuProps) {
  const { tree, node } = props;
  const all: (MenuItem & { needs: Capability })[] = [
    ...creatableInside(node).map((type): MenuItem & { needs: Capability } =>
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
    {
      label: 'Move to trash',
      icon: 'trash',
      hint: 'Del',
      needs: 'delete',
      danger: true,
      onSelect: props.onTrash,
    },
  ];
  const allowed = all.filter((item) => props.can(node.id, item.needs));
  // Reading is every role's: a section or a page (with its pages) as a zip of Markdown files.
  const reading: MenuItem[] =
    node.type === 'section' || node.type === 'page'
      ? [{ label: 'Export as Markdown (.zip)', icon: 'download', onSelect: () => requestTreeExport(node.id) }]
      : [];
  // A role that allows nothing here still gets an answer, not an empty menu.
  const items: MenuItem[] = [
    ...(allowed.length > 0
      ? allowed
      : [{ label: 'View only: you cannot change this', disabled: true, onSelect: () => undefined }]),
    ...reading,
  ];
  return (
    <Menu label={`Actions for ${displayName(node)}`} at={props.at} items={items} onClose={props.onClose} />
  );
}
