import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type DragEvent,
  type KeyboardEvent,
} from 'react';
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import type { NodeView } from '../../../shared/contract';
import type { Capability } from '../../../shared/model/access';
import { EmojiPicker } from '../../ui/emoji-picker';
import type { NodeActions } from '../nodes/use-node-actions';
import { NodeMenu } from './NodeMenu';
import { TreeRow } from './TreeRow';
import {
  ancestorIds,
  dropTarget,
  isUnknownType,
  opensAsView,
  keyboardMoveTarget,
  visibleRows,
  type DropZone,
  type KeyboardMove,
  type Tree,
} from './tree-model';
import { useCollapsed } from './use-collapsed';

export interface NodeTreeProps {
  notebookId: string;
  tree: Tree;
  selectedId: string | null;
  unread: ReadonlySet<string>;
  actions: NodeActions;
  /** Node to put into rename mode (a just-created section), consumed once. */
  renameRequest: string | null;
  onRenameRequestHandled(): void;
  onOpen(node: NodeView): void;
  onNewPage(parentId: string): void;
  /** Exports a page without opening it (the row menu's Export as Markdown / HTML). */
  onExport(nodeId: string, format: 'markdown' | 'html'): void;
  /** The row that files dragged from outside would be imported into (shown like a drop inside it). */
  fileDropId?: string | null;
  /** A new database or channel inside `parentId`. */
  onNewChild(parentId: string, type: 'database' | 'channel'): void;
  /** What the user's role allows on a node: what it does not is not offered (menus, keys, drag and drop). */
  can(nodeId: string, capability: Capability): boolean;
  onShare(nodeId: string): void;
}

interface Popup {
  nodeId: string;
  at: { x: number; y: number };
  kind: 'menu' | 'icon';
}

const DRAG_TYPE = 'application/x-hoody-node';
/** A row's height plus the gap (app.css `.tree-row`): rows are one line, a long name ends in an ellipsis. */
const ROW_STRIDE = 31;
/** Rows rendered beyond the visible ones, each side: keeps a fast scroll or an arrow key from showing gaps. */
const OVERSCAN = 12;
const MOVE_KEYS: Record<string, KeyboardMove> = {
  ArrowUp: 'up',
  ArrowDown: 'down',
  ArrowLeft: 'outdent',
  ArrowRight: 'indent',
};

/**
 * The notebook's sections and pages as an ARIA tree: one tab stop, arrows to walk, Alt+Shift+arrows to move,
 * drag and drop to reparent or reorder, F2 to rename, Delete to trash, the context menu for the rest.
 */
