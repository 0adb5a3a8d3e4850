import * as Y from 'yjs';
import type { DocumentOpenView, DocumentSaveView } from '../../shared/contract';
import type { TiptapDoc } from '../../shared/crdt/document';
import { toBase64 } from '../../shared/lib/base64';
import { IdPrefix, newId } from '../../shared/lib/ids';
import { badRequest, notFound } from '../../shared/lib/result';
import { MutationType } from '../../shared/model/mutations';
import { isoNow, type Clock } from '../lib/clock';
import type { EventBus } from '../lib/events';
import { isTombstoned } from '../nodes/nodes.repository';
import { enqueueMutation } from '../outbox/outbox.repository';
import { dropPendingUpdate, mergeIntoState } from '../replica/confirmed-state.repository';
import type { Replica } from '../replica/replica';
import { documentConversion, type DocumentConversion } from './conversion';
import { DocumentsRepository, type DocumentRow } from './documents.repository';

interface OpenDocument {
  /** Decoded lazily: opening a page for reading never pays for it. */
  doc: Y.Doc | null;
  openers: Set<string>;
  materializeTimer: ReturnType<typeof setTimeout> | null;
}

/** How long after the last keystroke the materialised JSON/text is refreshed (the Yjs rows are saved at once). */
export const MATERIALIZE_DELAY_MS = 1_000;
/**
 * Documents changed by others (stream batches) while not open here are materialised — and so indexed for
 * search — this soon after their batch committed, a few per turn of the event loop.
 */
export const REMOTE_MATERIALIZE_DELAY_MS = 100;
const STALE_BATCH = 8;

/**
 * Documents are Yjs docs. Each editor update is committed as a pending update row + an outbox mutation in
 * one transaction before it is acknowledged ("saved"); the materialised JSON used for previews and search is
 * derived from the Yjs state a moment later, off the keystroke path.
 */
export class DocumentsService {
  private readonly documents: DocumentsRepository;
  private readonly open = new Map<string, OpenDocument>();
  private staleTimer: ReturnType<typeof setTimeout> | null = null;
  private staleRunning = false;
  private stopped = false;
  /** Documents whose content could not be converted this session: not retried in a loop. */
  private readonly unreadable = new Set<string>();
  /** A local edit was saved (an editor's update or main's own change): automatic versions listen. */
  onLocalEdit: ((documentId: string) => void) | null = null;
  /** The last window left a document. */
  onLeft: ((documentId: string) => void) | null = null;
  /** Remote updates of a document committed (a channel redraws a message whose text arrived). */
  onRemoteCommitted: ((documentId: string) => void) | null = null;

  constructor(
    private readonly replica: Replica,
    private readonly events: EventBus,
    private readonly clock: Clock,
  ) {
    this.documents = new DocumentsRepository(replica.db);
  }

  /**
   * The editor gets the stored Yjs rows merged as bytes — no Y.Doc is decoded here, which would double the
   * cost of opening a large page. Main's own copy (needed for the first edit) is built right after.
   */
  async openDocument(documentId: string, senderId: string): Promise<DocumentOpenView> {
    const row = this.requireDocument(documentId);
    const entry = this.open.get(documentId) ?? this.register(documentId);
    entry.openers.add(senderId);
    const content = row.contentStale
      ? await this.materialize(documentId)
      : (JSON.parse(row.content) as TiptapDoc);
    return { documentId, state: this.storedState(documentId), content, updatedAt: row.updatedAt };
  }

  /** Edits of this document not yet confirmed by the server (pending or refused). */
  hasPendingEdits(documentId: string): boolean {
    return this.documents.hasPendingUpdates(documentId);
  }

  async closeDocument(documentId: string, senderId: string): Promise<void> {
    const entry = this.open.get(documentId);
    if (!entry) return;
    entry.openers.delete(senderId);
    if (entry.openers.size > 0) return;
    this.onLeft?.(documentId);
    await this.flushMaterialize(documentId);
    if (entry.openers.size === 0) this.open.delete(documentId);
  }

  /** Closes everything a window had open (it went away without saying so). */
  closeAllFor(senderId: string): void {
    for (const [documentId, entry] of this.open) {
      if (entry.openers.has(senderId)) void this.closeDocument(documentId, senderId);
    }
  }

  /**
   * A local edit made in main (quick capture's append): `change` edits main's copy of the document and the
   * resulting delta is saved exactly like an editor's update. If the caller's transaction later rolls back,
   * it must `reloadFromStoredUpdates` so main's copy drops the change.
   */
  applyLocalChange(
    documentId: string,
    change: (doc: Y.Doc) => void,
    senderId: string | null,
  ): DocumentSaveView {
    this.requireDocument(documentId);
    const doc = this.docOf(this.open.get(documentId) ?? this.register(documentId), documentId);
    const before = Y.encodeStateVector(doc);
    doc.transact(() => change(doc), 'local');
    return this.applyUpdate(documentId, Y.encodeStateAsUpdate(doc, before), senderId);
  }

