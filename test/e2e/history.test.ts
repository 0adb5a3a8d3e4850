import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { appFixture, editorJSON, settlesTo, waitSaved } from './helpers';

/**
 * E2E_SHOTS=<dir> (e.g. E2E_SHOTS=docs/screenshots): screenshots of the panel, empty, with a diff and a preview,
 * light and dark. Without it nothing is written, so a test run leaves the tree clean.
 */
const SHOTS = process.env.E2E_SHOTS;

async function shoot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    // Buttons fade their background (0.12 s): let the theme switch finish before the picture.
    await page.waitForTimeout(400);
    await page.screenshot({ path: resolve(SHOTS, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

const history = (page: Page) => page.getByRole('dialog', { name: /Version history/ });
const body = (page: Page) => page.locator('.ProseMirror[aria-label="Page content"]');

/** The History panel in Chromium against the real core (Local account: versions in the replica). */
describe('version history (browser mode)', () => {
  const app = appFixture();

  test('save versions, compare with the page now, preview, restore as an undoable edit, rename, delete', async () => {
    const { page } = app;
    await app.newPage('Launch plan');
    await page.keyboard.type('Ship the beta on Monday.');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Tell the press.');
    await waitSaved(page);

    // Empty state, opened from the page menu.
    await page.getByRole('button', { name: 'Page actions' }).click();
    await page.getByRole('menuitem', { name: /Version history/ }).click();
    await history(page).getByText('No versions yet').waitFor();
    await shoot(page, 'history-empty');

    await history(page).getByRole('button', { name: 'Save version now…' }).click();
    const nameField = page
      .getByRole('dialog', { name: 'Save version now' })
      .getByRole('textbox', { name: 'Name' });
    await nameField.fill('Before the review');
    await nameField.press('Enter');
    await history(page)
      .getByRole('option', { name: /Before the review/ })
      .waitFor();
    await history(page).getByText('Same as the page now').waitFor();
    await page.keyboard.press('Escape');
    await history(page).waitFor({ state: 'detached' });

    // Edit after the version: one sentence changed, one removed, one added.
    await body(page).click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('ControlOrMeta+Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.type('Ship the beta on Friday.');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Book the venue.');
    await waitSaved(page);

    // Mod+Alt+H opens it; the diff marks what changed since the version, in document order.
    await page.keyboard.press('ControlOrMeta+Alt+h');
    const panel = history(page);
    await panel.getByRole('option', { name: /Before the review/ }).waitFor();
    await panel
      .getByRole('status')
      .filter({ hasText: /changed|added|removed/ })
      .waitFor();
    const rows = await panel.locator('.diff-row').evaluateAll((els) =>
      els.map((el) => ({
        kind: ['same', 'added', 'removed', 'changed'].find((k) => el.classList.contains(k)),
        ins: [...el.querySelectorAll('ins')].map((n) => n.textContent),
        del: [...el.querySelectorAll('del')].map((n) => n.textContent),
      })),
    );
    assert.deepEqual(rows, [
      { kind: 'changed', ins: ['Friday'], del: ['Monday'] },
      { kind: 'removed', ins: [], del: ['Tell the press.'] },
      { kind: 'added', ins: ['Book the venue.'], del: [] },
    ]);
    await panel.getByRole('button', { name: 'Next change' }).click();
    await panel.locator('.diff-row.changed:focus').waitFor();
    await shoot(page, 'history-diff');

    // Preview: the version read-only, with the editor's schema.
    await panel.getByRole('button', { name: 'Preview' }).click();
    const preview = panel.locator('.ProseMirror[aria-label="Version content"]');
    await preview.getByText('Ship the beta on Monday.').waitFor();
    assert.equal(await preview.getAttribute('contenteditable'), 'false');

    // Restore: the current page is kept as a version first, the page becomes the version, Undo reverts it.
    await panel.getByRole('button', { name: 'Restore…' }).click();
    await page
      .getByRole('dialog', { name: 'Restore this version?' })
      .getByRole('button', { name: 'Restore' })
      .click();
    await panel.waitFor({ state: 'detached' });
    await body(page).getByText('Tell the press.').waitFor();
    await waitSaved(page);
    const texts = async () =>
      ((await editorJSON(page)) as { content: { content?: { text: string }[] }[] }).content.map((b) =>
        (b.content ?? []).map((t) => t.text).join(''),
      );
    assert.deepEqual(await texts(), ['Ship the beta on Monday.', 'Tell the press.']);
    // It is stored (not just drawn): a reload shows the restored page.
    await page.reload();
    await body(page).getByText('Tell the press.').waitFor();
    assert.deepEqual(await texts(), ['Ship the beta on Monday.', 'Tell the press.']);

    await page.keyboard.press('ControlOrMeta+Alt+h');
    const list = history(page).getByRole('listbox', { name: 'Versions' });
    await list.getByRole('option', { name: /Before a restore/ }).waitFor();
    // Newest first; leaving the page after the restore may add an automatic version on top.
    const names = await list
      .getByRole('option')
      .evaluateAll((els) => els.map((el) => el.querySelector('.history-item-name')?.textContent));
    assert.deepEqual(
      names.filter((n) => n !== 'Automatic'),
      ['Before a restore', 'Before the review'],
    );
    // Newest first: the page before the restore, which still has the edits.
    await list.getByRole('option', { name: /Before a restore/ }).click();
    await history(page).getByRole('button', { name: 'Preview' }).click();
    await history(page)
      .locator('.ProseMirror[aria-label="Version content"]')
      .getByText('Book the venue.')
      .waitFor();

    // Keyboard: the list walks with the arrows; rename and delete.
    await list.focus();
    await page.keyboard.press('End');
    await list.getByRole('option', { name: /Before the review/, selected: true }).waitFor();
    await page.keyboard.press('Home');
    await settlesTo(
      () => list.getByRole('option').first().getAttribute('aria-selected'),
      'true',
      'Home selects the first version',
    );
    await page.keyboard.press('End');
    await history(page).getByRole('button', { name: 'Rename…' }).click();
    const rename = page
      .getByRole('dialog', { name: 'Rename version' })
      .getByRole('textbox', { name: 'Name' });
    await rename.fill('Reviewed draft');
    await rename.press('Enter');
    await list.getByRole('option', { name: /Reviewed draft/ }).waitFor();
    await shoot(page, 'history-preview');
    await history(page).getByRole('button', { name: 'Delete…' }).click();
    await page
      .getByRole('dialog', { name: 'Delete this version?' })
      .getByRole('button', { name: 'Delete version' })
      .click();
    await list.getByRole('option', { name: /Reviewed draft/ }).waitFor({ state: 'detached' });
    // The others stay (an automatic version of the reload's close may still arrive meanwhile: not counted).
    await list.getByRole('option', { name: /Before a restore/ }).waitFor();
  });

  test('a restore is one undo step and never loses the page before it', async () => {
    const { page } = app;
    await app.newPage('Standup');
    await page.keyboard.type('old text');
    await waitSaved(page);
    await page.keyboard.press('ControlOrMeta+Alt+h');
    await history(page).getByRole('button', { name: 'Save version now…' }).click();
    const nameField = page
      .getByRole('dialog', { name: 'Save version now' })
      .getByRole('textbox', { name: 'Name' });
    await nameField.fill('v1');
    await nameField.press('Enter');
    await history(page).getByRole('option', { name: /v1/ }).waitFor();
    await page.keyboard.press('Escape');
    await body(page).click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('new text');
    await waitSaved(page);

    await page.keyboard.press('ControlOrMeta+Alt+h');
    await history(page).getByRole('button', { name: 'Restore…' }).click();
    await page
      .getByRole('dialog', { name: 'Restore this version?' })
      .getByRole('button', { name: 'Restore' })
      .click();
    await body(page).getByText('old text').waitFor();
    await body(page).click();
    await page.keyboard.press('ControlOrMeta+z');
    await body(page).getByText('new text').waitFor();
    await waitSaved(page);
    await page.reload();
    await body(page).getByText('new text').waitFor();
  });
});
