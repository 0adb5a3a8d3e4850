import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';

/** The comments panel in an e2e page: locators, selecting text in the editor, and screenshots of the panel. */

/** E2E_SHOTS=<dir> (e.g. E2E_SHOTS=docs/screenshots): where `shoot` writes its light and dark pictures. */
const SHOTS = process.env.E2E_SHOTS;

export const editor = (page: Page) => page.locator('.ProseMirror');
export const panel = (page: Page) => page.getByRole('complementary', { name: 'Comments' });
export const threads = (page: Page) => panel(page).getByRole('listitem');

export async function shoot(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    // Buttons fade their background (0.12 s): let the theme switch finish before the picture.
    await page.waitForTimeout(200);
    if (SHOTS) await page.screenshot({ path: resolve(SHOTS, `${name}-${scheme}.png`) });
    const { scroll, client } = await panel(page).evaluate((el) => ({
      scroll: el.scrollWidth,
      client: el.clientWidth,
    }));
    assert.ok(
      scroll <= client,
      `${name} ${scheme}: the panel does not scroll sideways (${scroll} > ${client})`,
    );
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Selects `text` in the page's editor (its first occurrence within one text node). */
export async function select(page: Page, text: string): Promise<void> {
  // A string expression: the test's TypeScript has no DOM types.
  const found = await page.evaluate(`(() => {
    const root = document.querySelector('.ProseMirror');
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent.indexOf(${JSON.stringify(text)});
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + ${text.length});
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
      return true;
    }
    return false;
  })()`);
  assert.equal(found, true, `"${text}" is in the page`);
  // ProseMirror reads the DOM selection on selectionchange.
  await page.waitForFunction(`window.getSelection().toString() === ${JSON.stringify(text)}`);
}
