import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editor, panel, select, shoot, threads } from './comments-page';
import { serverFixture, twoDevicesOnOnePage } from './devices';
import { waitSaved } from './helpers';

/**
 * Re-anchoring end to end: the reference server on 127.0.0.1, ann's and bob's app instances and a Chromium page
 * each on one page of ann's shared notebook. E2E_SHOTS=<dir>: the detached thread being re-anchored, light and
 * dark.
 */
const fixture = serverFixture();

describe('re-anchoring a comment thread (two users, the reference server)', () => {
  it('a thread whose text was deleted is detached on both sides and re-anchored by selecting new text', async () => {
    const { a, b } = await twoDevicesOnOnePage(fixture, 'Release notes');
    const ann = a.app.page;
    const bob = b.app.page;
    await editor(ann).click();
    await ann.keyboard.type('Ship on Friday.');
    await ann.keyboard.press('Enter');
    await ann.keyboard.type('Launch on Monday.');
    await waitSaved(ann);
    await editor(bob).getByText('Launch on Monday.').waitFor();

    await select(ann, 'Friday');
    await ann.keyboard.press('Control+Alt+m');
    const composer = panel(ann).getByRole('textbox', { name: 'New comment' });
    await composer.fill('Which Friday?');
    await composer.press('Enter');
    await editor(ann).locator('.comment-anchor', { hasText: 'Friday' }).waitFor();
    await bob.keyboard.press('Control+Alt+m');
    await editor(bob).locator('.comment-anchor', { hasText: 'Friday' }).waitFor();

    // Ann deletes the commented line's text: the thread is kept, detached, on both sides.
    await editor(ann).getByText('Ship on Friday.').click();
    await ann.keyboard.press('End');
    await ann.keyboard.press('Shift+Home');
    await ann.keyboard.press('Backspace');
    await waitSaved(ann);
    const annThread = threads(ann).filter({ hasText: 'Which Friday?' });
    const bobThread = threads(bob).filter({ hasText: 'Which Friday?' });
    await annThread.getByText('The commented text was deleted.').waitFor();
    await bobThread.getByText('The commented text was deleted.').waitFor();
    assert.equal(await editor(ann).locator('.comment-anchor').count(), 0);
    // Bob (neither its author nor an admin of the page) is not offered to move Ann's thread.
    assert.equal(await bobThread.getByRole('button', { name: 'Re-anchor…' }).count(), 0);

    // Nothing selected: the panel says what to do first, nothing changes.
    await annThread.getByRole('button', { name: 'Re-anchor…' }).click();
    const attach = annThread.getByRole('button', { name: 'Attach to selection' });
    await attach.click();
    await annThread.getByRole('alert').getByText('select the text first').waitFor();
    await shoot(ann, 'comments-reanchor');

    // Select "Monday", attach: highlighted there on both sides, no longer detached.
    await editor(ann).getByText('Launch on Monday.').click();
    await select(ann, 'Monday');
    await attach.click();
    await editor(ann).locator('.comment-anchor', { hasText: 'Monday' }).waitFor();
    await annThread.getByText('The commented text was deleted.').waitFor({ state: 'detached' });
    assert.equal(await annThread.locator('.comment-quote').innerText(), 'Monday');
    await editor(bob).locator('.comment-anchor', { hasText: 'Monday' }).waitFor();
    await bobThread.getByText('The commented text was deleted.').waitFor({ state: 'detached' });
    assert.equal(await bobThread.locator('.comment-quote').innerText(), 'Monday');
    assert.deepEqual(a.app.problems, []);
    assert.deepEqual(b.app.problems, []);
  });
});
