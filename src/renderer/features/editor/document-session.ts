import * as Y from 'yjs';
import type { Api } from '../../../shared/contract/transport';
import { missingFirstBlock } from '../../../shared/crdt/first-block';

/** Origin of updates that came from the core: they are already saved, so they are never sent back. */
export const REMOTE_ORIGIN = Symbol('hoody-remote');
/** Origin of the first paragraph shown to someone who may not edit the page: held back, not sent. */
const HELD_ORIGIN = Symbol('hoody-held');

export type SaveState =
  { kind: 'saved'; savedAt: string | null } | { kind: 'saving' } | { kind: 'error'; message: string };

/**
 * One open document: a Y.Doc seeded from the core's state, every local update sent with `document.update`,
 * every `document.updated` event merged in. An edit counts as saved only once the core acknowledged it;
 * updates the core did not take are kept and sent again by `retry()` (Yjs updates are idempotent).
 */
export class DocumentSession {
  readonly doc = new Y.Doc();
  private inFlight = 0;
  private unsent: Uint8Array[] = [];
  private failure = '';
  private savedAt: string | null = null;
  private state: SaveState = { kind: 'saved', savedAt: null };
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: () => void;
  private heldFirstBlock: Uint8Array | null = null;

  constructor(
    private readonly api: Api,
    private readonly accountId: string,
    readonly documentId: string,
    initialState: Uint8Array,
  ) {
    Y.applyUpdate(this.doc, initialState, REMOTE_ORIGIN);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE_ORIGIN && origin !== HELD_ORIGIN) this.send(update);
    });
    this.unsubscribe = api.subscribe('document.updated', (event) => {
      if (event.accountId === accountId && event.documentId === documentId) {
        Y.applyUpdate(this.doc, event.update, REMOTE_ORIGIN);
      }
    });
  }

  saveState = (): SaveState => this.state;

  /**
   * Gives an empty document its shared first paragraph (saved like any edit) before an editor binds to it,
   * so the editor does not write a paragraph of its own (see first-block.ts). `save: false` for a role that
   * may not edit: the paragraph is shown but not sent (the server would refuse it), until a call with
   * `save: true` (the role was raised) sends it, before anything typed on top of it.
   */
  ensureFirstBlock(save = true): void {
    const update = missingFirstBlock(this.doc, this.documentId);
    if (update) {
      if (!save) this.heldFirstBlock = update;
      Y.applyUpdate(this.doc, update, save ? null : HELD_ORIGIN);
      return;
    }
    if (save && this.heldFirstBlock) {
      const held = this.heldFirstBlock;
      this.heldFirstBlock = null;
      this.send(held);
    }
  }

  onSaveState = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * After a reconnect: merge whatever changed while we were away (the core's full state; applying known
   * updates again is a no-op), register as an opener again, and send what the core never acknowledged.
   */
  async resync(): Promise<void> {
    const result = await this.api.invoke('document.open', {
      accountId: this.accountId,
      documentId: this.documentId,
    });
    if (result.ok) Y.applyUpdate(this.doc, result.value.state, REMOTE_ORIGIN);
    this.retry();
  }

  /** Sends again whatever the core did not acknowledge. */
  retry(): void {
    if (this.unsent.length === 0) return;
    const batch = this.unsent.splice(0);
    this.send(batch.length === 1 ? batch[0]! : Y.mergeUpdates(batch));
  }

  /** Stops listening; the Y.Doc is dropped with the editor that used it. */
  close(): void {
    this.retry();
    this.unsubscribe();
    void this.api.invoke('document.close', { accountId: this.accountId, documentId: this.documentId });
    this.doc.destroy();
  }

  private send(update: Uint8Array): void {
    this.inFlight++;
    this.refresh();
    void this.api
      .invoke('document.update', { accountId: this.accountId, documentId: this.documentId, update })
      .then((result) => {
        this.inFlight--;
        if (result.ok) this.savedAt = result.value.savedAt;
        else {
          this.unsent.push(update);
          this.failure = result.error.message;
        }
        this.refresh();
      });
  }

  private refresh(): void {
    const next: SaveState =
      this.inFlight > 0
        ? { kind: 'saving' }
        : this.unsent.length > 0
          ? { kind: 'error', message: this.failure }
          : { kind: 'saved', savedAt: this.savedAt };
    if (next.kind === this.state.kind && JSON.stringify(next) === JSON.stringify(this.state)) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}
