import { useState, type DragEvent } from 'react';
import type { NodeView } from '../../../shared/contract';
import type { Access } from '../sharing/use-access';
import type { Tree } from '../sidebar/tree-model';
import { filesFromDrop, type PickedFile } from './picked-files';
import './import.css';

/** Files or folders dropped on the sidebar, to import under `parentId` (null: as a new section). */
export interface DroppedImport {
  files: PickedFile[];
  parentId: string | null;
}

/** Window event with a DroppedImport: the workspace opens the import dialog on it, already running. */
export const IMPORT_DROPPED_EVENT = 'hoody:import-dropped';

/** Where a drop would import to, named for the hint the sidebar shows while files are dragged over it. */
export interface SidebarDropTarget {
  parentId: string | null;
  label: string;
}

/** A drag that carries files from outside the page (the tree's own rows carry a node id instead). */
const carriesFiles = (event: DragEvent): boolean => event.dataTransfer.types.includes('Files');

/**
 * Dropping Markdown files, a folder or a zip of them on the sidebar (issue 12): over a section or a page the
 * user may add pages to, they are imported into it; anywhere else in the sidebar, as a new section (if the user
 * may make one). Nothing is offered where neither is allowed: the drag shows no drop effect there.
 */
export function useSidebarDrop(tree: Tree | undefined, access: Access) {
  const [target, setTarget] = useState<SidebarDropTarget | null>(null);

  const targetOf = (event: DragEvent): SidebarDropTarget | null => {
    const row = (event.target as Element | null)?.closest?.('[data-node-id]');
    const node: NodeView | undefined = tree?.byId.get(row?.getAttribute('data-node-id') ?? '');
    if (node && (node.type === 'section' || node.type === 'page') && access.can(node.id, 'createChild'))
      return { parentId: node.id, label: `Drop to import into “${node.name || 'Untitled'}”` };
    if (access.view?.canCreateSection) return { parentId: null, label: 'Drop to import as a new section' };
    return null;
  };

  const onDragOver = (event: DragEvent): void => {
    if (!carriesFiles(event)) return;
    const next = targetOf(event);
    if (next === null) {
      event.dataTransfer.dropEffect = 'none';
      if (target !== null) setTarget(null);
      return;
    }
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    if (target?.parentId !== next.parentId || target.label !== next.label) setTarget(next);
  };

  const onDragLeave = (event: DragEvent): void => {
    // Leaving a row for another row of the sidebar is not leaving the sidebar.
    const into = event.relatedTarget as Node | null;
    if (!into || !event.currentTarget.contains(into)) setTarget(null);
  };

  const onDrop = (event: DragEvent): void => {
    if (!carriesFiles(event)) return;
    const drop = targetOf(event);
    setTarget(null);
    if (drop === null) return;
    event.preventDefault();
    // The entries must be taken while the drop event runs; filesFromDrop does so before its first await.
    void filesFromDrop(event.dataTransfer).then((files) => {
      if (files.length === 0) return;
      const detail: DroppedImport = { files, parentId: drop.parentId };
      window.dispatchEvent(new CustomEvent(IMPORT_DROPPED_EVENT, { detail }));
    });
  };

  return { target, handlers: { onDragOver, onDragLeave, onDrop } };
}
