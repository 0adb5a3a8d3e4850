import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appFixture, editorFocused, settlesTo, treeItem, treeOutline, waitUntil } from './helpers';

/** The command palette (Mod+K) over the shared command registry, in Chromium against the real core. */
describe('command palette (browser mode)', () => {
  const app = appFixture();

  test('Mod+K opens it; fuzzy "new pa" + Enter runs "New page"; Esc closes', async () => {
    const { page } = app;
    await treeItem(page, 'Notes').waitFor();
    const before = (await treeOutline(page)).length;
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    const search = palette.getByRole('combobox', { name: 'Search commands and pages' });
    await search.waitFor();
    // Shortcuts are shown beside commands.
    await palette.getByRole('option', { name: /New page.*Ctrl\+Alt\+N/ }).waitFor();
    await search.fill('new pa');
    const selected = palette.locator('[role="option"][aria-selected="true"]');
    await settlesTo(async () => (await selected.textContent()) ?? '', /^New page/, 'the selected command');
    await search.press('Enter');
    await page.getByRole('article', { name: 'Untitled' }).waitFor();
    assert.equal(await palette.count(), 0, 'the palette closed after running');
    await waitUntil(page, `document.querySelectorAll('[role="treeitem"]').length === ${before + 1}`);

    await page.keyboard.press('Escape');
    await page.locator('body').click({ position: { x: 5, y: 790 } });
    await page.keyboard.press('Control+k');
    await search.waitFor();
    await search.press('Escape');
    await palette.waitFor({ state: 'detached' });
  });

  test('arrow keys move the selection; pages open by title', async () => {
    const { page } = app;
    await app.newPage('Groceries list');
    await app.newPage('Travel plans');
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    const search = palette.getByRole('combobox');
    await search.waitFor();
    const selectedText = async () =>
      (await palette.locator('[role="option"][aria-selected="true"]').textContent()) ?? '';
    // Which option is selected, by its place in the list (each key press re-renders the list).
    const selectedIndex = () =>
      palette
        .getByRole('option')
        .evaluateAll((options) => options.findIndex((o) => o.getAttribute('aria-selected') === 'true'));
    await settlesTo(selectedIndex, 0, 'the first option is selected when it opens');
    await search.press('ArrowDown');
    await settlesTo(selectedIndex, 1, 'ArrowDown selects the second option');
    await search.press('ArrowUp');
    await settlesTo(selectedIndex, 0, 'ArrowUp selects the first option again');
    await search.fill('grcris');
    await settlesTo(selectedText, /^Groceries list/, 'the fuzzy match is selected');
    await search.press('Enter');
    await page.getByRole('article', { name: 'Groceries list' }).waitFor();
  });

  test('Mod+K in the editor: palette on a caret, link editor on selected text', async () => {
    const { page } = app;
    await app.newPage('Links');
    await page.keyboard.type('hoody');
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await palette.waitFor();
    await page.keyboard.press('Escape');
    await palette.waitFor({ state: 'detached' });
    await page.locator('.ProseMirror').click();
    await editorFocused(page);
    // Where the click put the caret depends on layout: select from the line's end, whatever it was.
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    // ProseMirror takes the DOM selection on its own schedule; Mod+K must see it in the editor's state.
    await waitUntil(page, `document.querySelector('.ProseMirror')?.editor?.state.selection.empty === false`);
    await page.keyboard.press('Control+k');
    await page.getByRole('textbox', { name: 'Link address' }).waitFor();
    assert.equal(await palette.count(), 0);
  });
});
