import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appFixture, treeItem } from './helpers';

/** How long a toast lives by itself (src/renderer/ui/toast.tsx), plus a margin for a busy machine. */
const TOAST_MS = 6_000;
const PAST_TOAST_MS = TOAST_MS + 1_500;

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
});
