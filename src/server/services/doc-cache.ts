import type * as Y from 'yjs';

interface Entry {
  doc: Y.Doc;
  /** The encoded state this doc holds, exactly as stored in the row it was built from. */
  state: Uint8Array;
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;

/**
 * Decoded Y.Docs of recently written nodes and documents, so a batch of edits to one object does not rebuild
 * its doc from the stored state for every mutation (decoding dominated applying mutations).
 *
 * Correctness never depends on the cache: `take` hands a doc out only if its state is byte-identical to the
 * state the caller just read from storage, and removes it, so a doc that a failed mutation half-changed can
 * never be handed out again. `put` is called after the row is written; if that write is later rolled back the
 * stored state differs and the entry simply misses.
 */
export class DocCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  /**
   * Bounded by entries and by encoded state bytes (a decoded doc takes several times its encoding in memory):
   * the default keeps a few thousand small objects or a handful of large documents; a state over 1/8 of the
   * budget is never cached (those documents are decoded per mutation, as without the cache).
   */
  constructor(
    private readonly maxEntries = 2_000,
    private readonly maxBytes = 8 * 1024 * 1024,
  ) {}

  /** The doc for `key` if it holds exactly `state`; the entry leaves the cache either way. */
  take(key: string, state: Uint8Array): Y.Doc | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.remove(key, entry);
    return sameBytes(entry.state, state) ? entry.doc : undefined;
  }

  put(key: string, doc: Y.Doc, state: Uint8Array): void {
    const previous = this.entries.get(key);
    if (previous) this.remove(key, previous);
    if (state.byteLength > this.maxBytes / 8) return;
    this.entries.set(key, { doc, state });
    this.bytes += state.byteLength;
    // Map iteration order is insertion order: the first entries are the least recently written.
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.remove(oldest, entry);
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry) this.remove(key, entry);
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.state.byteLength;
  }
}
