import * as Y from 'yjs';
import type { DocumentOpenView, DocumentSaveView } from '../../shared/contract';
import { documentText, readDocument, type TiptapDoc } from '../../shared/crdt/document';
import { toBase64 } from '../../shared/lib/base64';
import { IdPrefix, newId } from '../../shared/lib/ids';
import { badRequest, notFound } from '../../shared/lib/result';
import { MutationType } from '../../shared/model/mutations';
import { isoNow, type Clock } from '../core/clock';
import type { EventBus } from '../core/events';
import { enqueueMutation } from '../outbox/outbox.repository';
import type { Replica } from '../replica/replica';
import { DocumentsRepository, type DocumentRow } from './documents.repository';

interface OpenDocument {
  doc: Y.Doc;
  openers: Set<string>;
  materializeTimer: ReturnType<typeof setTimeout> | null;
}

/** How long after the last keystroke the materialised JSON/text is refreshed (the Yjs rows are saved at once). */
export const MATERIALIZE_DELAY_MS = 1_000;

/**
 * Documents are Yjs docs. Each editor update is committed as a pending update row + an outbox mutation in
 * one transaction before it is acknowledged ("saved"); the materialised JSON used for previews and search is
 * derived from the Yjs state a moment later, off the keystroke path.
 */
export class DocumentsService {
  private readonly documents: DocumentsRepository;
  private readonly open = new Map<string, OpenDocument>();

  constructor(
    private readonly replica: Replica,
    private readonly events: EventBus,
    private readonly clock: Clock,
  ) {
    this.documents = new DocumentsRepository(replica.db);
  }

  openDocument(documentId: string, senderId: string): DocumentOpenView {
    const row = this.requireDocument(documentId);
    const entry = this.load(documentId);
    entry.openers.add(senderId);
    const content = row.contentStale ? this.materialize(documentId) : (JSON.parse(row.content) as TiptapDoc);
    return { documentId, state: Y.encodeStateAsUpdate(entry.doc), content, updatedAt: row.updatedAt };
  }

  closeDocument(documentId: string, senderId: string): void {
    const entry = this.open.get(documentId);
    if (!entry) return;
    entry.openers.delete(senderId);
    if (entry.openers.size > 0) return;
    this.flushMaterialize(documentId);
    this.open.delete(documentId);
  }

  /** Closes everything a window had open (it went away without saying so). */
  closeAllFor(senderId: string): void {
    for (const [documentId, entry] of this.open) if (entry.openers.has(senderId)) this.closeDocument(documentId, senderId);
  }

  applyUpdate(documentId: string, update: Uint8Array, senderId: string | null): DocumentSaveView {
    const row = this.requireDocument(documentId);
    const entry = this.load(documentId);
    try {
      Y.applyUpdate(entry.doc, update, 'local');
    } catch (error) {
      throw badRequest('Not a valid Yjs update', [{ path: 'update', message: error instanceof Error ? error.message : 'unreadable' }]);
    }
    const now = isoNow(this.clock);
    const updateId = newId(IdPrefix.update);
    this.replica.db.transaction(() => {
      this.documents.insertUpdate(updateId, documentId, update, now);
      enqueueMutation(this.replica.db, row.notebookId, {
        id: newId(IdPrefix.mutation),
        createdAt: now,
        type: MutationType.documentUpdate,
        data: { documentId, updateId, data: toBase64(update), createdAt: now },
      });
    })();
    this.events.emit('document.updated', { accountId: this.replica.accountId, documentId, update, origin: senderId ?? 'core' }, senderId);
    this.scheduleMaterialize(documentId, entry);
    if (entry.openers.size === 0) {
      this.flushMaterialize(documentId);
      this.open.delete(documentId);
    }
    return { documentId, savedAt: now };
  }

  /** Current content as TipTap JSON (materialising first if edits are newer than the stored JSON). */
  content(documentId: string): TiptapDoc {
    const row = this.requireDocument(documentId);
    return row.contentStale ? this.materialize(documentId) : (JSON.parse(row.content) as TiptapDoc);
  }

  /** Writes every pending materialisation now (shutdown, tests). */
  flushAll(): void {
    for (const documentId of this.open.keys()) this.flushMaterialize(documentId);
  }

  private load(documentId: string): OpenDocument {
    let entry = this.open.get(documentId);
    if (!entry) {
      const doc = new Y.Doc();
      const state = this.documents.state(documentId);
      doc.transact(() => {
        if (state) Y.applyUpdate(doc, state);
        for (const pending of this.documents.pendingUpdates(documentId)) Y.applyUpdate(doc, pending);
      });
      entry = { doc, openers: new Set(), materializeTimer: null };
      this.open.set(documentId, entry);
    }
    return entry;
  }

  private scheduleMaterialize(documentId: string, entry: OpenDocument): void {
    if (entry.materializeTimer) clearTimeout(entry.materializeTimer);
    entry.materializeTimer = setTimeout(() => {
      entry.materializeTimer = null;
      this.materialize(documentId);
    }, MATERIALIZE_DELAY_MS);
    entry.materializeTimer.unref?.();
  }

  private flushMaterialize(documentId: string): void {
    const entry = this.open.get(documentId);
    if (!entry?.materializeTimer) return;
    clearTimeout(entry.materializeTimer);
    entry.materializeTimer = null;
    this.materialize(documentId);
  }

  private materialize(documentId: string): TiptapDoc {
    const row = this.requireDocument(documentId);
    const transient = !this.open.has(documentId);
    const entry = this.load(documentId);
    const content = readDocument(entry.doc);
    this.documents.saveContent(documentId, JSON.stringify(content), documentText(content), row.localRevision);
    if (transient) this.open.delete(documentId);
    return content;
  }

  private requireDocument(documentId: string): DocumentRow {
    const row = this.documents.get(documentId);
    if (!row) throw notFound('Document', documentId);
    return row;
  }
}
