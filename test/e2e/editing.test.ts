import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appFixture, editorFocused, editorJSON, treeItem, waitSaved, waitUntil } from './helpers';

/** Editing tools, notebooks and the saved-state promise, in Chromium against the real core (browser mode). */
describe('editing and notebooks (browser mode)', () => {
  const app = appFixture();

  test('an edit the core never acknowledged is reported as not saved, never as saved', async () => {
    const { page } = app;
    await app.newPage('Offline');
    await page.locator('.ProseMirror').click();
    await page.keyboard.type('kept');
    await waitSaved(page);
    await app.stopCore();
    await page.keyboard.type(' but not saved');
    const status = page.locator('.save-state');
    await status.filter({ hasText: 'Not saved: Not connected to the Hoody Notes core' }).waitFor();
    assert.equal(await page.locator('.save-state.saved').count(), 0);
  });
  test('typing shows “Saving…” until the core acknowledged it, then “Saved” with the time', async () => {
    const { page } = app;
    await app.newPage('Save state');
    await page.locator('.ProseMirror').click();
    await waitSaved(page);
    // Every state the indicator shows (its class and words), recorded as it changes: "Saving…" is brief.
    await page.evaluate(`(() => {
      const header = document.querySelector('.save-state').parentElement;
      window.__shown = [];
      new MutationObserver(() => {
        const element = header.querySelector('.save-state');
        window.__shown.push(element.className + ' ' + element.textContent.trim());
      }).observe(header, { attributes: true, childList: true, subtree: true, characterData: true });
    })()`);
    await page.keyboard.type('abc');
    await page.locator('.ProseMirror p', { hasText: 'abc' }).waitFor();
    await waitSaved(page);
    const shown = (await page.evaluate('window.__shown')) as string[];
    assert.ok(shown.includes('save-state saving Saving…'), `shown: ${shown.join(' | ')}`);
    assert.equal(shown.at(-1), 'save-state saved Saved');
    const status = page.getByRole('status').filter({ hasText: 'Saved' });
    assert.match((await status.getAttribute('title')) ?? '', /^Saved at /);
    assert.equal(await status.locator('svg:visible').count(), 1, 'one icon shown');
  });

  test('two windows on the same core see each other’s typing and renames live', async () => {
    const { page } = app;
    await app.newPage('Shared');
    const other = await page.context().newPage();
    await other.goto(app.url);
    await treeItem(other, 'Shared').click();
    await other.locator('.ProseMirror').waitFor();

    await page.locator('.ProseMirror').click();
    await page.keyboard.type('typed in the first window');
    await other.locator('.ProseMirror p', { hasText: 'typed in the first window' }).waitFor();

    await other.locator('.ProseMirror').click();
    await other.keyboard.press('End');
    await other.keyboard.type(', answered in the second');
    await page.locator('.ProseMirror p', { hasText: 'answered in the second' }).waitFor();

    // Each tab sees the other's caret, labelled as the user's other window, and never its own.
    const otherCaret = (p: typeof page) =>
      p.locator('.collab-caret-label', { hasText: 'You (other window)' });
    await otherCaret(page).waitFor();
    await page.getByRole('list', { name: 'Also viewing: You (other window)' }).waitFor();
    await page.locator('.ProseMirror').click();
    await otherCaret(other).waitFor();
    assert.equal(await page.locator('.collab-caret').count(), 1, 'one caret: the other tab’s');
    if (process.env.E2E_SHOTS)
      await other.screenshot({ path: `${process.env.E2E_SHOTS}/two-window-carets.png` });

    const title = page.getByRole('textbox', { name: 'Page title' });
    await title.fill('Shared notes');
    await title.press('Enter');
    await treeItem(other, 'Shared notes').waitFor();
    await waitSaved(page);
    await waitSaved(other);
    assert.deepEqual(await editorJSON(other), await editorJSON(page));
    await other.close();
    // A closed tab's caret goes at once (its socket closed), not after the 45 s timeout (the step timeout is
    // well under that, with margin for a loaded CI machine).
    await page.locator('.collab-caret').waitFor({ state: 'detached' });
  });

  test('slash menu, toolbar and the new-page shortcut insert what they promise', async () => {
    const { page } = app;
    await treeItem(page, 'Notes').waitFor();
    await page.keyboard.press('Control+Alt+n');
    const title = page
      .getByRole('article', { name: 'Untitled' })
      .getByRole('textbox', { name: 'Page title' });
    await title.fill('Blocks');
    await title.press('Enter');
    await treeItem(page, 'Blocks').waitFor();
    await editorFocused(page);

    await page.keyboard.type('/tab');
    await page
      .getByRole('listbox', { name: 'Insert block' })
      .getByRole('option', { name: /Table/ })
      .waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.ProseMirror table th').first().waitFor();
    await page.keyboard.type('Owner');

    await page.locator('.ProseMirror p').last().click();
    await page.getByRole('button', { name: 'To-do list' }).click();
    await page.keyboard.type('Ship it');
    await page.locator('.ProseMirror ul[data-type="taskList"] li', { hasText: 'Ship it' }).waitFor();
    await page.keyboard.press('Shift+Home');
    await waitUntil(page, "document.getSelection()?.toString() === 'Ship it'");
    await page.keyboard.press('Control+k');
    await page.getByRole('textbox', { name: 'Link address' }).fill('example.com');
    await page.keyboard.press('Enter');
    await page.locator('.ProseMirror a[href="https://example.com/"]').waitFor();
    await waitSaved(page);
    const doc = JSON.stringify(await editorJSON(page));
    assert.match(doc, /"type":"table".*"text":"Owner"/);
    assert.match(doc, /"type":"taskList".*"text":"Ship it"/);

    await page.keyboard.press('Control+/');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).getByText('New page').waitFor();
    await page.keyboard.press('Escape');
  });
  test('notebooks can be renamed and deleted, and an empty notebook says what to do', async () => {
    const { page } = app;
    const switcher = page.getByRole('button', { name: 'Switch notebook' });
    await switcher.click();
    await page.getByRole('menuitem', { name: 'New notebook…' }).click();
    await page.getByRole('textbox', { name: 'Name' }).fill('Scratch');
    await page.getByRole('button', { name: 'Create' }).click();
    await switcher.filter({ hasText: 'Scratch' }).waitFor();
    await page.getByRole('heading', { name: 'This notebook is empty' }).waitFor();

    await switcher.click();
    await page.getByRole('menuitem', { name: 'Rename notebook…' }).click();
    await page.getByRole('textbox', { name: 'Name' }).fill('Sandbox');
    await page.getByRole('button', { name: 'Rename' }).click();
    await switcher.filter({ hasText: 'Sandbox' }).waitFor();

    await switcher.click();
    await page.getByRole('menuitem', { name: 'Delete notebook…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete notebook' }).click();
    await switcher.filter({ hasText: 'My Notebook' }).waitFor();
    await switcher.click();
    assert.equal(await page.getByRole('menuitem', { name: 'Sandbox' }).count(), 0);
    await page.keyboard.press('Escape');
  });
});
