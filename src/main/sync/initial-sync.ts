import type { SyncStatusView } from '../../shared/contract';
import type { ServerClient } from '../accounts/server-client';
import type { Clock } from '../lib/clock';
import type { Db } from '../db/open';
import { cursorValue, saveCursor, storedNodeCount } from './sync.repository';

/** `cursors` row (epoch ms) marking a notebook whose first download finished; not a stream. */
const doneKey = (notebookId: string): string => `sync.initialDone.${notebookId}`;

/** What the engine should do about a first download that stopped making progress. */
export type StallAction = 'none' | 'resend' | 'reset';

/**
 * Notices a first download that stopped making progress (pure: times are passed in, so tests need no sleep).
 * While items are expected, `stallMs` without progress makes it stalled (`stalledSince` = the last progress);
 * while connected, each further `stallMs` without progress asks for an action: re-send the inputs (and ask the
 * counts again), and at 2 periods reset the socket instead, then only after 4, 8, 16… periods (counted from the
 * new connection's greeting): a wedged connection is replaced at once, but a download that can never finish (a
 * count that never matches) is reconnected ever more rarely. Any progress starts over.
 */
export class StallWatch {
  /** When the last progress happened (or items started being expected), null while nothing is expected. */
  private lastProgress: number | null = null;
  /** Periods count from here: the last progress or the last connect, whichever is later. */
  private base = 0;
  private periodsActed = 0;
  private nextReset = 2;

  constructor(private readonly stallMs: number) {}

  /** Items are expected (a notebook is downloading) or not any more. */
  expect(expecting: boolean, now: number): void {
    if (!expecting) this.lastProgress = null;
    else if (this.lastProgress === null) this.mark(now);
  }

  /** Something was applied: the download moves (ignored while nothing is expected). */
  progressed(now: number): void {
    if (this.lastProgress !== null) this.mark(now);
  }

  /**
   * A new connection greeted us: give it a whole period before acting again (the stall stays shown). Resets
   * stay as rare as they had become: a download that cannot finish is not reconnected every two periods.
   */
  connected(now: number): void {
    this.base = now;
    this.periodsActed = 0;
  }

  /** The last progress, once `stallMs` passed without any; else null. */
  stalledSince(now: number): number | null {
    return this.lastProgress !== null && now - this.lastProgress >= this.stallMs ? this.lastProgress : null;
  }

  /** Called regularly: what to do now (each period acts once; nothing while disconnected). */
  action(now: number, connected: boolean): StallAction {
    if (this.lastProgress === null || !connected) return 'none';
    const periods = Math.floor((now - this.base) / this.stallMs);
    if (periods <= this.periodsActed) return 'none';
    this.periodsActed = periods;
    if (periods < this.nextReset) return 'resend';
    while (this.nextReset <= periods) this.nextReset *= 2;
    return 'reset';
  }

  private mark(now: number): void {
    this.lastProgress = now;
    this.connected(now);
    this.nextReset = 2;
  }
}

/**
 * Progress of the first download of an account's notebooks, for the sync indicator: for each notebook not yet
 * downloaded once, the server's node count (`GET …/nodes?limit=1`, asked on every connect and periodically)
 * against the nodes stored so far. Resuming needs nothing extra: stream cursors are saved with every batch,
 * so an interrupted download continues where it stopped and the count picks up from what is stored. A download
 * without progress for a while is reported as stalled and acted on (`StallWatch`).
 */
export class InitialSyncTracker {
  /** Notebook id → the server's node count, for notebooks still downloading. */
  private readonly totals = new Map<string, number>();
  private readonly watch: StallWatch;
  /** Whether the last status said stalled (a change is published). */
  private reportedStalled = false;

  constructor(
    private readonly db: Db,
    private readonly client: ServerClient,
    private readonly clock: Clock,
    stallMs: number,
  ) {
    this.watch = new StallWatch(stallMs);
  }

  /** Asks the server how much there is for every notebook not downloaded once yet. */
  async refresh(notebookIds: readonly string[], signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const unknown = notebookIds.filter((id) => !this.isDone(id));
    // Unknown for now when it fails (offline, no access): asked again on the next connect or period.
    const counts = await Promise.all(
      unknown.map((id) =>
        this.client.nodeCount(id).then(
          (total) => [id, total] as const,
          () => null,
        ),
      ),
    );
    if (signal.aborted) return;
    for (const entry of counts) if (entry) this.totals.set(entry[0], entry[1]);
    this.settle(this.clock.now());
  }

  /** Marks the notebooks whose stored node count reached the server's; answers whether anything finished. */
  settle(now: Date): boolean {
    let finished = false;
    for (const [notebookId, total] of this.totals) {
      if (this.stored(notebookId) < total) continue;
      saveCursor(this.db, doneKey(notebookId), now.getTime(), now.toISOString());
      this.totals.delete(notebookId);
      finished = true;
    }
    this.watch.expect(this.totals.size > 0, now.getTime());
    return finished;
  }

  /** A batch of the account's streams was applied: the download moves. */
  progressed(now: Date): void {
    this.watch.progressed(now.getTime());
  }

  /** The socket greeted us (inputs are being sent again). */
  connected(now: Date): void {
    this.watch.connected(now.getTime());
  }

  /** What to do about a download without progress, and whether its stalled state changed (to publish). */
  checkStall(connected: boolean): { action: StallAction; changed: boolean } {
    const now = this.clock.now().getTime();
    const stalled = this.watch.stalledSince(now) !== null;
    const changed = stalled !== this.reportedStalled;
    this.reportedStalled = stalled;
    return { action: this.watch.action(now, connected), changed };
  }

  get pending(): readonly string[] {
    return [...this.totals.keys()];
  }

  progress(): SyncStatusView['initialSync'] {
    if (this.totals.size === 0) return null;
    let done = 0;
    let total = 0;
    for (const [notebookId, count] of this.totals) {
      done += Math.min(this.stored(notebookId), count);
      total += count;
    }
    const stalled = this.watch.stalledSince(this.clock.now().getTime());
    this.reportedStalled = stalled !== null;
    return {
      notebooks: this.totals.size,
      done,
      total,
      stalledSince: stalled === null ? null : new Date(stalled).toISOString(),
    };
  }

  private isDone(notebookId: string): boolean {
    return cursorValue(this.db, doneKey(notebookId)) !== undefined;
  }

  private stored(notebookId: string): number {
    return storedNodeCount(this.db, notebookId);
  }
}
