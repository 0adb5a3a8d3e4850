import { createHash } from 'node:crypto';
import type { UploaderOptions } from '../../src/main/files/file-uploader';

/** Small chunks and quick retries, so a test sees many saved offsets and can stop an upload in the middle. */
export const FILE_TEST_UPLOADER: Partial<UploaderOptions> = {
  chunkSize: 64 * 1024,
  retry: { baseMs: 20, maxMs: 300 },
};

export const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** A real 1x1 PNG: its bytes, not its name, make it an image block. */
export const ONE_PIXEL_PNG = Uint8Array.from(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  ),
);
