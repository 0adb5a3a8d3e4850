import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { appFixture, chooseWith, waitSaved } from './helpers';
import { images, pasteFiles } from './paste-files';

/** Where the screenshots go (`E2E_SHOTS=docs/screenshots`); none by default, so a run leaves the tree clean. */
const SHOTS = process.env.E2E_SHOTS;

describe('images and files in a page (browser mode, Local account)', () => {
  const app = appFixture();

  test('a pasted image shows from the local cache at once and after a reload; a fake .png becomes a file block', async () => {
    const { page } = app;
    await app.newPage('Holiday');
    const png = await sharp({
      create: { width: 320, height: 180, channels: 3, background: { r: 40, g: 120, b: 200 } },
    })
      .png()
      .toBuffer();
    const started = Date.now();
    await pasteFiles(page, [{ name: 'beach.png', type: 'image/png', bytes: [...png] }]);
    await page.waitForFunction(() => {
      const img = (
        globalThis as unknown as { document: { querySelector(s: string): { naturalWidth: number } | null } }
      ).document.querySelector('.ProseMirror figure img');
      return img !== null && img.naturalWidth > 0;
    });
    const visibleMs = Date.now() - started;
    let shown = await images(page);
    assert.equal(shown.length, 1);
    assert.equal(shown[0]?.width, 320, 'the image decoded at its size');
    // Our own origin, never file:// or data:
    assert.match(shown[0]?.src ?? '', /^\/files\/local\/[\w-]+\/fl_[\w-]+\?k=/);

    // The bytes need the tab's key, and come with a CSP that allows nothing and sandboxes them.
    const origin = new URL(app.url).origin;
    const src = shown[0]?.src ?? '';
    const withKey = await fetch(origin + src);
    const served = {
      status: withKey.status,
      type: withKey.headers.get('content-type'),
      csp: withKey.headers.get('content-security-policy'),
      nokey: (await fetch(origin + src.replace(/\?k=.*$/, ''))).status,
    };
    assert.deepEqual(served, {
      status: 200,
      type: 'image/png',
      csp: "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      nokey: 403,
    });

    // A caption typed in the block is part of the document.
    await page.getByRole('textbox', { name: 'Caption' }).fill('The beach at noon');
    await page.getByRole('textbox', { name: 'Caption' }).press('Enter');

    // Text renamed to .png: attached as a file, never shown as an image.
    await pasteFiles(page, [
      { name: 'notes.png', type: 'image/png', bytes: [...Buffer.from('not a picture')] },
    ]);
    const fileBlock = page.locator('.ProseMirror [data-type="file"]');
    await fileBlock.waitFor();
    assert.equal(await fileBlock.locator('.file-block-name').textContent(), 'notes.png');
    assert.equal(
      await page.getByRole('link', { name: 'Open notes.png' }).getAttribute('download'),
      'notes.png',
    );

    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      if (SHOTS) await page.screenshot({ path: resolve(SHOTS, `files-page-${theme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });

    await waitSaved(page);
    await page.reload();
    await page.locator('.ProseMirror figure img').waitFor();
    await page.waitForFunction(() => {
      const img = (
        globalThis as unknown as { document: { querySelector(s: string): { naturalWidth: number } | null } }
      ).document.querySelector('.ProseMirror figure img');
      return img !== null && img.naturalWidth > 0;
    });
    shown = await images(page);
    assert.equal(shown[0]?.width, 320);
    assert.equal(await page.getByRole('textbox', { name: 'Caption' }).inputValue(), 'The beach at noon');
    await page.locator('.ProseMirror [data-type="file"]').waitFor();
    console.log(`paste-to-visible of a ${png.length}-byte PNG: ${visibleMs} ms`);
  });

  test('Image or file from the slash menu and the palette opens the file chooser; the chosen files become blocks', async () => {
    const { page } = app;
    await app.newPage('Picked');
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c84' } })
      .png()
      .toBuffer();
    // Slash menu: "/image" offers it, Enter opens the chooser (inside the key's gesture).
    await page.keyboard.type('/image');
    await page.getByRole('option', { name: /Image or file/ }).waitFor();
    const chooser = await chooseWith(page, () => page.keyboard.press('Enter'));
    assert.equal(chooser.isMultiple(), true);
    await chooser.setFiles([{ name: 'tile.png', mimeType: 'image/png', buffer: png }]);
    await page.waitForFunction(() => {
      const img = (
        globalThis as unknown as { document: { querySelector(s: string): { naturalWidth: number } | null } }
      ).document.querySelector('.ProseMirror figure img');
      return img !== null && img.naturalWidth === 64;
    });
    // The "/image" typed to ask for it is gone from the text.
    assert.doesNotMatch((await page.locator('.ProseMirror').textContent()) ?? '', /\/image/);

    // Palette: Insert image or file… does the same.
    // (From the title: in the body, Mod+K on a selected block edits a link.)
    await page.getByRole('textbox', { name: 'Page title' }).click();
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox').fill('Insert image');
    await page.getByRole('option', { name: /Insert image or file/ }).waitFor();
    const second = await chooseWith(page, () => page.keyboard.press('Enter'));
    await second.setFiles([
      { name: 'report.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') },
      { name: 'b.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') },
    ]);
    await page.locator('.ProseMirror [data-type="file"]').nth(1).waitFor();
    assert.deepEqual(await page.locator('.ProseMirror .file-block-name').allTextContents(), [
      'report.pdf',
      'b.txt',
    ]);
    await waitSaved(page);
  });
});
