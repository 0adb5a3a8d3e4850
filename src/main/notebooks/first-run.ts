import type { NodesService } from '../nodes/nodes.service';
import type { NotebooksService } from './notebooks.service';

/**
 * The first run of a fresh install: a notebook with a section, so the app is useful in its first second.
 * Called only when the replica file was just created — never again, since a user who deleted it meant it.
 */
export function seedFirstRun(account: {
  notebooks: Pick<NotebooksService, 'create'>;
  nodes: Pick<NodesService, 'create'>;
}): void {
  const notebook = account.notebooks.create({ name: 'My Notebook', description: 'Notes on this device' });
  account.nodes.create({ notebookId: notebook.id, type: 'section', parentId: null, name: 'Notes' });
}
