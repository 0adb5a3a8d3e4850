import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { FaultProxy } from '../support/sync';
import { serverFixture, twoDevicesOnOnePage } from './devices';
import { settlesTo } from './helpers';
import { images, pasteFiles } from './paste-files';

describe('images on two devices (browser mode, reference server)', () => {
  const fixture = serverFixture();

  test('an image not uploaded yet shows on the other device by itself once it arrives', async () => {
    const proxy = await FaultProxy.start(fixture.server.url);
    // Ann's uplink holds upload bodies: her edits reach Bob, the image's bytes do not (yet).
    let holdUploads = true;
    proxy.onRequest = (req: IncomingMessage) =>
      holdUploads && req.method === 'PATCH' && req.url?.endsWith('/tus') ? 120_000 : undefined;
    const { a, b } = await twoDevicesOnOnePage(fixture, 'Field trip', { aServerUrl: proxy.url });
    const png = await sharp({
      create: { width: 320, height: 180, channels: 3, background: { r: 200, g: 90, b: 40 } },
    })
      .png()
      .toBuffer();

    await pasteFiles(a.app.page, [{ name: 'cliff.png', type: 'image/png', bytes: [...png] }]);
    // On Ann's device at once, from her own copy.
    await settlesTo(
      async () => (await images(a.app.page)).map((i) => i.width),
      [320],
      "the image on Ann's device",
    );

    // Bob gets the block; its bytes are not on the server: he is told, and his device keeps trying.
    const missing = b.app.page.locator('.ProseMirror figure[data-type="image"] .image-missing');
    await missing
      // Never created there (404) or created but not complete (409): the same words for both.
      .filter({ hasText: /^cliff\.png is not on this device yet\. The file is not on the server/ })
      .waitFor();
    assert.deepEqual(await images(b.app.page), []);
    // Each failed try is a failed download in Bob's Transfers, named by the block.
    await settlesTo(
      async () =>
        (await b.invoke('file.transfers', { accountId: b.accountId })).map((t) => [
          t.name,
          t.direction,
          t.status,
        ]),
      [['cliff.png', 'download', 'failed']],
      "Bob's transfers while the image is missing",
    );
    // The retries back off (1 s, 2 s, 4 s …): the waiting line says when the next one is.
    await missing.filter({ hasText: /Trying again in (2|4|8) s\.$/ }).waitFor();

    // Ann's uplink recovers: her upload goes on (pause/resume stands in for the stalled connection ending).
    holdUploads = false;
    const fileId = await a.app.page
      .locator('.ProseMirror figure[data-type="image"]')
      .getAttribute('data-file-id');
    assert.ok(fileId);
    await a.invoke('file.pause', { accountId: a.accountId, fileId });
    await a.invoke('file.resume', { accountId: a.accountId, fileId });
    await settlesTo(
      async () => (await a.invoke('file.get', { accountId: a.accountId, fileId })).state,
      'uploaded',
      "Ann's upload",
    );
    // Bob's next try (at most 30 s after the last) brings it: the picture, decoded, with nothing clicked.
    await settlesTo(
      async () => (await images(b.app.page)).map((i) => i.width),
      [320],
      "the image on Bob's device",
      45_000,
    );
    assert.deepEqual(await b.invoke('file.transfers', { accountId: b.accountId }), []);
    assert.deepEqual([a.app.problems, b.app.problems], [[], []]);
  });
});
