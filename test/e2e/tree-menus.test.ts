import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appFixture, treeItem } from './helpers';

/** The tree row's menus (⋯ button and right-click) do what their items say. */
describe('tree row menus (browser mode)', () => {
  const app = appFixture();

  const rowIcon = (name: string) => treeItem(app.page, name).locator('.node-icon');

  test('"Change icon" from the ⋯ menu and from the context menu sets the icon, and it can be removed', async () => {
    const { page } = app;
    await app.newPage('Ideas');

    await treeItem(page, 'Ideas').hover();
    await page.getByRole('button', { name: 'More actions for Ideas' }).click();
    await page.getByRole('menuitem', { name: 'Change icon' }).click();
    await page.getByRole('menu', { name: 'Choose an icon' }).getByRole('menuitem', { name: '💡' }).click();
    await rowIcon('Ideas').filter({ hasText: '💡' }).waitFor();
    await page.locator('.page-icon', { hasText: '💡' }).waitFor();

    await treeItem(page, 'Notes').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Change icon' }).click();
    await page.getByRole('menu', { name: 'Choose an icon' }).getByRole('menuitem', { name: '📚' }).click();
    await rowIcon('Notes').filter({ hasText: '📚' }).waitFor();

    await treeItem(page, 'Ideas').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Change icon' }).click();
    await page.getByRole('menuitem', { name: 'Remove icon' }).click();
    await page.locator('.page-icon').waitFor({ state: 'detached' });
    assert.equal(await rowIcon('Ideas').innerText(), '');
    assert.equal(await rowIcon('Notes').innerText(), '📚');
  });
});
