import { useState, type ReactNode } from 'react';
import type { NodeView } from '../../../shared/contract';
import type { Access } from '../sharing/use-access';
import { isMac, shortcutLabel } from '../../lib/platform';
import { Icon } from '../../ui/icons';
import type { NodeActions } from '../nodes/use-node-actions';
import { useSidebarDrop } from '../import/sidebar-drop';
import { NodeTree } from './NodeTree';
import { SidebarResizer } from './SidebarResizer';
import type { Tree } from './tree-model';

export interface SidebarProps {
  /** Width remembered in the settings; dragging the edge changes it. */
  savedWidth: number;
  onWidthChange(width: number): void;
  switcher: ReactNode;
  footer: ReactNode;
  notebookId: string | null;
  tree: Tree | undefined;
  selectedId: string | null;
  /** Pages someone else changed since the user last opened them (a dot in the tree). */
  unread: ReadonlySet<string>;
  trashOpen: boolean;
  actions: NodeActions | null;
  renameRequest: string | null;
  onRenameRequestHandled(): void;
  onOpen(node: NodeView): void;
  onOpenTrash(): void;
  onNewPage(parentId?: string): void;
  onNewChild(parentId: string, type: 'database' | 'channel'): void;
  onNewSection(): void;
  searchOpen: boolean;
  onSearch(): void;
  /** What the user's role allows in this notebook. */
  access: Access;
  /** Somewhere the user may create a page (else New page is not offered). */
  canCreatePage: boolean;
  onShare(nodeId: string): void;
  onExport(nodeId: string, format: 'markdown' | 'html'): void;
}

export function Sidebar(props: SidebarProps) {
  const { tree, actions, notebookId } = props;
  const [dragWidth, setDragWidth] = useState<number | null>(null);
  const width = dragWidth ?? props.savedWidth;
  const empty = tree !== undefined && (tree.children.get(null)?.length ?? 0) === 0;
  const drop = useSidebarDrop(notebookId ? tree : undefined, props.access);
  return (
    <aside
      className={drop.target ? 'sidebar file-drop' : 'sidebar'}
      style={{ width }}
      aria-label="Sidebar"
      data-region="sidebar"
      {...(notebookId ? drop.handlers : {})}
    >
      <div className="sidebar-top">{props.switcher}</div>
      {notebookId ? (
        <>
          <div className="sidebar-actions">
            <button
              type="button"
              className={props.searchOpen ? 'sidebar-button active' : 'sidebar-button'}
              aria-current={props.searchOpen ? 'page' : undefined}
              aria-keyshortcuts={isMac ? 'Meta+Shift+F' : 'Control+Shift+F'}
              onClick={props.onSearch}
            >
              <Icon name="search" />
              <span>Search</span>
              <kbd>{shortcutLabel('Mod+Shift+F')}</kbd>
            </button>
            {props.canCreatePage ? (
              <button
                type="button"
                className="sidebar-button"
                aria-label="New page"
                aria-keyshortcuts={isMac ? 'Meta+Alt+N' : 'Control+Alt+N'}
                // Before the tree has loaded, the page is made once it has (Workspace's newPage).
                onClick={() => props.onNewPage()}
              >
                <Icon name="plus" />
                <span>New page</span>
                <kbd>{shortcutLabel('Mod+Alt+N')}</kbd>
              </button>
            ) : null}
            {props.access.loaded && !props.access.view?.canCreateSection ? null : (
              <button type="button" className="sidebar-button" onClick={props.onNewSection}>
                <Icon name="section" />
                <span>New section</span>
              </button>
            )}
          </div>
          <div className="sidebar-label">Sections</div>
          <nav className="sidebar-tree">
            {tree && actions ? (
              <NodeTree
                notebookId={notebookId}
                tree={tree}
                selectedId={props.selectedId}
                unread={props.unread}
                actions={actions}
                renameRequest={props.renameRequest}
                onRenameRequestHandled={props.onRenameRequestHandled}
                onOpen={props.onOpen}
                onNewPage={props.onNewPage}
                onNewChild={props.onNewChild}
                can={props.access.can}
                onShare={props.onShare}
                onExport={props.onExport}
                fileDropId={drop.target?.parentId ?? null}
              />
            ) : null}
            {empty ? <p className="sidebar-hint">No sections yet. Create one to start writing.</p> : null}
          </nav>
          {drop.target ? (
            <p className="sidebar-drop-hint" role="status">
              {drop.target.label}
            </p>
          ) : null}
          <button
            type="button"
            className={props.trashOpen ? 'sidebar-button trash active' : 'sidebar-button trash'}
            aria-current={props.trashOpen ? 'page' : undefined}
            onClick={props.onOpenTrash}
          >
            <Icon name="trash" />
            <span>Trash</span>
          </button>
        </>
      ) : (
        <div className="sidebar-tree" />
      )}
      <footer className="sidebar-footer">{props.footer}</footer>
      <SidebarResizer
        width={width}
        onResize={setDragWidth}
        onCommit={(next) => {
          props.onWidthChange(next);
          setDragWidth(null);
        }}
      />
    </aside>
  );
}
