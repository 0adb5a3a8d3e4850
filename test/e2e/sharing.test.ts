import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { API_PREFIX } from '../../src/shared/api/common';
import { waitFor } from '../support/sync';
import { openNotebook, ownNotebook, serverFixture, type DeviceApp } from './devices';
import { settlesTo, treeItem } from './helpers';

/**
 * Roles in the app, end to end: the reference server on 127.0.0.1, two users each with their own core and
 * Chromium page. What a viewer can click is asserted on the real DOM; a role raised by the owner takes
 * effect in the open window, and the text typed then reaches the owner.
 */

/** E2E_SHOTS=<dir>: screenshots of the Share dialog and a viewer's page; without it nothing is written. */
const SHOTS = process.env.E2E_SHOTS;
const fixture = serverFixture();

const editor = (page: Page) => page.locator('.ProseMirror');

async function shoot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: resolve(SHOTS, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Ann's notebook, renamed so it is told apart from Bob's own, with bob invited as a guest from her app. */
async function annAndBob(): Promise<{ ann: DeviceApp; bob: DeviceApp; notebookId: string; bobId: string }> {
  const { server } = fixture;
  const annToken = server.createToken('ann');
  const bobToken = server.createToken('bob');
  const me = await ownNotebook(server.url, annToken, 'Team notebook');
  const ann = await fixture.device(annToken);
  const invite = await ann.invoke('sharing.invite', {
    accountId: ann.accountId,
    notebookId: me.notebookId,
    usernames: 'bob',
    role: 'guest',
  });
  const bobId = invite.invited[0]?.userId;
  assert.ok(bobId, JSON.stringify(invite));
  const bob = await fixture.device(bobToken);
  return { ann, bob, notebookId: me.notebookId, bobId };
}

describe('roles in the app, two users', () => {
  it('a viewer is offered nothing that edits; raised to editor live, the same window types and the owner sees it', async () => {
    const { ann, bob, notebookId, bobId } = await annAndBob();
    const create = (type: 'section' | 'page', parentId: string | null, name: string) =>
      ann.invoke('node.create', { accountId: ann.accountId, notebookId, type, parentId, name });
    const section = await create('section', null, 'Team');
    const plan = await create('page', section.id, 'Plan');
    await create('page', section.id, 'Budget');
    await create('section', null, 'Private');
    await ann.invoke('sharing.setRole', {
      accountId: ann.accountId,
      nodeId: section.id,
      userId: bobId,
      role: 'viewer',
    });

    const page = bob.app.page;
    await openNotebook(page, bob.accountName, 'Team notebook');
    await treeItem(page, 'Plan').click();
    await editor(page).waitFor();

    // The page: read-only, says so and why, no toolbar, the title cannot be changed.
    const notice = page.getByRole('note', { name: 'View only' });
    await notice.waitFor();
    assert.match(await notice.innerText(), /You are a viewer on “Team”: you can read, not edit\./);
    assert.equal(await editor(page).getAttribute('contenteditable'), 'false');
    assert.equal(await page.getByRole('toolbar').count(), 0, 'no formatting toolbar');
    // The page menu offers reading things only: history and exports, no Move to trash.
    await page.getByRole('button', { name: 'Page actions' }).click();
    const pageMenu = page.getByRole('menu', { name: 'Page actions' });
    await pageMenu.getByRole('menuitem', { name: 'Export as Markdown' }).waitFor();
    assert.equal(await pageMenu.getByRole('menuitem', { name: 'Move to trash' }).count(), 0);
    await page.keyboard.press('Escape');
    await pageMenu.waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('textbox', { name: 'Page title' }).getAttribute('readonly'), '');
    // The sidebar: no New page, no New section, only the shared section; rows offer no New page inside, no drag.
    assert.equal(await page.getByRole('button', { name: 'New page' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'New section' }).count(), 0);
    assert.equal(await treeItem(page, 'Private').count(), 0, 'the unshared section never reached Bob');
    await treeItem(page, 'Plan').hover();
    assert.equal(await page.getByRole('button', { name: 'New page in Plan' }).count(), 0);
    assert.equal(await treeItem(page, 'Plan').getAttribute('draggable'), 'false');
    await page.getByRole('button', { name: 'More actions for Plan' }).click();
    const menu = page.getByRole('menu', { name: 'Actions for Plan' });
    await menu.waitFor();
    assert.deepEqual(
      (await menu.getByRole('menuitem').allInnerTexts()).map((t) => t.trim()),
      // Reading things stay offered: opening the page, its exports and the export of what it holds.
      [
        'View only: you cannot change this',
        'Open',
        'Export as Markdown',
        'Export as HTML',
        'Export as Markdown (.zip)',
      ],
    );
    await page.keyboard.press('Escape');
    // Keys: F2 and Delete on the row do nothing; typing into the page changes nothing and queues nothing.
    await treeItem(page, 'Budget').focus();
    await page.keyboard.press('F2');
    assert.equal(await page.getByRole('textbox', { name: 'Name' }).count(), 0, 'F2 opened no rename field');
    await page.keyboard.press('Delete');
    await editor(page).click();
    await page.keyboard.type('sneaky');
    assert.equal((await editor(page).innerText()).includes('sneaky'), false);
    // Nothing queued or refused: not even the empty page's first paragraph (it is the owner's to write).
    await new Promise((done) => setTimeout(done, 300));
    const status = (await bob.invoke('sync.status', {})).find((s) => s.accountId === bob.accountId);
    assert.deepEqual([status?.pending, status?.rejected], [0, 0], 'nothing queued or refused');
    assert.ok(
      (await bob.invoke('node.tree', { accountId: bob.accountId, notebookId })).some(
        (n) => n.name === 'Budget' && !n.trashedAt,
      ),
      'Delete did not trash Budget',
    );
    await shoot(page, 'sharing-view-only');

    // Raised to editor on the page: the open editor becomes editable, the notice goes, typing reaches Ann.
    await ann.invoke('sharing.setRole', {
      accountId: ann.accountId,
      nodeId: plan.id,
      userId: bobId,
      role: 'editor',
    });
    await page.locator('.ProseMirror[contenteditable="true"]').waitFor();
    await notice.waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('toolbar').count(), 1, 'the toolbar is back');
    await editor(page).click();
    await page.keyboard.type('Hello from Bob');
    const annPage = ann.app.page;
    await openNotebook(annPage, ann.accountName, 'Team notebook');
    await treeItem(annPage, 'Plan').click();
    await annPage.getByText('Hello from Bob').waitFor();
    // Still a viewer of the section: Budget stays read-only for Bob.
    await treeItem(page, 'Budget').click();
    await page.getByRole('note', { name: 'View only' }).waitFor();
    assert.deepEqual(bob.app.problems, []);
    assert.deepEqual(ann.app.problems, []);
  });

  it('the Share dialog: empty state, invites with per-user errors, a role granted from the keyboard', async () => {
    const { server } = fixture;
    const owner = server.createToken('dora');
    const me = await ownNotebook(server.url, owner);
    const dora = await fixture.device(owner);
    const section = await dora.invoke('node.create', {
      accountId: dora.accountId,
      notebookId: me.notebookId,
      type: 'section',
      parentId: null,
      name: 'Quarterly planning for the whole product organisation and its many partner teams',
    });
    await dora.invoke('node.create', {
      accountId: dora.accountId,
      notebookId: me.notebookId,
      type: 'page',
      parentId: section.id,
      name: 'Roadmap',
    });
    const page = dora.app.page;
    await openNotebook(page, dora.accountName, 'My Notebook');
    await treeItem(page, 'Roadmap').click();
    await page.getByRole('button', { name: 'Share' }).click();
    const dialog = page.getByRole('dialog', { name: 'Share “Roadmap”' });
    await dialog.waitFor();
    await dialog.getByText('Only you are in this notebook.').waitFor();
    await shoot(page, 'share-dialog-empty');

    // Invite two people, one of them twice: each answered on its own, readable.
    const long = 'a-member-with-a-very-long-username-to-check-the-layout-0123456';
    await dialog.getByRole('textbox', { name: 'Usernames' }).fill(`erin, ${long}`);
    await dialog.getByRole('button', { name: 'Invite' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Invited' }).waitFor();
    await dialog.getByRole('textbox', { name: 'Usernames' }).fill('erin');
    await dialog.getByRole('textbox', { name: 'Usernames' }).press('Enter');
    const refusal = () => dialog.getByRole('alert').innerText();
    await settlesTo(refusal, /Not invited: erin: Username already exists/, 'the refusal of erin');
    await dialog.getByRole('textbox', { name: 'Usernames' }).fill('no spaces@allowed');
    await dialog.getByRole('button', { name: 'Invite' }).click();
    // The alert above may still be shown until this answer replaces it.
    await settlesTo(refusal, /not a username: spaces@allowed/, 'the refusal of a bad username');

    // Erin, a guest, has no access until granted one here, from the keyboard.
    const erin = dialog.getByRole('listitem').filter({ hasText: '@erin' });
    await erin.getByText('No access').waitFor();
    const role = dialog.getByRole('combobox', { name: 'Role of erin on Roadmap' });
    await role.focus();
    await role.selectOption('viewer');
    await erin.getByText('Viewer, granted here').waitFor();
    await dialog
      .getByRole('listitem')
      .filter({ hasText: `@${long}` })
      .getByText('No access')
      .waitFor();
    await shoot(page, 'share-dialog-full');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // The tree's menu opens it too (Shift+F10 on the row), and shows the grant made above.
    await treeItem(page, 'Roadmap').focus();
    await page.keyboard.press('Shift+F10');
    await page.getByRole('menuitem', { name: 'Share…' }).click();
    await page
      .getByRole('dialog', { name: 'Share “Roadmap”' })
      .getByRole('listitem')
      .filter({ hasText: '@erin' })
      .getByText('Viewer, granted here')
      .waitFor();
    // And the grant reached the server (sent by the outbox).
    const roadmap = (
      await dora.invoke('node.tree', { accountId: dora.accountId, notebookId: me.notebookId })
    ).find((n) => n.name === 'Roadmap');
    const collaborators = `${server.url}${API_PREFIX}/notebooks/${me.notebookId}/nodes/${roadmap?.id}/collaborators`;
    await waitFor('the grant on the server', async () => {
      const body = (await (
        await fetch(collaborators, { headers: { authorization: `Bearer ${owner}` } })
      ).json()) as {
        collaborators: { username: string; role: string }[];
      };
      return body.collaborators.some((c) => c.username === 'erin' && c.role === 'viewer');
    });
    assert.deepEqual(dora.app.problems, []);
  });
});
