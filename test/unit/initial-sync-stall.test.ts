import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StallWatch } from '../../src/main/sync/initial-sync';

const STALL = 30_000;

describe('first-download stall watch (explicit times, no sleeping)', () => {
  it('reports a download without progress for a period, and clears on progress', () => {
    const watch = new StallWatch(STALL);
    assert.equal(watch.stalledSince(0), null, 'nothing expected: never stalled');
    watch.expect(true, 1_000);
    assert.equal(watch.stalledSince(1_000 + STALL - 1), null);
    assert.equal(watch.stalledSince(1_000 + STALL), 1_000, 'stalled since the last progress');
    watch.progressed(50_000);
    assert.equal(watch.stalledSince(50_000 + STALL - 1), null);
    assert.equal(watch.stalledSince(50_000 + STALL), 50_000);
    watch.expect(false, 90_000);
    assert.equal(watch.stalledSince(500_000), null, 'finished: nothing expected any more');
    watch.progressed(600_000);
    assert.equal(watch.stalledSince(10_000_000), null, 'progress while nothing is expected starts nothing');
  });

  it('acts once per period while connected: re-send, then reset at 2, 4, 8… periods', () => {
    const watch = new StallWatch(STALL);
    watch.expect(true, 0);
    const actions: string[] = [];
    for (let t = 0; t <= 17 * STALL; t += STALL / 4) {
      const action = watch.action(t, true);
      if (action !== 'none') actions.push(`${t / STALL}:${action}`);
    }
    assert.deepEqual(actions, [
      '1:resend',
      '2:reset',
      '3:resend',
      '4:reset',
      '5:resend',
      '6:resend',
      '7:resend',
      '8:reset',
      '9:resend',
      '10:resend',
      '11:resend',
      '12:resend',
      '13:resend',
      '14:resend',
      '15:resend',
      '16:reset',
      '17:resend',
    ]);
  });

  it('waits while disconnected, gives a new connection a whole period, and starts over after progress', () => {
    const watch = new StallWatch(STALL);
    watch.expect(true, 0);
    assert.equal(watch.action(5 * STALL, false), 'none', 'offline: the reconnect backoff is at work');
    assert.equal(watch.stalledSince(5 * STALL), 0, 'but it is shown');
    watch.connected(5 * STALL);
    assert.equal(watch.action(5 * STALL + 1, true), 'none', 'just greeted: not reset at once');
    assert.equal(watch.stalledSince(5 * STALL + 1), 0, 'still shown until something arrives');
    assert.equal(watch.action(6 * STALL, true), 'resend');
    assert.equal(watch.action(7 * STALL, true), 'reset');
    watch.progressed(7 * STALL + 10);
    assert.equal(watch.stalledSince(7 * STALL + 10), null);
    assert.equal(watch.action(8 * STALL, true), 'none', 'progress starts the periods over');
    assert.equal(watch.action(8 * STALL + 10, true), 'resend');
  });

  it('resets ever more rarely while a download never moves, however often it reconnects', () => {
    const watch = new StallWatch(STALL);
    watch.expect(true, 0);
    const resets: number[] = [];
    let now = 0;
    while (resets.length < 4) {
      now += STALL / 4;
      if (watch.action(now, true) !== 'reset') continue;
      resets.push(now / STALL);
      watch.connected(now + 100); // the engine terminated the socket; the next one greets us at once
    }
    assert.deepEqual(resets.map((at, i) => at - (resets[i - 1] ?? 0)).map(Math.floor), [2, 4, 8, 16]);
  });

  it('skipped checks (a sleeping laptop) act once, with the strongest action due', () => {
    const watch = new StallWatch(STALL);
    watch.expect(true, 0);
    assert.equal(watch.action(5 * STALL, true), 'reset');
    assert.equal(watch.action(5 * STALL + 1, true), 'none');
    assert.equal(watch.action(6 * STALL, true), 'resend');
    assert.equal(watch.action(8 * STALL, true), 'reset');
  });
});
