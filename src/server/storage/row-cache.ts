/**
 * Rows as stored, by id (null = known absent), most recently used last; bounded by entries and by the bytes
 * `size` counts for a row. Only the repository that writes these rows may keep one: it must put every row it
 * writes and forget everything whenever a write may have been undone or may have cascaded (see
 * SqliteNotesRepository).
 */
export class RowCache<T> {
  private readonly rows = new Map<string, T | null>();
  private bytes = 0;

  constructor(
    private readonly size: (row: T) => number,
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  /** The row (null: known absent), or undefined when the cache does not know. */
  get(id: string): T | null | undefined {
    const row = this.rows.get(id);
    if (row !== undefined) this.set(id, row);
    return row;
  }

  /** Without touching its place in the order (a peek). */
  peek(id: string): T | null | undefined {
    return this.rows.get(id);
  }

  set(id: string, row: T | null): void {
    this.drop(id);
    this.rows.set(id, row);
    this.bytes += row === null ? 0 : this.size(row);
    // Map iteration order is insertion order: the first entries are the least recently used.
    for (const oldest of this.rows.keys()) {
      if (this.rows.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.drop(oldest);
    }
  }

  clear(): void {
    this.rows.clear();
    this.bytes = 0;
  }

  private drop(id: string): void {
    const row = this.rows.get(id);
    if (row === undefined) return;
    this.rows.delete(id);
    this.bytes -= row === null ? 0 : this.size(row);
  }
}
