import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
// A pure module: the node typecheck must not pull in React's global DOM stubs (they break Playwright's types).
import { bytesRetryDelay } from '../../src/renderer/features/files/file-retry';

describe('retrying an image that is not on this device yet', () => {
  it('waits 1 s after the first failure, doubling up to 30 s', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 50].map(bytesRetryDelay),
      [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000],
    );
  });
});