  applyUpdate(documentId: string, update: Uint8Array, senderId: string | null): DocumentSaveView {
    const row = this.requireDocument(documentId);
    const entry = this.open.get(documentId) ?? this.register(documentId);
    try {
      Y.applyUpdate(this.docOf(entry, documentId), update, 'local');
    } catch (error) {
      throw badRequest('Not a valid Yjs update', [
        { path: 'update', message: error instanceof Error ? error.message : 'unreadable' },
      ]);
    }
    const now = this.saveUpdate(row, update);
    this.events.emit(
      'document.updated',
      { accountId: this.replica.accountId, documentId, update, origin: senderId ?? 'core' },
      senderId,
    );
    this.scheduleMaterialize(documentId, entry);
    this.onLocalEdit?.(documentId);
    return { documentId, savedAt: now };
  }

  /**
   * A new, empty document's first content written in main (a Markdown import): saved and sent like an edit,
   * its materialised JSON and text stored at once (no Y.Doc is kept open). It is not a local edit of a page
   * someone is writing, so no automatic version follows (the import's root can be trashed to undo it).
   */
  writeNew(documentId: string, content: TiptapDoc, conversion: DocumentConversion): void {
    const row = this.requireDocument(documentId);
    const doc = conversion.documentToYDoc(content);
    const stored = conversion.readDocument(doc);
    this.replica.db.transaction(() => {
      this.saveUpdate(row, Y.encodeStateAsUpdate(doc));
      const saved = this.documents.get(documentId)!;
      this.documents.saveContent(
        documentId,
        JSON.stringify(stored),
        conversion.documentText(stored),
        saved.localRevision,
      );
    })();
    doc.destroy();
  }

  /** The update row and its outbox mutation, in one transaction; answers when. */
  private saveUpdate(row: DocumentRow, update: Uint8Array): string {
    const now = isoNow(this.clock);
    const updateId = newId(IdPrefix.update);
    const documentId = row.id;
    this.replica.db.transaction(() => {
      this.documents.insertUpdate(updateId, documentId, update, now);
      enqueueMutation(this.replica.db, row.notebookId, {
        id: newId(IdPrefix.mutation),
        createdAt: now,
        type: MutationType.documentUpdate,
        data: { documentId, updateId, data: toBase64(update), createdAt: now },
      });
    })();
    return now;
  }

  /**
   * Applies a server update inside the caller's transaction: merged into the confirmed state, our own pending
   * copy retired, the materialised JSON marked stale. Call `remoteUpdateCommitted` after the commit.
   */
  applyRemoteUpdate(
    documentId: string,
    notebookId: string,
    updateId: string,
    update: Uint8Array,
    at: string,
  ): void {
    // A page deleted for good takes no late update (it would come back as a document without a page).
    if (isTombstoned(this.replica.db, documentId)) return;
    if (!this.documents.get(documentId)) this.documents.insertEmpty(documentId, notebookId, at);
    dropPendingUpdate(this.replica.db, 'document', updateId);
    mergeIntoState(this.replica.db, 'document', documentId, [update]);
    this.documents.markStale(documentId, at);
  }

  /** A pending update was discarded: main's copy is rebuilt from the stored rows (editors see it on reopen). */
  reloadFromStoredUpdates(documentId: string, now: string): void {
    const entry = this.open.get(documentId);
    if (entry) entry.doc = null;
    this.documents.markStale(documentId, now);
  }

  /** After a batch of remote updates committed: open editors merge them, open documents re-materialise. */
  remoteUpdateCommitted(documentId: string, update: Uint8Array): void {
    this.onRemoteCommitted?.(documentId);
    const entry = this.open.get(documentId);
    if (!entry) {
      this.materializeStaleSoon();
      return;
    }
    if (entry.doc) Y.applyUpdate(entry.doc, update, 'remote');
    this.events.emit('document.updated', {
      accountId: this.replica.accountId,
      documentId,
      update,
      origin: 'sync',
    });
    this.scheduleMaterialize(documentId, entry);
  }

  /** Current content as TipTap JSON (materialising first if edits are newer than the stored JSON). */
  async content(documentId: string): Promise<TiptapDoc> {
    const row = this.requireDocument(documentId);
    return row.contentStale ? this.materialize(documentId) : (JSON.parse(row.content) as TiptapDoc);
  }

  /**
   * Stops background work. Unwritten materialisations are not lost: their rows stay marked stale and are
   * rebuilt from the Yjs rows on next open.
   */
  stop(): void {
    this.stopped = true;
    if (this.staleTimer) clearTimeout(this.staleTimer);
    for (const entry of this.open.values()) if (entry.materializeTimer) clearTimeout(entry.materializeTimer);
    this.open.clear();
  }

