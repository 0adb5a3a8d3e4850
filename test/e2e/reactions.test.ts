import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appFixture } from './helpers';

/** Reactions under a page's title, in Chromium against the real core. */
describe('reactions (browser mode)', () => {
  const app = appFixture();

  test('add one from the picker, see it pressed with its count, click it again to take it back', async () => {
    const { page } = app;
    await app.newPage('Team update');
    const bar = page.getByRole('group', { name: 'Reactions' });
    await bar.getByRole('button', { name: 'Add reaction' }).click();
    await page.getByRole('menu', { name: 'Add reaction' }).getByRole('menuitem', { name: '🎉' }).click();
    const chip = bar.getByRole('button', { name: '🎉 1, including you' });
    await chip.waitFor();
    assert.equal(await chip.getAttribute('aria-pressed'), 'true');
    // It is stored, not just drawn: a reload shows it again.
    await page.reload();
    await page
      .getByRole('group', { name: 'Reactions' })
      .getByRole('button', { name: '🎉 1, including you' })
      .click();
    await page
      .getByRole('group', { name: 'Reactions' })
      .getByRole('button', { name: /🎉/ })
      .waitFor({ state: 'detached' });
  });
});
