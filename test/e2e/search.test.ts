import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appFixture, settlesTo, waitSaved, waitUntil } from './helpers';

/**
 * Full-text search in Chromium: Mod+Shift+F, the palette's page contents, jump-to-match in the opened page.
 * (Search across devices is in search-sync.test.ts.)
 */
const app = appFixture();

async function writePage(title: string, body: string): Promise<void> {
  await app.newPage(title);
  await app.page.keyboard.type(body);
  await waitSaved(app.page);
}

describe('search', () => {
  it('finds words inside pages by prefix and without accents, and highlights every match in the page', async () => {
    const { page } = app;
    await writePage('Trip notes', 'We met at the Café de Flore. The café was full, so we met again.');
    await writePage('Groceries', 'Milk, bread, coffee beans');
    await page.keyboard.press('Control+Shift+F');
    const box = page.getByRole('combobox', { name: 'Search every account' });
    await box.waitFor();
    await box.fill('cafe');
    const results = page.getByRole('listbox', { name: 'Results' });
    await results.getByRole('option').first().waitFor();
    const options = await results.getByRole('option').allInnerTexts();
    assert.equal(options.length, 1, options.join(' | '));
    assert.match(options[0]!, /Trip notes/);
    assert.match(options[0]!, /My Notebook/, 'says where it lives');
    assert.equal(await results.locator('mark').first().innerText(), 'Café');
    await box.press('Enter');
    await page.getByRole('search', { name: 'Matches in this page' }).waitFor();
    await waitUntil(page, "document.querySelectorAll('.ProseMirror .search-match').length === 2");
    const count = () => page.locator('.find-count').innerText();
    await settlesTo(count, '1 of 2 matches', 'the find bar');
    await page.getByRole('button', { name: 'Next match' }).click();
    await settlesTo(count, '2 of 2 matches', 'the find bar after Next match');
    await settlesTo(() => page.locator('.search-match-current').innerText(), 'café', 'the current match');
    await page.getByRole('button', { name: 'Clear highlights' }).click();
    await settlesTo(() => page.locator('.ProseMirror .search-match').count(), 0, 'highlights after Clear');

    // Query syntax is text: no error, and the words still match (all of them).
    await page.keyboard.press('Control+Shift+F');
    await box.fill('"bread* -(milk');
    await results.getByRole('option', { name: /Groceries/ }).waitFor();
    assert.deepEqual(app.problems, []);
  });

  it('lists page contents in the command palette', async () => {
    const { page } = app;
    await writePage('Standup', 'Discussed the quarterly budget review');
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await palette.getByRole('combobox').fill('quarterly');
    const option = palette.getByRole('option', { name: /Standup/ });
    await option.waitFor();
    assert.match(await option.innerText(), /quarterly budget/);
    await option.click();
    await page.getByRole('search', { name: 'Matches in this page' }).waitFor();
    await waitUntil(page, "document.querySelectorAll('.ProseMirror .search-match').length === 1");
  });
});
