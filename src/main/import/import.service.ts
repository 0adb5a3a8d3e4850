import type { ImportProblem, ImportResultView } from '../../shared/contract';
import type { TiptapDoc, TiptapNode } from '../../shared/crdt/document';
import { emptyImportResult } from '../../shared/contract/imports';
import { AppError, ErrorCode, badRequest } from '../../shared/lib/result';
import { INLINE_IMAGE_TYPES } from '../../shared/model/file-types';
import { NodeAction, canOnNode } from '../../shared/model/permissions';
import { documentConversion } from '../documents/conversion';
import type { DocumentsService } from '../documents/documents.service';
import type { FilesService } from '../files/files.service';
import type { EventBus } from '../lib/events';
import type { NodesService } from '../nodes/nodes.service';
import type { Replica } from '../replica/replica';
import {
  ASSET_BLOCK,
  pageRefKey,
  planImport,
  plannedPages,
  type PlannedPage,
  type SourceFile,
} from './import-plan';
import { expandZips } from './unzip';

export interface ImportDeps {
  replica: Replica;
  events: EventBus;
  nodes: NodesService;
  documents: DocumentsService;
  files: FilesService;
}

export interface ImportInput {
  notebookId: string;
  parentId: string | null;
  importId: string;
  files: SourceFile[];
  skipped: ImportProblem[];
}

/**
 * Pages written per transaction: progress is reported and a cancel is seen between batches. Each commit is an
 * fsync (synchronous=FULL), so batches are what an import's time is mostly made of: 100 pages are a few
 * hundred milliseconds of work, short enough for a cancel and the progress bar.
 */
const BATCH = 100;

/** The link a page reference becomes: the app opens `#page/<id>` links in place (DocumentEditor). */
export const pageLink = (nodeId: string): string => `#page/${nodeId}`;

/**
 * Markdown files and folders into pages (issue 12). The plan (import-plan.ts) is made first; then the root,
 * then its pages parents first in batches (node + document in one transaction each), then each page's
 * attachments (copied into the account like a dropped file) and its links. A cancel or a failure removes
 * the root and so everything made so far; the result lists what could not be read.
 */
export class ImportService {
  private readonly running = new Map<string, { cancelled: boolean }>();

  constructor(private readonly deps: ImportDeps) {}

  cancel(importId: string): null {
    const run = this.running.get(importId);
    if (run) run.cancelled = true;
    return null;
  }

  async importMarkdown(input: ImportInput): Promise<ImportResultView> {
    if (this.running.has(input.importId))
      throw badRequest('This import is already running', [{ path: 'importId', message: 'in use' }]);
    const run = { cancelled: false };
    this.running.set(input.importId, run);
    try {
      return await this.run(input, run);
    } finally {
      this.running.delete(input.importId);
    }
  }

