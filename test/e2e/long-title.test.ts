import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { appFixture, treeItem } from './helpers';

/** A name of the longest length the contract takes (256), in words, so it can wrap. */
const longName = (words: string): string => `${`${words} `.repeat(20).slice(0, 252).replace(/ $/, '.')} end`;
const LONG = longName('A very long page title that keeps going');
const LONG_SECTION = longName('A section with a long name');
const SHOTS = process.env.E2E_SHOTS;

/** No element of the window's layout scrolls sideways: scrollWidth ≤ clientWidth for each. */
async function overflowing(page: Page): Promise<string[]> {
  const selectors = [
    '.sidebar-top',
    '.sidebar-tree',
    '.page-header',
    '.breadcrumb',
    '.page-scroll',
    '.page-column',
  ];
  const found: string[] = [];
  for (const selector of selectors) {
    const { scroll, client } = await page
      .locator(selector)
      .first()
      .evaluate((element) => ({ scroll: element.scrollWidth, client: element.clientWidth }));
    if (scroll > client) found.push(`${selector}: ${scroll} > ${client}`);
  }
  return found;
}

describe('a 256-character title (browser mode)', () => {
  const app = appFixture();

  test('wraps in the page, ends in an ellipsis in the tree and breadcrumb, and nothing scrolls sideways', async () => {
    const { page } = app;
    assert.equal(LONG.length, 256);
    await app.newPage(LONG);
    const section = treeItem(page, 'Notes');
    await section.click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Rename' }).click();
    await page.getByRole('textbox', { name: 'Name' }).fill(LONG_SECTION);
    await page.keyboard.press('Enter');
    await treeItem(page, LONG_SECTION).waitFor();

    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/long-title-${theme}.png` });
      assert.deepEqual(await overflowing(page), [], theme);
    }
    const title = page.getByRole('textbox', { name: 'Page title' });
    assert.equal(await title.inputValue(), LONG);
    // Wrapped: the field is several lines tall, and as wide as the page column.
    const box = await title.boundingBox();
    assert.ok(box && box.height > 3 * 36, `title height ${box?.height}`);
    // The whole name is still there for the pointer and for assistive technology.
    const row = treeItem(page, LONG);
    assert.equal(await row.getAttribute('title'), LONG);
  });
});
