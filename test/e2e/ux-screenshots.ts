import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchBrowser, makeDataDir, newPageNamed, openApp, startCore, waitSaved } from './helpers';

/**
 * docs/screenshots/{find-bar,editor-menu}-{light,dark}.png: Mod+F over a page with matches (one of them
 * current), and the editor's right-click menu on a link. Run after `npm run build`:
 * `npx tsx test/e2e/ux-screenshots.ts`.
 */
const OUT = resolve(import.meta.dirname, '../../docs/screenshots');

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const data = makeDataDir();
  const core = await startCore(data.dir);
  const browser = await launchBrowser();
  try {
    for (const theme of ['light', 'dark'] as const) {
      const { page } = await openApp(browser, core.url, {
        colorScheme: theme,
        viewport: { width: 1100, height: 560 },
      });
      await newPageNamed(page, `Offsite plan (${theme})`);
      await page.keyboard.type('The offsite is in Lisbon. Book the offsite venue by Friday; ');
      await page.keyboard.type('the offsite agenda is in the shared folder.');
      await page.keyboard.press('Enter');
      await page.keyboard.type('Travel: everyone books their own flights to the Offsite.');
      await waitSaved(page);
      await page.keyboard.press('Control+f');
      await page.keyboard.type('offsite');
      await page.keyboard.press('Enter');
      await page.locator('.search-match-current').waitFor();
      await page.screenshot({ path: resolve(OUT, `find-bar-${theme}.png`) });
      await page.keyboard.press('Escape');

      await page
        .locator('.ProseMirror p')
        .first()
        .dblclick({ position: { x: 120, y: 8 } });
      await page.keyboard.press('Control+k');
      await page.getByRole('textbox', { name: 'Link address' }).fill('lisbon.example');
      await page.keyboard.press('Enter');
      const link = page.locator('.ProseMirror a').first();
      await link.waitFor();
      const box = await link.boundingBox();
      if (!box) throw new Error('no link box');
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { button: 'right' });
      await page.getByRole('menu', { name: 'Edit' }).waitFor();
      await page.screenshot({ path: resolve(OUT, `editor-menu-${theme}.png`) });
      await page.context().close();
    }
  } finally {
    await browser.close();
    await core.stop();
    data.remove();
  }
}

await main();