  private async run(input: ImportInput, run: { cancelled: boolean }): Promise<ImportResultView> {
    const { nodes, documents } = this.deps;
    const parent = input.parentId === null ? null : nodes.get(input.parentId);
    if (parent) {
      if (parent.notebookId !== input.notebookId)
        throw badRequest('Parent is in another notebook', [
          { path: 'parentId', message: 'not in this notebook' },
        ]);
      if (parent.type !== 'section' && parent.type !== 'page')
        throw badRequest('Markdown is imported into a section or a page', [
          { path: 'parentId', message: `is a ${parent.type}` },
        ]);
      const role = nodes.roleOn(parent.id);
      const decision = canOnNode(
        role,
        this.deps.replica.userId,
        { type: 'page', createdBy: '' },
        NodeAction.createChild,
      );
      if (!decision.allowed)
        throw new AppError(ErrorCode.forbidden, 'Your role here does not allow adding pages', [
          { path: 'parentId', message: `your role is ${role ?? 'none'}` },
        ]);
    }
    const [{ fromMarkdown }, conversion] = await Promise.all([
      import('../../shared/markdown/from-markdown'),
      documentConversion(),
    ]);
    const unpacked = expandZips(input.files);
    const plan = planImport(unpacked.files, fromMarkdown, 'Imported pages');
    const problems = [...input.skipped, ...unpacked.problems, ...plan.problems];
    const planned = [...plannedPages(plan.root)];
    const total = planned.length;
    const progress = (done: number) =>
      this.deps.events.emit('import.progress', {
        accountId: this.deps.replica.accountId,
        importId: input.importId,
        done,
        total,
      });
    const empty = emptyImportResult(problems);
    if (plan.root.children.length === 0 && plan.root.content.content.length === 0 && !plan.loneFile)
      return empty;
    // The dialog learns how many pages there will be (a zip's files are only known once it is unpacked).
    progress(0);

    // A section at the notebook's root holds everything; under a page or section, the root is a page.
    let rootId: string;
    const ids = new Map<string, string>();
    let made = 0;
    const create = (page: PlannedPage, parentId: string) => {
      const node = nodes.create({ notebookId: input.notebookId, type: 'page', parentId, name: page.title });
      ids.set(page.key, node.id);
      made++;
      return node.id;
    };
    if (parent === null) {
      rootId = nodes.create({
        notebookId: input.notebookId,
        type: 'section',
        parentId: null,
        name: plan.root.title,
      }).id;
      if (plan.loneFile) create(plan.root, rootId);
      else ids.set('', rootId);
    } else rootId = create(plan.root, parent.id);
    const rootType = parent === null ? 'section' : 'page';

    try {
      const queue = planned.filter((page) => !ids.has(page.key));
      const parentOf = new Map<string, string>();
      for (const page of planned) for (const child of page.children) parentOf.set(child.key, page.key);
      for (let at = 0; at < queue.length; at += BATCH) {
        if (run.cancelled) return await this.undo(rootId, { ...empty, cancelled: true });
        this.deps.replica.db.transaction(() => {
          for (const page of queue.slice(at, at + BATCH)) create(page, ids.get(parentOf.get(page.key)!)!);
        })();
        progress(Math.round(made / 2));
        await new Promise((resolve) => setImmediate(resolve));
      }
      let attachments = 0;
      let links = 0;
      const written = planned.filter((page) => page.content.content.length > 0 || page.assets.length > 0);
      for (let at = 0; at < written.length; at += BATCH) {
        if (run.cancelled) return await this.undo(rootId, { ...empty, cancelled: true });
        const batch = written.slice(at, at + BATCH);
        // Attachments first (copied into the account, asynchronously); then the batch's documents in one
        // transaction: one commit (and so one fsync) per batch, not per page, which was most of an import's time.
        const contents: { nodeId: string; content: TiptapDoc }[] = [];
        for (const page of batch) {
          const nodeId = ids.get(page.key)!;
          const files = new Map<string, TiptapNode>();
          for (const path of page.assets) {
            const block = await this.attach(nodeId, path, plan.assets.get(path)!.data, problems);
            if (block) {
              files.set(path, block);
              attachments++;
            }
          }
          const content = resolveReferences(page.content, ids, files, () => links++);
          contents.push({ nodeId, content: conversion.normalizeDocument(content) });
        }
        this.deps.replica.db.transaction(() => {
          for (const { nodeId, content } of contents) documents.writeNew(nodeId, content, conversion);
        })();
        progress(Math.round(total / 2 + ((at + batch.length) / written.length) * (total / 2)));
        await new Promise((resolve) => setImmediate(resolve));
      }
      progress(total);
      const firstPageId = ids.get(plan.loneFile ? '' : (plan.root.children[0]?.key ?? '')) ?? null;
      return {
        rootId,
        rootType,
        firstPageId: firstPageId === rootId && rootType === 'section' ? null : firstPageId,
        pages: made,
        attachments,
        links,
        problems,
        cancelled: false,
      };
    } catch (error) {
      await this.undo(rootId, empty);
      throw error;
    }
  }

  /** An imported file as the block that shows it (an image if its bytes are one we show), or null. */
  private async attach(
    nodeId: string,
    path: string,
    data: Uint8Array,
    problems: ImportProblem[],
  ): Promise<TiptapNode | null> {
    const name = path.slice(path.lastIndexOf('/') + 1);
    try {
      const file = await this.deps.files.add(nodeId, { name, data });
      const attrs = { fileId: file.id, name: file.name, mimeType: file.mimeType, size: file.size };
      return INLINE_IMAGE_TYPES.has(file.mimeType)
        ? { type: 'image', attrs: { ...attrs, alt: '', caption: '' } }
        : { type: 'fileAttachment', attrs };
    } catch (error) {
      problems.push({
        path,
        message: `could not be attached: ${error instanceof Error ? error.message : 'unknown error'}`,
      });
      return null;
    }
  }

  /** Removes what a cancelled or failed import made (its root, and so all of it). */
  private async undo(rootId: string, result: ImportResultView): Promise<ImportResultView> {
    try {
      this.deps.nodes.purge(rootId);
    } catch {
      // Already gone (trashed and purged elsewhere meanwhile): nothing left to remove.
    }
    await Promise.resolve();
    return result;
  }
}

/** Page references become `#page/<id>` links, attachment placeholders the file blocks made for them. */
function resolveReferences(
  doc: TiptapDoc,
  ids: ReadonlyMap<string, string>,
  files: ReadonlyMap<string, TiptapNode>,
  linked: () => void,
): TiptapDoc {
  const walk = (nodes: TiptapNode[]): TiptapNode[] =>
    nodes.flatMap((node): TiptapNode[] => {
      if (node.type === ASSET_BLOCK) {
        const path = String(node.attrs?.path ?? '');
        const alt = String(node.attrs?.alt ?? '');
        const block = files.get(path);
        if (!block) return alt === '' ? [] : [{ type: 'paragraph', content: [{ type: 'text', text: alt }] }];
        return [block.type === 'image' ? { ...block, attrs: { ...block.attrs, alt } } : block];
      }
      const marks = node.marks?.map((mark) => {
        const key = mark.type === 'link' ? pageRefKey(String(mark.attrs?.href ?? '')) : null;
        const target = key === null ? undefined : ids.get(key);
        if (key === null) return mark;
        if (target) linked();
        return { ...mark, attrs: { ...mark.attrs, href: target ? pageLink(target) : '#' } };
      });
      return [
        {
          ...node,
          ...(marks ? { marks } : {}),
          ...(node.content ? { content: walk(node.content) } : {}),
        },
      ];
    });
  return { type: 'doc', content: walk(doc.content) };
}
