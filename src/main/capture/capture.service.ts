import type { CaptureDestinationsView, CaptureSavedView, NodeView } from '../../shared/contract';
import type { TiptapNode } from '../../shared/crdt/document';
import { jsonDepth } from '../../shared/lib/json-depth';
import { badRequest } from '../../shared/lib/result';
import { compareOrdered } from '../../shared/model/ordering';
import type { AccountContext } from '../core/account-context';
import type { Clock } from '../lib/clock';
import { documentConversion } from '../documents/conversion';
import { DocumentsRepository } from '../documents/documents.repository';

export type CaptureDestination =
  | { kind: 'inbox'; notebookId: string }
  | { kind: 'daily'; notebookId: string }
  | { kind: 'page'; nodeId: string };

export interface CaptureInput {
  destination: CaptureDestination;
  title: string;
  body: { type: 'doc'; content: Record<string, unknown>[] };
}

export const INBOX_NAME = 'Inbox';
export const DAILY_PARENT_NAME = 'Daily notes';
const FALLBACK_SECTION_NAME = 'Notes';
const MAX_BODY_DEPTH = 48;
const RECENT_PAGES = 8;

/**
 * Quick capture (docs/decisions/0007-quick-capture.md): a note is appended to a page as a heading (its title),
 * an italic timestamp line and the body. The Inbox page, the "Daily notes" page and today's page under it are
 * found by name and created on first use. Everything — page creation, the Yjs update, the outbox mutations —
 * commits in one transaction before the call returns, so a quick note is as durable as any edit and needs no
 * server (the outbox sends it when one is reachable).
 */
export class CaptureService {
  constructor(
    private readonly context: AccountContext,
    private readonly clock: Clock,
  ) {}

  async save(input: CaptureInput): Promise<CaptureSavedView> {
    if (jsonDepth(input.body, MAX_BODY_DEPTH + 2) > MAX_BODY_DEPTH)
      throw badRequest('The note is nested too deeply', [{ path: 'body', message: 'too deep' }]);
    const { normalizeDocument, appendBlocks } = await documentConversion();
    const body = normalizeDocument(input.body);
    const title = input.title.trim();
    if (title === '' && !hasText(body))
      throw badRequest('Nothing to save: the note is empty', [{ path: 'body', message: 'empty' }]);
    const now = this.clock.now();
    const { db } = this.context.replica;
    let touched: string | null = null;
    try {
      return db.transaction((): CaptureSavedView => {
        const { page, created } = this.destinationPage(input.destination, now);
        touched = page.id;
        const blocks: TiptapNode[] = [
          { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: title || 'Quick note' }] },
          {
            type: 'paragraph',
            content: [{ type: 'text', text: timestampLabel(now), marks: [{ type: 'italic' }] }],
          },
          ...body.content,
        ];
        const saved = this.context.documents.applyLocalChange(
          page.id,
          (doc) => appendBlocks(doc, blocks),
          null,
        );
        return {
          notebookId: page.notebookId,
          nodeId: page.id,
          pageName: page.name,
          createdPage: created,
          savedAt: saved.savedAt,
        };
      })();
    } catch (error) {
      // Main's in-memory copy may hold the rolled-back update: rebuild it from the stored rows.
      if (touched !== null && this.context.replica.db.inTransaction === false) {
        try {
          this.context.documents.reloadFromStoredUpdates(touched, now.toISOString());
        } catch {
          // the page itself was rolled back (created in this capture): nothing to reload
        }
      }
      throw error;
    }
  }

  destinations(): CaptureDestinationsView {
    // The capture view asks for these when it opens: load the document conversion now, so the save that
    // follows does not pay for it.
    void documentConversion();
    const notebooks = this.context.notebooks.list();
    const visible = new Map<string, NodeView & { notebookName: string }>();
    for (const notebook of notebooks)
      for (const node of this.context.nodes.tree(notebook.id))
        if (node.type === 'page') visible.set(node.id, { ...node, notebookName: notebook.name });
    const recent = new DocumentsRepository(this.context.replica.db).recentIds(200);
    const recentPages = recent
      .flatMap((id) => {
        const page = visible.get(id);
        return page
          ? [
              {
                id: page.id,
                name: page.name,
                icon: page.icon,
                notebookId: page.notebookId,
                notebookName: page.notebookName,
              },
            ]
          : [];
      })
      .slice(0, RECENT_PAGES);
    return { notebooks: notebooks.map((n) => ({ id: n.id, name: n.name })), recentPages };
  }

  private destinationPage(destination: CaptureDestination, now: Date): { page: NodeView; created: boolean } {
    if (destination.kind === 'page') {
      const page = this.context.nodes.get(destination.nodeId);
      if (page.type !== 'page' || page.trashedAt !== null)
        throw badRequest('Quick notes go into a page that is not in the trash', [
          { path: 'destination.nodeId', message: 'not an open page' },
        ]);
      return { page, created: false };
    }
    const tree = this.context.nodes.tree(destination.notebookId);
    if (destination.kind === 'inbox')
      return this.pageNamed(tree, destination.notebookId, null, INBOX_NAME, '📥');
    const parent = this.pageNamed(tree, destination.notebookId, null, DAILY_PARENT_NAME, '📅').page;
    return this.pageNamed(tree, destination.notebookId, parent, dayKey(now), null);
  }

  /** The first page called `name` (in a section when `parent` is null, else under `parent`), created if missing. */
  private pageNamed(
    tree: NodeView[],
    notebookId: string,
    parent: NodeView | null,
    name: string,
    icon: string | null,
  ): { page: NodeView; created: boolean } {
    const sorted = [...tree].sort(compareOrdered);
    const sections = sorted.filter((n) => n.type === 'section' && n.parentId === null);
    const parents = parent ? [parent] : sections;
    for (const p of parents) {
      const found = sorted.find((n) => n.type === 'page' && n.parentId === p.id && n.name === name);
      if (found) return { page: found, created: false };
    }
    const home =
      parent ??
      sections[0] ??
      this.context.nodes.create({ notebookId, type: 'section', parentId: null, name: FALLBACK_SECTION_NAME });
    const first = sorted.find((n) => n.parentId === home.id);
    const page = this.context.nodes.create({
      notebookId,
      type: 'page',
      parentId: home.id,
      name,
      ...(icon ? { icon } : {}),
      ...(first ? { position: { beforeId: first.id } } : {}),
    });
    return { page, created: true };
  }
}

/** Anything but empty paragraphs (what an untouched editor holds). */
const hasText = (doc: TiptapNode): boolean =>
  (doc.content ?? []).some((block) => block.type !== 'paragraph' || (block.content?.length ?? 0) > 0);

const pad = (n: number): string => String(n).padStart(2, '0');

/** Local calendar day, `2026-11-23`: the name of that day's daily note. */
export const dayKey = (date: Date): string =>
  `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

/** `2026-11-23 18:45` in local time. */
export const timestampLabel = (date: Date): string =>
  `${dayKey(date)} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
