import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { appFixture, editorFocused, treeItem } from './helpers';

/** How long a toast lives by itself (src/renderer/ui/toast.tsx), plus a margin for a busy machine. */
const TOAST_MS = 6_000;
const PAST_TOAST_MS = TOAST_MS + 1_500;

/** The name of the focused element: its label, a menu item's label (without the shortcut hint), its text. */
function focusedName(page: Page): Promise<string> {
  return page
    .locator(':focus')
    .evaluate(
      (el) =>
        el.getAttribute('aria-label') ?? (el.querySelector('.menu-label') ?? el).textContent?.trim() ?? '',
    );
}

/** Keyboard and screen-reader paths through the app's shared controls (issue 15). */
describe('accessibility of toasts, menus and regions (browser mode)', () => {
  const app = appFixture();

  test('a toast stays while hovered or focused, is in a polite live region, and goes once left', async () => {
    const { page } = app;
    await app.newPage('Drop me');
    await app.newPage('Drop me too');

    await treeItem(page, 'Drop me').focus();
    await page.keyboard.press('Delete');
    const toast = page.locator('.toast').filter({ hasText: '“Drop me” moved to the trash' });
    await toast.waitFor();
    const shown = Date.now();
    // Read out politely: the toast sits in a status live region.
    assert.equal(
      await toast.evaluate((el) => el.closest('[aria-live]')?.getAttribute('aria-live')),
      'polite',
    );
    assert.equal(await toast.evaluate((el) => el.closest('[role="status"]') !== null), true);

    await toast.hover();
    await page.waitForTimeout(PAST_TOAST_MS - (Date.now() - shown));
    assert.equal(await toast.isVisible(), true, 'a hovered toast outlives its time');

    // The pointer leaves: the rest of its time runs out and it goes.
    await page.mouse.move(5, 5);
    await toast.waitFor({ state: 'detached' });

    // Focus on its Undo keeps it as well, and Undo still works after the toast's time.
    await treeItem(page, 'Drop me too').focus();
    await page.keyboard.press('Delete');
    const second = page.locator('.toast').filter({ hasText: '“Drop me too” moved to the trash' });
    await second.waitFor();
    const secondShown = Date.now();
    await second.getByRole('button', { name: 'Undo' }).focus();
    await page.waitForTimeout(PAST_TOAST_MS - (Date.now() - secondShown));
    assert.equal(await second.isVisible(), true, 'a focused toast outlives its time');
    await page.keyboard.press('Enter');
    await treeItem(page, 'Drop me too').waitFor();
    await second.waitFor({ state: 'detached' });
  });

  test('menus: aria-expanded on the trigger, Home/End and typeahead, the focus back where it was', async () => {
    const { page } = app;
    await app.newPage('Alpha');
    const trigger = page.getByRole('button', { name: 'Page actions' });
    assert.equal(await trigger.getAttribute('aria-expanded'), 'false');
    await trigger.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu', { name: 'Page actions' });
    await menu.waitFor();
    assert.equal(await trigger.getAttribute('aria-expanded'), 'true');
    assert.match(await focusedName(page), /^Version history/, 'the first item has the focus');
    await page.keyboard.press('End');
    assert.equal(await focusedName(page), 'Move to trash');
    await page.keyboard.press('Home');
    assert.match(await focusedName(page), /^Version history/);
    await page.keyboard.press('m');
    assert.equal(await focusedName(page), 'Move to trash');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    assert.equal(await focusedName(page), 'Page actions', 'Escape gives the focus back to the trigger');
    assert.equal(await trigger.getAttribute('aria-expanded'), 'false');

    // The tree row's menu (Shift+F10): typed letters make one string, a repeated letter cycles; Escape and
    // a chosen item give the focus back to the row.
    await treeItem(page, 'Alpha').focus();
    await page.keyboard.press('Shift+F10');
    const rowMenu = page.getByRole('menu', { name: 'Actions for Alpha' });
    await rowMenu.waitFor();
    await page.keyboard.type('ch');
    assert.equal(await focusedName(page), 'Change icon');
    // A pause longer than the typeahead's (700 ms) starts a new string.
    await page.waitForTimeout(900);
    await page.keyboard.type('move t');
    assert.equal(await focusedName(page), 'Move to trash');
    await page.keyboard.press('Escape');
    await rowMenu.waitFor({ state: 'detached' });
    assert.equal(await focusedName(page), 'Alpha');

    await page.keyboard.press('Shift+F10');
    await rowMenu.waitFor();
    await page.keyboard.type('r');
    assert.equal(await focusedName(page), 'Rename');
    await page.keyboard.press('Tab');
    await rowMenu.waitFor({ state: 'detached' });
    assert.notEqual(await focusedName(page), '', 'Tab closes the menu and moves on from the row');

    const switcher = page.getByRole('button', { name: 'Switch notebook' });
    await switcher.click();
    assert.equal(await switcher.getAttribute('aria-expanded'), 'true');
    await page.getByRole('menu', { name: 'Notebooks' }).waitFor();
    await page.keyboard.press('Escape');
    assert.equal(await focusedName(page), 'Switch notebook');
    assert.equal(await switcher.getAttribute('aria-expanded'), 'false');
  });

  test('the slash menu is tied to the editor: aria-controls and aria-activedescendant follow the arrows', async () => {
    const { page } = app;
    await app.newPage('Blocks');
    const editor = page.locator('.ProseMirror');
    assert.equal(await editor.getAttribute('aria-activedescendant'), null);
    await page.keyboard.type('/');
    const listbox = page.getByRole('listbox', { name: 'Insert block' });
    await listbox.waitFor();
    const listboxId = await listbox.getAttribute('id');
    assert.ok(listboxId);
    assert.equal(await editor.getAttribute('aria-controls'), listboxId);
    const active = async (): Promise<string> => {
      const id = await editor.getAttribute('aria-activedescendant');
      assert.ok(id, 'an active option');
      const option = page.locator(`[id="${id}"]`);
      assert.equal(await option.getAttribute('aria-selected'), 'true');
      return option.locator('.slash-title').innerText();
    };
    assert.match(await active(), /^Text$/);
    await page.keyboard.press('ArrowDown');
    assert.match(await active(), /^Heading 1$/);
    await page.keyboard.type('quo');
    assert.match(await active(), /^Quote$/);
    await page.keyboard.press('Escape');
    await listbox.waitFor({ state: 'detached' });
    assert.equal(await editor.getAttribute('aria-activedescendant'), null);
    assert.equal(await editor.getAttribute('aria-controls'), null);
  });

  test('F6 cycles sidebar → editor → panels, Shift+F6 back, and returns to where the focus was', async () => {
    const { page } = app;
    await app.newPage('Cycle');
    await page.keyboard.type('Some text');
    await editorFocused(page);
    const where = (): Promise<string> =>
      page.locator(':focus').evaluate((el) => {
        const region = el.closest('[data-region]');
        const kind = region?.getAttribute('data-region') ?? 'none';
        return kind === 'panel'
          ? `panel:${region?.className ?? ''}`
          : `${kind}:${el.getAttribute('aria-label') ?? ''}`;
      });
    await treeItem(page, 'Cycle').focus();
    assert.equal(await where(), 'sidebar:Cycle');
    await page.keyboard.press('F6');
    assert.equal(await where(), 'main:Page content');
    await editorFocused(page);
    await page.keyboard.press('F6');
    // No panel open: round to the sidebar, on the row that had the focus.
    assert.equal(await where(), 'sidebar:Cycle');
    await page.keyboard.press('Shift+F6');
    assert.equal(await where(), 'main:Page content');
    // The caret is back where it was: typing goes on at the end.
    await page.keyboard.type('!');
    await page.locator('.ProseMirror p', { hasText: 'Some text!' }).waitFor();

    // A notification is a panel: F6 reaches its buttons, then goes on to the sidebar.
    await page.getByRole('button', { name: 'New section' }).click();
    // The new section's name field comes once the section is made: Escape before it would leave the field to
    // appear later and take the focus (and the Delete) from the row focused below.
    const name = page.getByRole('textbox', { name: 'Name' });
    await name.waitFor();
    await page.keyboard.press('Escape');
    await name.waitFor({ state: 'detached' });
    await treeItem(page, 'Cycle').focus();
    await page.keyboard.press('Delete');
    await page.locator('.toast').waitFor();
    await page.getByRole('button', { name: 'New page', exact: true }).first().focus();
    await page.keyboard.press('F6');
    assert.match(await where(), /^main:/);
    await page.keyboard.press('F6');
    assert.equal(await where(), 'panel:toasts');
    await page.keyboard.press('F6');
    assert.match(await where(), /^sidebar:/);
  });
});
