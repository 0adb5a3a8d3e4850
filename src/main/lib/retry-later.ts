/**
 * One pending retry with doubling backoff, for a sender that retries a whole run later (comments, versions):
 * `schedule` arms at most one timer (the next wait doubles up to `maxMs`), `succeeded` starts over from
 * `firstMs`, `stop` cancels for good. The timer never keeps the process alive.
 */
export class RetryLater {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private waitMs: number;
  private stopped = false;

  constructor(
    private readonly run: () => void,
    private readonly firstMs: number,
    private readonly maxMs: number,
  ) {
    this.waitMs = firstMs;
  }

  schedule(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.run();
    }, this.waitMs);
    this.timer.unref?.();
    this.waitMs = Math.min(this.waitMs * 2, this.maxMs);
  }

  succeeded(): void {
    this.waitMs = this.firstMs;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
