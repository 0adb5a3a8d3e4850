import { createHash } from 'node:crypto';
import type { UploaderOptions } from '../../src/main/files/file-uploader';

/** Small chunks and quick retries, so a test sees many saved offsets and can stop an upload in the middle. */
export const FILE_TEST_UPLOADER: Partial<UploaderOptions> = {
  chunkSize: 64 * 1024,
  retry: { baseMs: 20, maxMs: 300 },
};

export const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
