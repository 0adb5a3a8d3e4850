import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TransferView } from '../../src/shared/contract';
import {
  percentDone,
  progressText,
  timeLeft,
  transferStatusText,
} from '../../src/renderer/features/files/transfer-text';

const MB = 1024 * 1024;
const transfer = (over: Partial<TransferView>): TransferView => ({
  fileId: 'fl_1',
  notebookId: 'nb_1',
  nodeId: null,
  name: 'a.png',
  size: 10 * MB,
  direction: 'upload',
  status: 'active',
  doneBytes: 0,
  bytesPerSecond: null,
  error: null,
  ...over,
});

describe('Transfers view text', () => {
  it('percent is floored, capped, and 100 for an empty file', () => {
    assert.deepEqual(
      [percentDone(0, 10), percentDone(999, 1000), percentDone(12, 10), percentDone(0, 0)],
      [0, 99, 100, 100],
    );
  });

  it('time left in seconds, minutes, hours; none without a speed', () => {
    assert.deepEqual(
      [
        timeLeft(10 * MB, 5 * MB, MB),
        timeLeft(10 * MB, 10 * MB - 1, MB),
        timeLeft(600 * MB, 0, MB),
        timeLeft(3_900 * MB, 0, MB),
        timeLeft(3_600 * MB, 0, MB),
        timeLeft(10 * MB, 0, null),
        timeLeft(10 * MB, 0, 0),
        timeLeft(0, 0, MB),
      ],
      ['5 s left', '1 s left', '10 min left', '1 h 5 min left', '1 h left', null, null, null],
    );
  });

  it('each state says what it is doing, with the progress known', () => {
    const half = { doneBytes: 5 * MB, bytesPerSecond: MB };
    assert.deepEqual(
      [
        transferStatusText(transfer(half)),
        transferStatusText(transfer({ ...half, status: 'waiting', bytesPerSecond: null })),
        transferStatusText(transfer({ ...half, status: 'paused', bytesPerSecond: null })),
        transferStatusText(transfer({ status: 'failed', error: 'too large' })),
        transferStatusText(
          transfer({ direction: 'download', size: 0, doneBytes: 2048, bytesPerSecond: 1024 }),
        ),
        transferStatusText(transfer({ direction: 'download', status: 'failed' })),
      ],
      [
        'Uploading · 50% · 5.0 MB of 10 MB · 1.0 MB/s · 5 s left',
        'Waiting to upload · 50% · 5.0 MB of 10 MB',
        'Upload paused · 50% · 5.0 MB of 10 MB',
        'Not uploaded · kept on this device',
        'Downloading · 2.0 KB · 1.0 KB/s',
        'Download failed',
      ],
    );
    assert.equal(progressText(transfer({ size: 0, doneBytes: 1 })), '1 byte');
  });
});
