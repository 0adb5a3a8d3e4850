import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRetryAfter } from '../../src/main/accounts/server-client';
import { backoffDelay } from '../../src/main/sync/backoff';
import { FramePacer } from '../../src/main/sync/frame-pacer';
import { seededRandom } from '../support/random';

describe('retry pacing', () => {
  it('full-jitter backoff stays within min(max, base·2^attempt) and honours Retry-After as a floor', () => {
    const random = seededRandom(7);
    const policy = { baseMs: 100, maxMs: 5_000 };
    for (let attempt = 0; attempt < 40; attempt++) {
      const delay = backoffDelay(attempt, policy, random);
      assert.ok(delay >= 0 && delay <= Math.min(5_000, 100 * 2 ** attempt), `attempt ${attempt}: ${delay}`);
    }
    assert.equal(
      backoffDelay(0, policy, () => 0.5, 3_000),
      3_000,
    );
    assert.equal(
      backoffDelay(10, policy, () => 1, 3_000),
      5_000,
    );
    assert.equal(parseRetryAfter('2'), 2_000);
    assert.ok((parseRetryAfter(new Date(Date.now() + 60_000).toUTCString()) ?? 0) > 50_000);
    assert.equal(parseRetryAfter('soon'), null);
    assert.equal(parseRetryAfter(null), null);
  });

  it('the frame pacer sends at most N frames per second, in order, newest input per stream', async () => {
    const sent: string[] = [];
    const pacer = new FramePacer(3, (text) => sent.push(text));
    for (const frame of ['a1', 'b1', 'c1', 'd1', 'e1']) pacer.push(frame, frame[0]);
    pacer.push('d2', 'd');
    assert.deepEqual(sent, ['a1', 'b1', 'c1']);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    assert.deepEqual(sent, ['a1', 'b1', 'c1', 'd2', 'e1']);
    pacer.clear();
  });
});
