import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { appFixture, editorJSON, treeItem } from './helpers';

const captureUrl = (url: string): string => {
  const { origin, hash } = new URL(url);
  return `${origin}/?view=capture${hash}`;
};

async function openCapture(page: Page, url: string): Promise<Page> {
  const capture = await page.context().newPage();
  capture.on('pageerror', (error) => assert.fail(`capture page error: ${error.message}`));
  capture.on('console', (message) => {
    if (message.type() === 'error') assert.fail(`capture console error: ${message.text()}`);
  });
  await capture.goto(captureUrl(url));
  await capture
    .getByRole('combobox', { name: 'Save to' })
    .locator('option')
    .first()
    .waitFor({ state: 'attached' });
  return capture;
}

/** Quick capture (`?view=capture`) against the real core: a local write, no sync server anywhere. */
describe('quick capture (browser mode)', () => {
  const app = appFixture();

  test('type, Mod+Enter with no server reachable: the note lands in the main window’s Inbox', async () => {
    const { page } = app;
    const capture = await openCapture(page, app.url);
    // Nothing but the local core answers: any other request would fail (there is no server to reach).
    await capture.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => route.abort());
    await capture.getByRole('textbox', { name: 'Title' }).fill('Call the bakery');
    await capture.getByRole('textbox', { name: 'Title' }).press('Enter');
    await capture.keyboard.type('Order the **rye** loaf');
    await capture.keyboard.press('Control+Enter');
    await capture.getByRole('status').filter({ hasText: 'Saved to Inbox' }).waitFor();
    assert.equal(await capture.getByRole('textbox', { name: 'Title' }).inputValue(), '', 'form is reset');

    await treeItem(page, 'Inbox').click();
    await page.getByRole('article', { name: 'Inbox' }).waitFor();
    await page.locator('.ProseMirror h3', { hasText: 'Call the bakery' }).waitFor();
    const text = JSON.stringify(await editorJSON(page));
    assert.match(text, /Order the /);
    assert.match(text, /"rye"/);
    assert.match(text, /"bold"/, 'markdown typed in the capture body became rich text');
    await capture.close();
  });

  test('Esc keeps the draft; it is there again on the next open', async () => {
    const { page } = app;
    const capture = await openCapture(page, app.url);
    await capture.getByRole('textbox', { name: 'Title' }).fill('Half a thought');
    await capture.getByRole('textbox', { name: 'Title' }).press('Enter');
    await capture.keyboard.type('to be continued');
    await capture.keyboard.press('Escape');
    await capture.reload();
    await capture.getByRole('textbox', { name: 'Title' }).waitFor();
    assert.equal(await capture.getByRole('textbox', { name: 'Title' }).inputValue(), 'Half a thought');
    await capture.locator('.ProseMirror p', { hasText: 'to be continued' }).waitFor();
    await capture.close();
  });

  test('the palette’s "Quick note" saves into today’s daily note from the main window', async () => {
    const { page } = app;
    await treeItem(page, 'Notes').waitFor();
    await page.keyboard.press('Control+k');
    const search = page.getByRole('combobox', { name: 'Search commands and pages' });
    await search.fill('quick note');
    await search.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Quick note' });
    await dialog.getByRole('textbox', { name: 'Title' }).fill('Standup');
    await dialog.getByRole('combobox', { name: 'Save to' }).selectOption({ label: 'Today’s daily note' });
    await dialog.getByRole('button', { name: /Save/ }).click();
    await dialog.waitFor({ state: 'detached' });
    await treeItem(page, 'Daily notes').waitFor();
  });
});
