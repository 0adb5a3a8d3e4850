import type { NodeView } from '../../../shared/contract';
import { compareOrdered } from '../../../shared/model/ordering';

/**
 * The sidebar shows every node of the notebook's tree (main leaves out records and messages, which their
 * database and channel show), including types this app does not know: nothing synced is ever hidden, and a
 * node whose parent is missing is shown at the top level rather than lost with it.
 */
const KNOWN_IN_TREE: ReadonlySet<string> = new Set(['section', 'page', 'database', 'channel']);
export const isUnknownType = (node: Pick<NodeView, 'type'>): boolean =>
  !KNOWN_IN_TREE.has(node.type) && node.type !== 'record' && node.type !== 'message';

export interface Tree {
  byId: ReadonlyMap<string, NodeView>;
  /** Children of each parent (`null` = the notebook's roots), in sibling order. */
  children: ReadonlyMap<string | null, readonly NodeView[]>;
}

export interface TreeRow {
  node: NodeView;
  depth: number;
  hasChildren: boolean;
  /** 1-based place among its siblings, and their number (aria-posinset/-setsize: only some rows render). */
  posInSet: number;
  setSize: number;
}

export interface MoveTarget {
  parentId: string | null;
  position: { beforeId?: string; afterId?: string };
}

export type KeyboardMove = 'up' | 'down' | 'indent' | 'outdent';
export type DropZone = 'before' | 'after' | 'inside';

export function buildTree(nodes: readonly NodeView[]): Tree {
  const shown = nodes.filter((n) => n.type !== 'record' && n.type !== 'message');
  const byId = new Map(shown.map((n) => [n.id, n]));
  const children = new Map<string | null, NodeView[]>();
  for (const node of shown) {
    // A node whose parent is not here (not synced yet, or gone) stays reachable at the top level.
    const parent = node.parentId !== null && byId.has(node.parentId) ? node.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(node);
    children.set(parent, list);
  }
  for (const list of children.values()) list.sort(compareOrdered);
  return { byId, children };
}

export const childrenOf = (tree: Tree, id: string | null): readonly NodeView[] => tree.children.get(id) ?? [];

/** Depth-first rows of everything visible (children of expanded nodes). */
export function visibleRows(tree: Tree, isExpanded: (id: string) => boolean): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (parentId: string | null, depth: number): void => {
    const siblings = childrenOf(tree, parentId);
    siblings.forEach((node, i) => {
      const hasChildren = childrenOf(tree, node.id).length > 0;
      rows.push({ node, depth, hasChildren, posInSet: i + 1, setSize: siblings.length });
      if (hasChildren && isExpanded(node.id)) walk(node.id, depth + 1);
    });
  };
  walk(null, 0);
  return rows;
}

/** Ancestor ids from the parent up to the root (used to reveal a node). */
export function ancestorIds(tree: Tree, id: string): string[] {
  const out: string[] = [];
  for (let node = tree.byId.get(id); node?.parentId; node = tree.byId.get(node.parentId))
    out.push(node.parentId);
  return out;
}

/**
 * Where a node may live, as the sidebar offers it: sections are the notebook's roots, pages and databases
 * nest under sections and pages, channels under sections. A type this app does not know is neither moved
 * nor given children here. Main enforces the full rule (`ALLOWED_PARENTS`); this only decides which drops,
 * keyboard moves and "new … inside" to offer, without shipping the model's zod schemas to the renderer.
 */
export function canContain(parent: Pick<NodeView, 'type'> | null, child: Pick<NodeView, 'type'>): boolean {
  switch (child.type) {
    case 'section':
      return parent === null;
    case 'page':
    case 'database':
      return parent !== null && (parent.type === 'section' || parent.type === 'page');
    case 'channel':
      return parent !== null && parent.type === 'section';
    default:
      return false;
  }
}

/** What can be created inside a node from the sidebar. */
export const creatableInside = (parent: Pick<NodeView, 'type'>): ('page' | 'database' | 'channel')[] =>
  (['page', 'database', 'channel'] as const).filter((type) => canContain(parent, { type }));

function isInside(tree: Tree, id: string, ancestorId: string): boolean {
  return id === ancestorId || ancestorIds(tree, id).includes(ancestorId);
}

export function keyboardMoveTarget(tree: Tree, node: NodeView, move: KeyboardMove): MoveTarget | null {
  const siblings = childrenOf(tree, node.parentId);
  const at = siblings.findIndex((s) => s.id === node.id);
  const previous = siblings[at - 1];
  const next = siblings[at + 1];
  switch (move) {
    case 'up':
      return previous ? { parentId: node.parentId, position: { beforeId: previous.id } } : null;
    case 'down':
      return next ? { parentId: node.parentId, position: { afterId: next.id } } : null;
    case 'indent':
      return previous && canContain(previous, node) ? { parentId: previous.id, position: {} } : null;
    case 'outdent': {
      const parent = node.parentId === null ? undefined : tree.byId.get(node.parentId);
      if (!parent) return null;
      const grandparent = parent.parentId === null ? null : (tree.byId.get(parent.parentId) ?? null);
      return canContain(grandparent, node)
        ? { parentId: parent.parentId, position: { afterId: parent.id } }
        : null;
    }
  }
}

export function dropTarget(
  tree: Tree,
  dragged: NodeView,
  target: NodeView,
  zone: DropZone,
): MoveTarget | null {
  if (isInside(tree, target.id, dragged.id)) return null;
  if (zone === 'inside') return canContain(target, dragged) ? { parentId: target.id, position: {} } : null;
  const parent = target.parentId === null ? null : (tree.byId.get(target.parentId) ?? null);
  if (!canContain(parent, dragged)) return null;
  return {
    parentId: target.parentId,
    position: zone === 'before' ? { beforeId: target.id } : { afterId: target.id },
  };
}

const UNTITLED: Record<string, string> = {
  section: 'Untitled section',
  database: 'Untitled database',
  channel: 'Untitled channel',
  message: 'Message',
};

export const displayName = (node: Pick<NodeView, 'name' | 'type'>): string =>
  node.name.trim() || UNTITLED[node.type] || (isUnknownType(node) ? `Untitled ${node.type}` : 'Untitled');

const TYPE_LABELS: Record<string, string> = {
  section: 'Section',
  page: 'Page',
  database: 'Database',
  channel: 'Channel',
  record: 'Record',
  message: 'Message',
};

/** A node's kind in words; an unknown type says so, with its name. */
export const typeLabel = (node: Pick<NodeView, 'type'>): string =>
  TYPE_LABELS[node.type] ?? `Unknown item type “${node.type}”`;

/** Opened as a view of its own (a section only folds and unfolds in the tree). */
export const opensAsView = (node: Pick<NodeView, 'type'>): boolean => node.type !== 'section';
