import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { envelope, useServer } from './helpers';

describe('avatars', () => {
  const { client } = useServer();

  const image = (format: 'png' | 'webp' | 'jpeg', width: number, height: number) =>
    sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } })
      .toFormat(format)
      .toBuffer();

  it('turns JPEG, PNG and WebP uploads into 500×500 JPEGs', async () => {
    const alice = client();
    for (const [format, type] of [
      ['png', 'image/png'],
      ['webp', 'image/webp'],
      ['jpeg', 'image/jpeg'],
    ] as const) {
      const body = await image(format, 800, 300);
      const response = await fetch(`${alice.baseUrl}/api/v1/notes/avatars`, {
        method: 'POST',
        headers: { authorization: `Bearer ${alice.token}`, 'content-type': type },
        body,
      });
      assert.equal(response.status, 200, format);
      const result = (await response.json()) as { success: boolean; id: string };
      assert.equal(result.success, true);
      const download = await fetch(`${alice.baseUrl}/api/v1/notes/avatars/${result.id}`, {
        headers: { authorization: `Bearer ${alice.token}` },
      });
      assert.equal(download.status, 200);
      assert.equal(download.headers.get('content-type'), 'image/jpeg');
      const metadata = await sharp(Buffer.from(await download.arrayBuffer())).metadata();
      assert.deepEqual([metadata.format, metadata.width, metadata.height], ['jpeg', 500, 500]);
    }
  });

  it('refuses non-images with avatar_file_not_uploaded, and unknown ids with 404', async () => {
    const alice = client();
    const cases: [string, Buffer][] = [
      ['image/png', Buffer.from('definitely not a png')],
      ['image/png', Buffer.alloc(0)],
      ['image/gif', await image('png', 10, 10)],
      ['application/octet-stream', await image('png', 10, 10)],
    ];
    for (const [type, body] of cases) {
      const response = await fetch(`${alice.baseUrl}/api/v1/notes/avatars`, {
        method: 'POST',
        headers: { authorization: `Bearer ${alice.token}`, 'content-type': type },
        body,
      });
      assert.equal(response.status, 400, `${type} ${body.length}`);
      assert.equal(envelope(await response.json()).code, 'avatar_file_not_uploaded');
    }
    const missing = await alice.get('/avatars/av_missing');
    assert.equal(missing.status, 404);
  });
});
