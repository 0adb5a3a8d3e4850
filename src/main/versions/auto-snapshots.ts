/**
 * When to take an automatic version of a page (docs/decisions/0011): after it was edited here and then left
 * idle for `idleMs` (or closed), at most one per `minIntervalMs` per page while it keeps changing. Only local
 * edits count: another device's edits arriving by sync take their snapshots there.
 */
export interface AutoSnapshotOptions {
  idleMs: number;
  minIntervalMs: number;
}

export const DEFAULT_AUTO_SNAPSHOTS: AutoSnapshotOptions = { idleMs: 3 * 60_000, minIntervalMs: 60 * 60_000 };

interface PageState {
  dirty: boolean;
  timer: ReturnType<typeof setTimeout> | null;
}

export class AutoSnapshots {
  private readonly pages = new Map<string, PageState>();
  private stopped = false;

  constructor(
    private readonly options: AutoSnapshotOptions,
    private readonly now: () => number,
    /** When the page's newest automatic version was taken (ms), or null. */
    private readonly lastTaken: (nodeId: string) => number | null,
    /** Takes the version (skips it if the content has not changed since the newest version). */
    private readonly take: (nodeId: string) => Promise<void>,
  ) {}

  /** The user (this device) edited the page. */
  edited(nodeId: string): void {
    if (this.stopped) return;
    const page = this.pages.get(nodeId) ?? { dirty: false, timer: null };
    this.pages.set(nodeId, page);
    page.dirty = true;
    this.schedule(nodeId, page, this.options.idleMs);
  }

  /** Every window left the page: it is idle now. */
  left(nodeId: string): void {
    const page = this.pages.get(nodeId);
    if (page?.dirty) this.schedule(nodeId, page, 0);
  }

  stop(): void {
    this.stopped = true;
    for (const page of this.pages.values()) if (page.timer) clearTimeout(page.timer);
    this.pages.clear();
  }

  private schedule(nodeId: string, page: PageState, delayMs: number): void {
    if (page.timer) clearTimeout(page.timer);
    if (this.stopped) return;
    page.timer = setTimeout(() => void this.fire(nodeId, page), delayMs);
    page.timer.unref?.();
  }

  private async fire(nodeId: string, page: PageState): Promise<void> {
    page.timer = null;
    if (!page.dirty || this.stopped) return;
    try {
      const last = this.lastTaken(nodeId);
      const wait = last === null ? 0 : last + this.options.minIntervalMs - this.now();
      // Still changing within the hour: one more snapshot once the hour is up (if it is still dirty then).
      if (wait > 0) return this.schedule(nodeId, page, wait);
      page.dirty = false;
      await this.take(nodeId);
    } catch {
      // The page went away, its content could not be read, or the account closed meanwhile: nothing to keep.
    }
    if (!page.dirty && !page.timer) this.pages.delete(nodeId);
  }
}
