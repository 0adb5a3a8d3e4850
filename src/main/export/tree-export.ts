import { posix } from 'node:path';
import type { ExportArchiveView, NodeView } from '../../shared/contract';
import type { TiptapDoc, TiptapNode } from '../../shared/crdt/document';
import { badRequest } from '../../shared/lib/result';
import type { DocumentsService } from '../documents/documents.service';
import type { FilesService } from '../files/files.service';
import type { NodesService } from '../nodes/nodes.service';
import type { NotebooksService } from '../notebooks/notebooks.service';
import { exportFileName, renderPage, writeAtomically, type ExportFiles } from './export.service';
import { cachedBytes } from './local-files';
import { zip, type ZipEntry } from './zip';

export interface TreeExportDeps {
  nodes: NodesService;
  documents: DocumentsService;
  notebooks: NotebooksService;
  files: FilesService;
  /** Null in browser mode. */
  exportFiles: ExportFiles | null;
}

const PAGE_LINK = /^#page\/([A-Za-z0-9_-]{1,64})$/;

/**
 * A section, a page with its subpages, or a whole notebook as a zip of Markdown files: one `.md` per page (the
 * same text as Export page as Markdown), a folder per section and per page that has pages inside (`Plan.md`
 * beside `Plan/`, which is how the import reads it back), links between exported pages rewritten to relative
 * paths, and the images and files already on this device under `files/`. Databases and channels are not pages:
 * they are left out (the answer counts them).
 */
export async function exportTree(
  deps: TreeExportDeps,
  input: { notebookId: string; nodeId: string | null },
  senderId: string,
): Promise<ExportArchiveView> {
  const tree = deps.nodes.tree(input.notebookId);
  const children = new Map<string | null, NodeView[]>();
  for (const node of tree) {
    const siblings = children.get(node.parentId) ?? [];
    siblings.push(node);
    children.set(node.parentId, siblings);
  }
  for (const siblings of children.values())
    siblings.sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : 0));
  const root = input.nodeId === null ? null : tree.find((node) => node.id === input.nodeId);
  if (input.nodeId !== null && !root)
    throw badRequest('Not in this notebook', [{ path: 'nodeId', message: 'not found' }]);
  if (root && root.type !== 'section' && root.type !== 'page')
    throw badRequest('Only sections, pages and notebooks are exported as a folder', [
      { path: 'nodeId', message: `is a ${root.type}` },
    ]);
  const rootName = exportFileName(root ? root.name : deps.notebooks.get(input.notebookId).name, 'zip').slice(
    0,
    -4,
  );

  // Where every page goes: paths first, so links can point at pages written later.
  const pages: { node: NodeView; path: string }[] = [];
  const pathOf = new Map<string, string>();
  let skipped = 0;
  const place = (node: NodeView, dir: string, taken: Set<string>): void => {
    if (node.type !== 'section' && node.type !== 'page') {
      skipped++;
      return;
    }
    const base = unique(exportFileName(node.name, 'md').slice(0, -3), taken);
    if (node.type === 'page') {
      const path = posix.join(dir, `${base}.md`);
      pages.push({ node, path });
      pathOf.set(node.id, path);
    }
    const inside = children.get(node.id) ?? [];
    const childTaken = new Set<string>();
    for (const child of inside) place(child, posix.join(dir, base), childTaken);
  };
  const top = new Set<string>();
  if (root) place(root, '', top);
  else for (const section of children.get(null) ?? []) place(section, rootName, top);

  // Images and files go in `files/` inside the top folder (the exported node's or the notebook's).
  const filesDir = posix.join(root ? exportFileName(root.name, 'md').slice(0, -3) : rootName, 'files');
  const { fileIdsOf } = await import('../../shared/editor/file-blocks');
  const entries: ZipEntry[] = [];
  const filePaths = new Map<string, string>();
  const fileTaken = new Set<string>();
  for (const { node, path } of pages) {
    const content = await deps.documents.content(node.id);
    for (const fileId of fileIdsOf(content)) {
      if (filePaths.has(fileId)) continue;
      const bytes = await cachedBytes(deps.files, fileId);
      if (!bytes) continue;
      const name = unique(exportFileName(bytes.name, '').replace(/\.$/, ''), fileTaken);
      const filePath = posix.join(filesDir, name);
      filePaths.set(fileId, filePath);
      entries.push({ path: filePath, data: bytes.data });
    }
    const dir = posix.dirname(path);
    const relative = (target: string) => posix.relative(dir, target);
    const linked = rewritePageLinks(content, (nodeId) => {
      const target = pathOf.get(nodeId);
      return target === undefined ? null : relative(target);
    });
    const text = await renderPage(linked, node.name, 'markdown', 'light', (fileId) => {
      const target = filePaths.get(fileId);
      return target === undefined ? null : relative(target);
    });
    entries.push({ path, data: new TextEncoder().encode(text) });
  }
  const archive = zip(entries);
  const fileName = `${rootName}.zip`;
  const counts = { pages: pages.length, files: filePaths.size, skipped };
  if (!deps.exportFiles)
    return { kind: 'download', fileName, mimeType: 'application/zip', data: archive, ...counts };
  const target = await deps.exportFiles.choosePath(senderId, fileName, {
    name: 'Zip archive',
    extensions: ['zip'],
  });
  if (target === null) return { kind: 'cancelled' };
  await writeAtomically(target, archive);
  return { kind: 'saved', path: target, ...counts };
}

/** `name`, or `name (2)`, `name (3)`… if a sibling already has it (compared as file systems do, ignoring case). */
function unique(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${name} (${n})`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** Page links (`#page/<id>`) to exported pages as relative paths; links to other pages stay as they are. */
function rewritePageLinks(doc: TiptapDoc, target: (nodeId: string) => string | null): TiptapDoc {
  const walk = (node: TiptapNode): TiptapNode => {
    const marks = node.marks?.map((mark) => {
      const id = mark.type === 'link' ? PAGE_LINK.exec(String(mark.attrs?.href ?? ''))?.[1] : undefined;
      const path = id === undefined ? null : target(id);
      return path === null ? mark : { ...mark, attrs: { ...mark.attrs, href: path } };
    });
    return {
      ...node,
      ...(marks ? { marks } : {}),
      ...(node.content ? { content: node.content.map(walk) } : {}),
    };
  };
  return { type: 'doc', content: doc.content.map(walk) };
}