export function NodeTree(props: NodeTreeProps) {
  const { tree, selectedId, actions, can } = props;
  const [collapsed, setCollapsed] = useCollapsed(props.notebookId);
  const isExpanded = (id: string): boolean => !collapsed.has(id);
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [popup, setPopup] = useState<Popup | null>(null);
  const [drag, setDrag] = useState<{ id: string; overId: string | null; zone: DropZone | null } | null>(null);
  const refocus = useRef<string | null>(null);
  const container = useRef<HTMLDivElement>(null);

  const rows = useMemo(() => visibleRows(tree, (id) => !collapsed.has(id)), [tree, collapsed]);
  const indexOf = useMemo(() => new Map(rows.map((r, i) => [r.node.id, i])), [rows]);
  const tabStop = indexOf.has(focusedId ?? '') ? focusedId : (selectedId ?? rows[0]?.node.id ?? null);

  // Virtualised: only the rows in view (and a few either side) are in the DOM, so a 10,000-page notebook
  // paints and scrolls like a small one. Always rendered too, wherever they are: the tab stop (Tab must land
  // on a row), the row being renamed, the one whose menu is open and the one being dragged.
  const pinned = [tabStop, editingId, popup?.nodeId, drag?.id]
    .map((id) => (id ? indexOf.get(id) : undefined))
    .filter((i): i is number => i !== undefined);
  const pinnedKey = pinned.join(',');
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => container.current?.parentElement ?? null,
    estimateSize: () => ROW_STRIDE,
    overscan: OVERSCAN,
    getItemKey: (i) => rows[i]?.node.id ?? i,
    rangeExtractor: useCallback(
      (range: Range) =>
        [
          ...new Set([...defaultRangeExtractor(range), ...pinnedKey.split(',').filter(Boolean).map(Number)]),
        ].sort((a, b) => a - b),
      [pinnedKey],
    ),
  });
  const focusWanted = useRef<string | null>(null);

  // Reveal the open page: expand everything above it when it is opened or moved (not when the person then
  // closes a section above it). Adjusted while rendering, so the hidden row never paints.
  const path = selectedId === null ? '' : [selectedId, ...ancestorIds(tree, selectedId)].join('/');
  const [revealed, setRevealed] = useState('');
  if (path !== revealed) {
    setRevealed(path);
    const above = path.split('/').slice(1);
    if (above.some((id) => collapsed.has(id)))
      setCollapsed((set) => new Set([...set].filter((id) => !above.includes(id))));
  }

  // A rename asked for (a just-made section) starts as soon as its row exists; the parent is told after commit.
  const renameNow =
    props.renameRequest !== null && tree.byId.has(props.renameRequest) ? props.renameRequest : null;
  const [renameStarted, setRenameStarted] = useState<string | null>(null);
  if (renameNow !== renameStarted) {
    setRenameStarted(renameNow);
    if (renameNow !== null) setEditingId(renameNow);
  }
  const { onRenameRequestHandled } = props;
  useEffect(() => {
    if (renameNow !== null) onRenameRequestHandled();
  }, [renameNow, onRenameRequestHandled]);

  // A moved row is re-inserted in the DOM, which drops focus; put it back where the person was. A row moved
  // to by the keyboard may not be rendered yet: it is scrolled to and focused once it is.
  useLayoutEffect(() => {
    for (const wanted of [refocus, focusWanted]) {
      if (wanted.current === null) continue;
      const row = container.current?.querySelector<HTMLElement>(`[data-node-id="${wanted.current}"]`);
      if (row) {
        row.focus();
        wanted.current = null;
      }
    }
  });

  const focusRow = (id: string | undefined): void => {
    if (!id) return;
    setFocusedId(id);
    const row = container.current?.querySelector<HTMLElement>(`[data-node-id="${id}"]`);
    const index = indexOf.get(id);
    if (index !== undefined) virtualizer.scrollToIndex(index, { align: 'auto' });
    if (row) row.focus();
    else focusWanted.current = id;
  };

  const toggle = (id: string, open?: boolean): void =>
    setCollapsed((set) => {
      const next = new Set(set);
      if (open ?? next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const activate = (node: NodeView): void => {
    setFocusedId(node.id);
    if (opensAsView(node)) props.onOpen(node);
    else toggle(node.id);
  };

  const moveByKeyboard = (node: NodeView, move: KeyboardMove): void => {
    const target = keyboardMoveTarget(tree, node, move);
    if (!target || isUnknownType(node) || !can(node.id, 'update')) return;
    if (target.parentId !== null) toggle(target.parentId, true);
    refocus.current = node.id;
    void actions.move(node.id, target);
  };

  const onRowKeyDown = (event: KeyboardEvent<HTMLDivElement>, index: number): void => {
    if (event.target !== event.currentTarget) return;
    const row = rows[index];
    if (!row) return;
    const { node } = row;
    const move = MOVE_KEYS[event.key];
    if (event.altKey && event.shiftKey && move) moveByKeyboard(node, move);
    else if (event.key === 'ArrowDown') focusRow(rows[index + 1]?.node.id);
    else if (event.key === 'ArrowUp') focusRow(rows[index - 1]?.node.id);
    else if (event.key === 'Home') focusRow(rows[0]?.node.id);
    else if (event.key === 'End') focusRow(rows.at(-1)?.node.id);
    else if (event.key === 'ArrowRight') {
      if (row.hasChildren && !isExpanded(node.id)) toggle(node.id, true);
      else if (row.hasChildren) focusRow(rows[index + 1]?.node.id);
    } else if (event.key === 'ArrowLeft') {
      if (row.hasChildren && isExpanded(node.id)) toggle(node.id, false);
      else focusRow(node.parentId ?? undefined);
    } else if (event.key === 'Enter' || event.key === ' ') activate(node);
    else if (event.key === 'F2' && can(node.id, 'update')) setEditingId(node.id);
    else if (event.key === 'Delete' && can(node.id, 'delete')) void actions.trash(node.id);
    else if (event.key === 'ContextMenu' || (event.shiftKey && event.key === 'F10')) {
      const box = event.currentTarget.getBoundingClientRect();
      setPopup({ nodeId: node.id, at: { x: box.left + 24, y: box.bottom }, kind: 'menu' });
    } else return;
    event.preventDefault();
  };

  const zoneFor = (event: DragEvent<HTMLDivElement>, target: NodeView): DropZone | null => {
    const dragged = drag ? tree.byId.get(drag.id) : undefined;
    if (!dragged) return null;
    const box = event.currentTarget.getBoundingClientRect();
    const y = (event.clientY - box.top) / box.height;
    // Edges reorder, the middle nests; fall back to whichever of the three the tree allows.
    const preferred: DropZone = y < 0.28 ? 'before' : y > 0.72 ? 'after' : 'inside';
    const order: DropZone[] =
      preferred === 'inside' ? ['inside', y < 0.5 ? 'before' : 'after'] : [preferred, 'inside'];
    return order.find((zone) => dropTarget(tree, dragged, target, zone) !== null) ?? null;
  };

  const popupNode = popup ? tree.byId.get(popup.nodeId) : undefined;

  return (
    <div
      ref={container}
      className="tree"
      role="tree"
      aria-label="Sections and pages"
      style={{ height: virtualizer.getTotalSize() }}
    >
      {virtualizer.getVirtualItems().map((item) => {
        const index = item.index;
        const row = rows[index];
        if (!row) return null;
        const { node } = row;
        return (
          <TreeRow
            key={node.id}
            row={row}
            top={item.start}
            expanded={isExpanded(node.id)}
            selected={node.id === selectedId}
            unread={node.id !== selectedId && props.unread.has(node.id)}
            focusable={node.id === tabStop}
            editing={node.id === editingId}
            canCreateChild={can(node.id, 'createChild')}
            canMove={can(node.id, 'update')}
            dropZone={drag?.overId === node.id ? drag.zone : props.fileDropId === node.id ? 'inside' : null}
            menuOpen={popup?.kind === 'menu' && popup.nodeId === node.id}
            onActivate={() => activate(node)}
            onToggle={() => toggle(node.id)}
            onKeyDown={(event) => onRowKeyDown(event, index)}
            onContextMenu={(event) => {
              event.preventDefault();
              // The menu gives the focus back to the row it opened from (the ⋯ button shows on hover only).
              focusRow(node.id);
              setPopup({ nodeId: node.id, at: { x: event.clientX, y: event.clientY }, kind: 'menu' });
            }}
            onNewChild={() => {
              toggle(node.id, true);
              props.onNewPage(node.id);
            }}
            onRename={(name) => {
              setEditingId(null);
              refocus.current = node.id;
              if (name !== null) void actions.rename(node.id, name);
            }}
            onPickIcon={(event) => {
              if (can(node.id, 'update'))
                setPopup({ nodeId: node.id, at: { x: event.clientX, y: event.clientY + 12 }, kind: 'icon' });
            }}
            onDragStart={(event) => {
              event.dataTransfer.setData(DRAG_TYPE, node.id);
              event.dataTransfer.effectAllowed = 'move';
              setDrag({ id: node.id, overId: null, zone: null });
            }}
            onDragOver={(event) => {
              const zone = zoneFor(event, node);
              if (zone === null) return;
              event.preventDefault();
              event.dataTransfer.dropEffect = 'move';
              if (drag && (drag.overId !== node.id || drag.zone !== zone))
                setDrag({ ...drag, overId: node.id, zone });
            }}
            onDragLeave={() =>
              setDrag((d) => (d && d.overId === node.id ? { ...d, overId: null, zone: null } : d))
            }
            onDrop={(event) => {
              event.preventDefault();
              const dragged = drag ? tree.byId.get(drag.id) : undefined;
              const zone = zoneFor(event, node);
              setDrag(null);
              const target = dragged && zone ? dropTarget(tree, dragged, node, zone) : null;
              if (!dragged || !target) return;
              if (target.parentId !== null) toggle(target.parentId, true);
              void actions.move(dragged.id, target);
            }}
            onDragEnd={() => setDrag(null)}
          />
        );
      })}
      {popup?.kind === 'menu' && popupNode ? (
        <NodeMenu
          tree={tree}
          node={popupNode}
          at={popup.at}
          can={can}
          onNewPage={props.onNewPage}
          onNewChild={(parentId, type) => {
            toggle(parentId, true);
            props.onNewChild(parentId, type);
          }}
          onShare={() => props.onShare(popupNode.id)}
          onRename={() => setEditingId(popupNode.id)}
          onPickIcon={() => setPopup({ nodeId: popupNode.id, at: popup.at, kind: 'icon' })}
          onMove={(move) => moveByKeyboard(popupNode, move)}
          onTrash={() => void actions.trash(popupNode.id)}
          onOpen={() => activate(popupNode)}
          onExport={(format) => props.onExport(popupNode.id, format)}
          onClose={() => setPopup(null)}
        />
      ) : null}
      {popup?.kind === 'icon' && popupNode ? (
        <EmojiPicker
          at={popup.at}
          hasIcon={popupNode.icon !== null}
          onPick={(icon) => void actions.setIcon(popupNode.id, icon)}
          onClose={() => setPopup(null)}
        />
      ) : null}
    </div>
  );
}
