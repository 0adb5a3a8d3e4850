/** What the heartbeat timer should do on this tick. */
export const HeartbeatAction = {
  /** Nothing is outstanding: send a ping. */
  ping: 'ping',
  /** A ping is outstanding but this tick came late: judge on the next one. */
  wait: 'wait',
  /** A ping went unanswered for a whole interval in which this process was running: the link is dead. */
  dead: 'dead',
} as const;
export type HeartbeatAction = (typeof HeartbeatAction)[keyof typeof HeartbeatAction];

/** Consecutive late ticks excused before a silent connection is given up anyway. */
const MAX_EXCUSED_TICKS = 3;

/**
 * Decides when a silent socket is dead (the client's sync socket and the server's side of each one). A tick
 * that fires well after its time means this process was blocked (a long apply, a loaded machine, a laptop
 * waking up): the peer's answer may be sitting unread in the socket, because timers run before the event
 * loop reads the network. Judging then would cut a healthy connection and start a catch-up that blocks the
 * loop again — on a busy machine, over and over. So a late tick defers the verdict to the next one (at most
 * a few times in a row), and anything the peer sends, not only a pong, proves the connection alive.
 */
export class HeartbeatMonitor {
  private awaiting = false;
  private excused = 0;
  private lastTickAt: number;

  constructor(
    private readonly intervalMs: number,
    now: number,
  ) {
    this.lastTickAt = now;
  }

  /** Something arrived from the peer. */
  heard(): void {
    this.awaiting = false;
    this.excused = 0;
  }

  tick(now: number): HeartbeatAction {
    const late = now - this.lastTickAt > this.intervalMs * 1.5;
    this.lastTickAt = now;
    if (!this.awaiting) {
      this.awaiting = true;
      return HeartbeatAction.ping;
    }
    if (late && this.excused < MAX_EXCUSED_TICKS) {
      this.excused++;
      return HeartbeatAction.wait;
    }
    return HeartbeatAction.dead;
  }
}
