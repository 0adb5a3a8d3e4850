import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  RECONNECT_NOISE,
  freePort,
  launchBrowser,
  makeDataDir,
  newPageNamed,
  openApp,
  startCore,
  treeItem,
  waitSaved,
  type Core,
} from './helpers';

/**
 * Browser mode survives a core restart: the tab keeps its key, the restarted core (same data dir, same port)
 * keeps the key too, and the tab reconnects by itself — no reload — with nothing typed lost.
 */
describe('a browser tab across a core restart', () => {
  let browser: Browser;
  const cleanups: (() => Promise<void> | void)[] = [];
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await browser.close();
  });

  test('the tab reconnects to the restarted core and keeps text typed before and during the restart', async () => {
    const data = makeDataDir();
    cleanups.push(() => data.remove());
    const port = await freePort();
    let core: Core = await startCore(data.dir, { port });
    cleanups.push(() => core.stop());
    const { page, problems } = await openApp(browser, core.url);
    cleanups.push(() => page.context().close());

    await newPageNamed(page, 'Restart log');
    const editor = page.locator('.ProseMirror');
    await page.keyboard.type('Typed before the crash.');
    await waitSaved(page);

    // The core dies (SIGKILL: nothing is closed cleanly). The tab says it is reconnecting.
    await core.kill();
    const banner = page.getByRole('alert').filter({ hasText: 'Reconnecting to the app core' });
    await banner.waitFor();
    if (process.env.E2E_SHOTS)
      await page.screenshot({ path: `${process.env.E2E_SHOTS}/reconnect-banner.png` });

    // Typing goes on while it is away: kept in the tab, honestly "not saved".
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' Typed while the core was down.');
    await page.locator('.save-state.error', { hasText: 'Not saved' }).waitFor();

    // A new core on the same data dir and port: the same tab comes back by itself and saves what was typed.
    core = await startCore(data.dir, { port });
    await banner.waitFor({ state: 'detached', timeout: 20_000 });
    await waitSaved(page);
    const text = await editor.innerText();
    assert.match(text, /Typed before the crash\. Typed while the core was down\./);
    // The tab works as before: the tree answers, new typing is saved.
    await treeItem(page, 'Restart log').waitFor();
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' And after.');
    await waitSaved(page);

    // Another tab, opened fresh on the restarted core, reads all of it from disk.
    const second = await openApp(browser, core.url);
    cleanups.push(() => second.page.context().close());
    await treeItem(second.page, 'Restart log').click();
    await second.page
      .locator('.ProseMirror', {
        hasText: 'Typed before the crash. Typed while the core was down. And after.',
      })
      .waitFor();

    assert.deepEqual(
      problems.filter((p) => !RECONNECT_NOISE.test(p)),
      [],
      'no unexpected console errors',
    );
    assert.deepEqual(second.problems, []);
  });
});
