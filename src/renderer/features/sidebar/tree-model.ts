import type { NodeView } from '../../../shared/contract';
import { compareOrdered } from '../../../shared/model/ordering';

/** The sidebar shows the notebook's sections and pages; other node types get their own views later. */
const SHOWN_TYPES: ReadonlySet<string> = new Set(['section', 'page']);

export interface Tree {
  byId: ReadonlyMap<string, NodeView>;
  /** Children of each parent (`null` = the notebook's roots), in sibling order. */
  children: ReadonlyMap<string | null, readonly NodeView[]>;
}

export interface TreeRow {
  node: NodeView;
  depth: number;
  hasChildren: boolean;
}

export interface MoveTarget {
  parentId: string | null;
  position: { beforeId?: string; afterId?: string };
}

export type KeyboardMove = 'up' | 'down' | 'indent' | 'outdent';
export type DropZone = 'before' | 'after' | 'inside';

export function buildTree(nodes: readonly NodeView[]): Tree {
  const shown = nodes.filter((n) => SHOWN_TYPES.has(n.type));
  const byId = new Map(shown.map((n) => [n.id, n]));
  const children = new Map<string | null, NodeView[]>();
  for (const node of shown) {
    const parent = node.parentId !== null && byId.has(node.parentId) ? node.parentId : null;
    if (parent === null && node.type !== 'section') continue; // orphan of a hidden parent
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
    for (const node of childrenOf(tree, parentId)) {
      const hasChildren = childrenOf(tree, node.id).length > 0;
      rows.push({ node, depth, hasChildren });
      if (hasChildren && isExpanded(node.id)) walk(node.id, depth + 1);
    }
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
 * Where a node may live, as the sidebar offers it: sections are the notebook's roots, pages nest under
 * sections and pages. Main enforces the full rule (`ALLOWED_PARENTS`); this only decides which drops and
 * keyboard moves to offer, without shipping the model's zod schemas to the renderer.
 */
export function canContain(parent: NodeView | null, child: NodeView): boolean {
  if (child.type === 'section') return parent === null;
  return parent !== null && (parent.type === 'section' || parent.type === 'page');
}

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

export const displayName = (node: Pick<NodeView, 'name' | 'type'>): string =>
  node.name.trim() || (node.type === 'section' ? 'Untitled section' : 'Untitled');
