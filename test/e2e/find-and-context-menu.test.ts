import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { appFixture, editorFocused, settlesTo, waitUntil } from './helpers';

const text = (page: Page): Promise<string> => page.locator('.ProseMirror').innerText();

/** Types "Hello **world** and " into the open page and selects the bold word: both menu tests start there. */
async function writeHelloWorldAndSelectWorld(page: Page): Promise<void> {
  await page.keyboard.type('Hello ');
  await page.keyboard.press('Control+b');
  await page.keyboard.type('world');
  await page.keyboard.press('Control+b');
  await page.keyboard.type(' and ');
  await page.locator('.ProseMirror strong').dblclick();
  await waitUntil(page, "document.getSelection()?.toString() === 'world'");
}

/** Find in page (Mod+F) and the editor's right-click menu, in Chromium against the real core (issue 15). */
describe('find in page and the editor context menu (browser mode)', () => {
  const app = appFixture();

  test('Mod+F finds in the page: count, next/previous, highlights, the selection as query, Esc back to the text', async () => {
    const { page } = app;
    await app.newPage('Findings');
    await page.keyboard.type('Alpha beta alpha gamma. Älpha again, and gamma.');
    await page.keyboard.press('Control+f');
    const bar = page.getByRole('search', { name: 'Matches in this page' });
    const field = bar.getByRole('searchbox', { name: 'Find in page' });
    await field.waitFor();
    assert.equal(await field.evaluate((el) => el === el.ownerDocument.activeElement), true);
    await page.keyboard.type('alpha');
    // Words by prefix, case and accents folded: the same rules as search.
    await waitUntil(page, "document.querySelectorAll('.ProseMirror .search-match').length === 3");
    const count = (): Promise<string> => bar.locator('.find-count').innerText();
    const current = (): Promise<string> => page.locator('.search-match-current').innerText();
    await settlesTo(count, '1 of 3 matches', 'the count');
    await page.keyboard.press('Enter');
    await settlesTo(count, '2 of 3 matches', 'the count after Enter');
    assert.equal(await current(), 'alpha');
    await page.keyboard.press('Enter');
    await settlesTo(current, 'Älpha', 'the current match after Enter');
    await page.keyboard.press('Shift+Enter');
    await settlesTo(count, '2 of 3 matches', 'the count after Shift+Enter');
    await field.fill('zebra');
    await settlesTo(count, 'No match in the text', 'the count for a missing word');
    assert.equal(await page.locator('.ProseMirror .search-match').count(), 0);

    await page.keyboard.press('Escape');
    await bar.waitFor({ state: 'detached' });
    await editorFocused(page);
    // The caret is back in the text, where it was.
    await page.keyboard.type(' Fin');
    await page.locator('.ProseMirror p', { hasText: 'and gamma. Fin' }).waitFor();

    // Selected text (one line) becomes the query.
    await page.locator('.ProseMirror').dblclick({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+f');
    await field.waitFor();
    // Read at once: Mod+F right after the double-click takes the selection the user sees.
    assert.equal(await field.inputValue(), 'Alpha');
    await waitUntil(page, "document.querySelectorAll('.ProseMirror .search-match').length === 3");
    // Mod+F again in the field selects its text for a new query.
    await page.keyboard.press('Control+f');
    // Typed at once after Mod+F: no letter is lost to the field taking the focus (it did lose the first).
    await page.keyboard.type('gam');
    await settlesTo(() => field.inputValue(), 'gam', 'the query');
    await settlesTo(count, '1 of 2 matches', 'the count for the new query');
    await bar.getByRole('button', { name: 'Clear highlights' }).click();
    await bar.waitFor({ state: 'detached' });
    assert.equal(await page.locator('.ProseMirror .search-match').count(), 0);
  });

  test('right-click in the text: Copy, Paste, Paste as plain text, Select all, Cut and link actions', async () => {
    const { page } = app;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await app.newPage('Clippings');
    await writeHelloWorldAndSelectWorld(page);

    const menu = page.getByRole('menu', { name: 'Edit' });
    // A right-click on the selection keeps it.
    await page.locator('.ProseMirror strong').click({ button: 'right' });
    await menu.waitFor();
    assert.deepEqual(
      await menu
        .getByRole('menuitem')
        .evaluateAll((items) =>
          items.map(
            (i) =>
              `${i.querySelector('.menu-label')?.textContent}${i.hasAttribute('disabled') ? ' (off)' : ''}`,
          ),
        ),
      ['Cut', 'Copy', 'Paste', 'Paste as plain text', 'Select all', 'Add link…'],
    );
    await menu.getByRole('menuitem', { name: 'Copy' }).click();
    await menu.waitFor({ state: 'detached' });
    await editorFocused(page);
    await page.keyboard.press('End');

    // Paste keeps the formatting (parsed like Mod+V); Shift+F10 opens the menu at the caret.
    await page.keyboard.press('Shift+F10');
    await menu.getByRole('menuitem', { name: /^Paste(?! as)/ }).click();
    await page.locator('.ProseMirror strong').nth(1).waitFor();
    assert.equal(await text(page), 'Hello world and world');
    // …as plain text it does not.
    await page.keyboard.type(', ');
    await page.keyboard.press('Shift+F10');
    await menu.getByRole('menuitem', { name: 'Paste as plain text' }).click();
    await page.locator('.ProseMirror p', { hasText: 'and world, world' }).waitFor();
    assert.equal(await page.locator('.ProseMirror strong').count(), 2);

    // With nothing selected, Cut and Copy are offered but off.
    await page.keyboard.press('Shift+F10');
    assert.equal(await menu.getByRole('menuitem', { name: 'Cut' }).isDisabled(), true);
    await menu.getByRole('menuitem', { name: 'Select all' }).click();
    await waitUntil(page, "document.getSelection()?.toString() === 'Hello world and world, world'");
    await page.locator('.ProseMirror p').click({ button: 'right', position: { x: 10, y: 5 } });
    await menu.getByRole('menuitem', { name: 'Add link…' }).click();
    await page.getByRole('textbox', { name: 'Link address' }).fill('example.com');
    await page.keyboard.press('Enter');
    await page.locator('.ProseMirror a[href="https://example.com/"]').waitFor();

    await page.locator('.ProseMirror a').first().click({ button: 'right' });
    assert.deepEqual(
      await menu
        .getByRole('menuitem')
        .evaluateAll((items) => items.map((i) => i.querySelector('.menu-label')?.textContent)),
      ['Cut', 'Copy', 'Paste', 'Paste as plain text', 'Select all', 'Open link', 'Edit link…', 'Remove link'],
    );
    await menu.getByRole('menuitem', { name: 'Remove link' }).click();
    await page.locator('.ProseMirror a').waitFor({ state: 'detached' });

    await page.keyboard.press('Control+a');
    await page.locator('.ProseMirror p').click({ button: 'right', position: { x: 10, y: 5 } });
    await menu.getByRole('menuitem', { name: 'Cut' }).click();
    await waitUntil(page, "document.querySelector('.ProseMirror')?.innerText.trim() === ''");
    // What was cut is on the clipboard: it pastes back.
    await page.keyboard.press('Shift+F10');
    await menu.getByRole('menuitem', { name: /^Paste(?! as)/ }).click();
    await page.locator('.ProseMirror p', { hasText: 'Hello world and world, world' }).waitFor();
  });

  test('Shift+F10 right after End on a busy page opens the menu at the caret, and Paste inserts there', async () => {
    const { page } = app;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await app.newPage('Busy clippings');
    await writeHelloWorldAndSelectWorld(page);
    await page.keyboard.press('Control+c');
    // The renderer's main thread busy (a loaded machine) while End and Shift+F10 arrive: the browser then runs
    // both keys before the 'selectionchange' task that tells ProseMirror the caret moved. Sent over CDP
    // without waiting for each key's answer, as they queue up on a busy machine (Playwright's keyboard waits).
    const cdp = await page.context().newCDPSession(page);
    const key = (type: 'rawKeyDown' | 'keyUp', name: string, code: number, shift = false) =>
      cdp.send('Input.dispatchKeyEvent', {
        type,
        key: name,
        code: name,
        windowsVirtualKeyCode: code,
        modifiers: shift ? 8 : 0,
      });
    await page.evaluate(() => {
      setTimeout(() => {
        const end = performance.now() + 400;
        while (performance.now() < end);
      });
    });
    await Promise.all([
      key('rawKeyDown', 'End', 35),
      key('keyUp', 'End', 35),
      key('rawKeyDown', 'Shift', 16, true),
      key('rawKeyDown', 'F10', 121, true),
      key('keyUp', 'F10', 121, true),
      key('keyUp', 'Shift', 16),
    ]);
    const menu = page.getByRole('menu', { name: 'Edit' });
    await menu.waitFor();
    // Nothing is selected at the caret: Cut is off (it was offered for the 'world' selected before End).
    assert.equal(await menu.getByRole('menuitem', { name: 'Cut' }).isDisabled(), true);
    await menu.getByRole('menuitem', { name: /^Paste(?! as)/ }).click();
    await page.locator('.ProseMirror strong').nth(1).waitFor();
    assert.equal(await text(page), 'Hello world and world');
  });
});