  /**
   * Materialises every stale document that is not waiting for its own timer (an open one being edited), a
   * few per turn of the event loop, so search sees text that arrived from elsewhere or was left stale by a
   * crash. `documents.content_stale` is the durable queue: nothing is lost if the app stops half-way.
   */
  materializeStaleSoon(delayMs = REMOTE_MATERIALIZE_DELAY_MS): void {
    if (this.stopped || this.staleTimer) return;
    this.staleTimer = setTimeout(() => {
      this.staleTimer = null;
      void this.materializeStale();
    }, delayMs);
    this.staleTimer.unref?.();
  }

  /** One pass over the stale documents (resolves when none is left that can be done now). */
  async materializeStale(): Promise<number> {
    if (this.staleRunning) return 0;
    this.staleRunning = true;
    let done = 0;
    // A document edited again while it is materialised stays stale: it is taken once more, not forever.
    const tries = new Map<string, number>();
    try {
      // Checked before each read: the account may close (quit, sign-out) while a pass waits between turns.
      while (!this.stopped) {
        const ids = this.documents
          .staleIds(STALE_BATCH + this.unreadable.size + this.open.size + tries.size)
          .filter(
            (id) =>
              !this.unreadable.has(id) && !this.open.get(id)?.materializeTimer && (tries.get(id) ?? 0) < 2,
          )
          .slice(0, STALE_BATCH);
        if (ids.length === 0) break;
        for (const id of ids) {
          if (this.stopped) break;
          tries.set(id, (tries.get(id) ?? 0) + 1);
          try {
            await this.materialize(id);
            done++;
          } catch (error) {
            if (!this.stopped) this.setAsideUnreadable(id, error);
          }
        }
        if (this.stopped) break;
        this.events.emit('search.changed', { accountId: this.replica.accountId });
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.staleRunning = false;
    }
    return done;
  }

  private storedState(documentId: string): Uint8Array {
    const state = this.documents.state(documentId);
    const blobs = [...(state ? [state] : []), ...this.documents.pendingUpdates(documentId)];
    return blobs.length === 1 ? blobs[0]! : Y.mergeUpdates(blobs);
  }

  private register(documentId: string): OpenDocument {
    const entry: OpenDocument = { doc: null, openers: new Set(), materializeTimer: null };
    this.open.set(documentId, entry);
    return entry;
  }

  /** Main's Y.Doc of a document, decoded from the stored rows on first need. */
  private docOf(entry: OpenDocument, documentId: string): Y.Doc {
    entry.doc ??= this.decode(documentId);
    return entry.doc;
  }

  private scheduleMaterialize(documentId: string, entry: OpenDocument): void {
    if (entry.materializeTimer) clearTimeout(entry.materializeTimer);
    entry.materializeTimer = setTimeout(() => {
      entry.materializeTimer = null;
      this.materialize(documentId)
        .catch((error: unknown) => {
          if (!this.stopped) this.setAsideUnreadable(documentId, error);
        })
        .finally(() => {
          if (entry.openers.size === 0 && !entry.materializeTimer) this.open.delete(documentId);
        });
    }, MATERIALIZE_DELAY_MS);
    entry.materializeTimer.unref?.();
  }

  private async flushMaterialize(documentId: string): Promise<void> {
    const entry = this.open.get(documentId);
    if (!entry?.materializeTimer) return;
    clearTimeout(entry.materializeTimer);
    entry.materializeTimer = null;
    await this.materialize(documentId);
  }

  /** Kept stale (it is rebuilt from the Yjs rows when opened); not retried in a loop. */
  private setAsideUnreadable(documentId: string, error: unknown): void {
    this.unreadable.add(documentId);
    console.warn(`document ${documentId} could not be materialised:`, error);
  }

  private async materialize(documentId: string): Promise<TiptapDoc> {
    const { readDocument, documentText } = await documentConversion();
    // The converter loads on first use: the account may have closed meanwhile, and its database with it (the
    // row stays stale and is rebuilt on next open). Nothing may touch the closed database.
    if (this.stopped) throw new Error('The account was closed before the document was materialised');
    const row = this.documents.get(documentId);
    if (!row) return { type: 'doc', content: [] };
    const entry = this.open.get(documentId);
    const doc = entry ? this.docOf(entry, documentId) : this.decode(documentId);
    const content = readDocument(doc);
    const saved = this.documents.saveContent(
      documentId,
      JSON.stringify(content),
      documentText(content),
      row.localRevision,
    );
    if (saved && entry) this.events.emit('search.changed', { accountId: this.replica.accountId });
    return content;
  }

  private decode(documentId: string): Y.Doc {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, this.storedState(documentId));
    return doc;
  }

  private requireDocument(documentId: string): DocumentRow {
    const row = this.documents.get(documentId);
    if (!row) throw notFound('Document', documentId);
    return row;
  }
}
