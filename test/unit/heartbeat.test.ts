import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeartbeatAction, HeartbeatMonitor } from '../../src/shared/lib/heartbeat';

const INTERVAL = 1_000;

/** Ticks at the given times (ms since start) and answers what the monitor said for each. */
function ticks(
  monitor: HeartbeatMonitor,
  at: readonly number[],
  heardBefore: ReadonlySet<number> = new Set(),
) {
  return at.map((now) => {
    if (heardBefore.has(now)) monitor.heard();
    return monitor.tick(now);
  });
}

describe('heartbeat monitor', () => {
  it('pings, and gives up on a ping left unanswered for a whole interval of running', () => {
    const monitor = new HeartbeatMonitor(INTERVAL, 0);
    assert.deepEqual(ticks(monitor, [1_000, 2_000]), [HeartbeatAction.ping, HeartbeatAction.dead]);
  });

  it('anything heard in between keeps the connection: a ping every interval', () => {
    const monitor = new HeartbeatMonitor(INTERVAL, 0);
    assert.deepEqual(ticks(monitor, [1_000, 2_000, 3_000], new Set([2_000, 3_000])), [
      HeartbeatAction.ping,
      HeartbeatAction.ping,
      HeartbeatAction.ping,
    ]);
  });

  it('a late tick (the process was blocked) waits for the next one instead of cutting the link', () => {
    const monitor = new HeartbeatMonitor(INTERVAL, 0);
    // Pinged at 1 s; the loop was blocked until 4 s, with the answer possibly unread in the socket.
    assert.deepEqual(ticks(monitor, [1_000, 4_000]), [HeartbeatAction.ping, HeartbeatAction.wait]);
    // Read by then: alive.
    monitor.heard();
    assert.equal(monitor.tick(5_000), HeartbeatAction.ping);
    // Not read after an interval of running: dead.
    const silent = new HeartbeatMonitor(INTERVAL, 0);
    assert.deepEqual(ticks(silent, [1_000, 4_000, 5_000]), [
      HeartbeatAction.ping,
      HeartbeatAction.wait,
      HeartbeatAction.dead,
    ]);
  });

  it('a tick only slightly late is judged as usual', () => {
    const monitor = new HeartbeatMonitor(INTERVAL, 0);
    assert.deepEqual(ticks(monitor, [1_000, 2_400]), [HeartbeatAction.ping, HeartbeatAction.dead]);
  });

  it('excuses at most three late ticks in a row: a machine that never catches up still notices a dead link', () => {
    const monitor = new HeartbeatMonitor(INTERVAL, 0);
    assert.deepEqual(ticks(monitor, [1_000, 3_000, 5_000, 7_000, 9_000]), [
      HeartbeatAction.ping,
      HeartbeatAction.wait,
      HeartbeatAction.wait,
      HeartbeatAction.wait,
      HeartbeatAction.dead,
    ]);
  });
});
