/**
 * Keeps client frames under the server's flood limit (`SyncLimits.maxFramesPerSecond`): at most `perSecond`
 * frames in any one-second window, the rest wait in order. Frames queued under the same key replace each
 * other (a newer `sync.input` of a stream supersedes a queued older one), keeping their place in line.
 */
export class FramePacer {
  private readonly queue = new Map<string, string>();
  private sentAt: number[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private uniqueKey = 0;

  constructor(
    private readonly perSecond: number,
    private readonly write: (text: string) => void,
  ) {}

  push(text: string, key = `#${this.uniqueKey++}`): void {
    this.queue.set(key, text);
    this.drain();
  }

  clear(): void {
    this.queue.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private drain(): void {
    const now = Date.now();
    this.sentAt = this.sentAt.filter((at) => now - at < 1_000);
    for (const [key, text] of this.queue) {
      if (this.sentAt.length >= this.perSecond) break;
      this.queue.delete(key);
      this.sentAt.push(now);
      this.write(text);
    }
    if (this.queue.size > 0 && !this.timer) {
      this.timer = setTimeout(
        () => {
          this.timer = null;
          this.drain();
        },
        1_000 - (now - this.sentAt[0]!),
      );
    }
  }
}
