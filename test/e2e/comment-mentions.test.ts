import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editor, panel, select, shoot, threads } from './comments-page';
import { serverFixture, twoDevicesOnOnePage } from './devices';
import { settlesTo, waitSaved } from './helpers';

/**
 * @mentions end to end: the reference server on 127.0.0.1, ann's and bob's app instances and a Chromium page
 * each on one page of ann's shared notebook. E2E_SHOTS=<dir>: the members offered while `@` is typed, light and
 * dark.
 */
const fixture = serverFixture();

describe('@mentions in comments (two users, the reference server)', () => {
  it('typing @ offers the notebook’s members; the chosen one is stored as @username and shown as a mention on both sides', async () => {
    const { a, b } = await twoDevicesOnOnePage(fixture, 'Budget');
    const ann = a.app.page;
    const bob = b.app.page;
    await editor(ann).click();
    await ann.keyboard.type('Travel costs are over budget.');
    await waitSaved(ann);
    await bob.keyboard.press('Control+Alt+m');

    await select(ann, 'over budget');
    await ann.keyboard.press('Control+Alt+m');
    const composer = panel(ann).getByRole('textbox', { name: 'New comment' });
    await composer.pressSequentially('Could @b');
    const list = panel(ann).getByRole('listbox', { name: 'Mention a member' });
    await list.getByRole('option', { name: /@bob/ }).waitFor();
    // Only the others: ann is not offered to herself.
    assert.equal(await list.getByRole('option', { name: /@ann/ }).count(), 0);
    assert.equal(
      await composer.getAttribute('aria-activedescendant'),
      await list.getByRole('option').first().getAttribute('id'),
    );
    await shoot(ann, 'comments-mention');
    // Esc closes the list only; typing on brings it back; Enter picks the chosen member.
    await composer.press('Escape');
    await list.waitFor({ state: 'detached' });
    await composer.waitFor();
    await composer.pressSequentially('o');
    await list.getByRole('option', { name: /@bob/ }).waitFor();
    await composer.press('Enter');
    await settlesTo(() => composer.inputValue(), 'Could @bob ', 'the mention inserted');
    await composer.pressSequentially('check the hotel?');
    await composer.press('Enter');

    const annThread = threads(ann).filter({ hasText: 'check the hotel?' });
    await annThread.waitFor();
    assert.equal(await annThread.locator('.comment-mention').innerText(), '@bob');
    // On bob's side the mention is his own (marked) and the stored text is the plain @username.
    const bobThread = threads(bob).filter({ hasText: 'check the hotel?' });
    await bobThread.waitFor();
    assert.equal(await bobThread.locator('.comment-mention.me').innerText(), '@bob');
    const [listed] = await b.invoke('comment.list', {
      accountId: b.accountId,
      nodeId: (
        await a.invoke('node.tree', {
          accountId: a.accountId,
          notebookId: (await a.invoke('notebook.list', { accountId: a.accountId }))[0]!.id,
        })
      ).find((n) => n.name === 'Budget')!.id,
    });
    assert.equal(listed?.content, 'Could @bob check the hotel?');
    assert.deepEqual(a.app.problems, []);
    assert.deepEqual(b.app.problems, []);
  });
});
