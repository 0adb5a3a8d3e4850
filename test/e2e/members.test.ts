import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { FaultProxy } from '../support/sync';
import { openNotebook, ownNotebook, serverFixture } from './devices';
import { settlesTo } from './helpers';

/**
 * Notebook members and server notebooks in the app, end to end: the reference server on 127.0.0.1, two users
 * each with their own core and Chromium page (ann's through a FaultProxy so she can go offline).
 * E2E_SHOTS=<dir>: the Members dialog alone and with members, light and dark; without it nothing is written.
 */
const SHOTS = process.env.E2E_SHOTS;
const fixture = serverFixture();

const dialog = (page: Page) => page.getByRole('dialog', { name: /^Members of/ });
const members = (page: Page) => dialog(page).getByRole('list', { name: 'Members' }).getByRole('listitem');
const switcher = (page: Page) => page.getByRole('button', { name: 'Switch notebook' });

async function notebookMenu(page: Page, item: string): Promise<void> {
  await switcher(page).click();
  await page.getByRole('menuitem', { name: item, exact: true }).click();
}

/** The notebooks the switcher's menu lists (the menu is opened and closed again). */
async function listedNotebooks(page: Page, known: readonly string[]): Promise<string[]> {
  await switcher(page).click();
  const menu = page.getByRole('menu', { name: 'Notebooks' });
  await menu.waitFor();
  const labels = await menu.getByRole('menuitem').allInnerTexts();
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'detached' });
  return labels.map((l) => l.trim()).filter((l) => known.includes(l));
}

async function serverNames(token: string): Promise<string[]> {
  const response = await fetch(`${fixture.server.url}/api/v1/notes/notebooks`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return ((await response.json()) as { notebooks: { name: string }[] }).notebooks.map((n) => n.name).sort();
}

async function shoot(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(200); // buttons fade their background (0.12 s)
    if (SHOTS) await page.screenshot({ path: resolve(SHOTS, `${name}-${scheme}.png`) });
    const { scroll, client } = await dialog(page).evaluate((el) => ({
      scroll: el.scrollWidth,
      client: el.clientWidth,
    }));
    assert.ok(scroll <= client, `${name} ${scheme}: the dialog does not scroll sideways`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('notebook members and server notebooks in the app, two users', () => {
  it('invites several with per-user errors, changes a role, removes; the member leaves; live on both', async () => {
    const { server } = fixture;
    const annToken = server.createToken('ann');
    const bobToken = server.createToken('bob');
    await ownNotebook(server.url, annToken, 'Team notebook');
    const ann = await fixture.device(annToken);
    const bob = await fixture.device(bobToken);
    const a = ann.app.page;
    const b = bob.app.page;

    await openNotebook(a, ann.accountName, 'Team notebook');
    await notebookMenu(a, 'Members…');
    await dialog(a).getByText('Only you are in this notebook. Invite people below.').waitFor();
    assert.deepEqual(await members(a).allInnerTexts(), [await members(a).first().innerText()]);
    assert.match(await members(a).first().innerText(), /ann \(you\)[\s\S]*@ann · Owner/);
    await shoot(a, 'members-alone');

    // Three names at once: two invited, one already a member, each answered on its own.
    await dialog(a).getByRole('textbox', { name: 'Usernames' }).fill('bob, cy ann');
    await dialog(a).getByRole('combobox', { name: 'Notebook role' }).selectOption('collaborator');
    await dialog(a).getByRole('button', { name: 'Invite' }).click();
    await dialog(a).getByRole('status').filter({ hasText: 'Invited bob, cy.' }).waitFor();
    const refused = dialog(a).getByRole('alert');
    await refused.waitFor();
    assert.match(await refused.innerText(), /Not invited: ann: Username already exists in notebook/);
    await settlesTo(() => members(a).count(), 3, 'three members listed');

    // A role changed, a member removed: both answered by the server, shown when it did.
    await dialog(a).getByRole('combobox', { name: 'Notebook role of bob' }).selectOption('admin');
    await members(a).filter({ hasText: '@bob · Admin' }).waitFor();
    await dialog(a).getByRole('button', { name: 'Remove cy' }).click();
    await settlesTo(() => members(a).count(), 2, 'cy removed');
    await shoot(a, 'members');

    // Bob's app lists the notebook live; as an admin he manages members, and leaves.
    await notebookMenu(b, `Switch to ${bob.accountName}`);
    await settlesTo(
      () => listedNotebooks(b, ['Team notebook']),
      ['Team notebook'],
      'Team notebook on bob’s list',
    );
    await notebookMenu(b, 'Team notebook');
    await settlesTo(() => switcher(b).innerText(), /Team notebook/, 'bob in Team notebook');
    await notebookMenu(b, 'Members…');
    await dialog(b).getByRole('combobox', { name: 'Notebook role of ann' }).waitFor({ state: 'detached' });
    assert.equal(
      await dialog(b).getByRole('button', { name: 'Remove ann' }).count(),
      0,
      'an admin is not offered to remove the owner',
    );
    await dialog(b).getByRole('button', { name: 'Leave notebook…' }).click();
    await dialog(b).getByRole('button', { name: 'Leave', exact: true }).click();
    await dialog(b).waitFor({ state: 'detached' });
    await settlesTo(() => listedNotebooks(b, ['Team notebook']), [], 'gone from bob’s list');
    // Ann's open dialog follows.
    await settlesTo(() => members(a).count(), 1, 'bob gone from ann’s members');

    // The owner cannot leave: the server's reason, and she stays.
    await dialog(a).getByRole('button', { name: 'Leave notebook…' }).click();
    await dialog(a).getByRole('button', { name: 'Leave', exact: true }).click();
    await dialog(a).getByRole('alert').filter({ hasText: 'at least one owner' }).waitFor();
    await dialog(a).getByRole('button', { name: 'Close' }).click();
    await dialog(a).waitFor({ state: 'detached' });
    assert.equal(
      await switcher(a)
        .innerText()
        .then((t) => t.includes('Team notebook')),
      true,
    );
  });

  it('creates, renames and deletes a server notebook; offline it says nothing was changed', async () => {
    const { server } = fixture;
    const token = server.createToken('dee');
    await ownNotebook(server.url, token, 'Dee’s notes');
    const proxy = await FaultProxy.start(server.url);
    const dee = await fixture.device(token, proxy.url);
    const page = dee.app.page;
    await openNotebook(page, dee.accountName, 'Dee’s notes');

    await notebookMenu(page, 'New notebook…');
    await page.getByRole('textbox', { name: 'Name' }).fill('Launch');
    await page.getByRole('button', { name: 'Create' }).click();
    await settlesTo(() => switcher(page).innerText(), /Launch/, 'the new notebook is open');
    assert.deepEqual(await serverNames(token), ['Dee’s notes', 'Launch']);

    await notebookMenu(page, 'Rename notebook…');
    await page.getByRole('textbox', { name: 'Name' }).fill('Launch 2027');
    await page.getByRole('button', { name: 'Rename' }).click();
    await settlesTo(() => switcher(page).innerText(), /Launch 2027/, 'renamed');
    assert.deepEqual(await serverNames(token), ['Dee’s notes', 'Launch 2027']);

    // Offline: refused with the reason, nothing created here or there.
    proxy.cut();
    await notebookMenu(page, 'New notebook…');
    await page.getByRole('textbox', { name: 'Name' }).fill('Offline idea');
    await page.getByRole('button', { name: 'Create' }).click();
    await page
      .getByText(/Could not create the notebook: The server cannot be reached, so nothing was changed/)
      .first()
      .waitFor();
    assert.deepEqual(await listedNotebooks(page, ['Dee’s notes', 'Launch 2027', 'Offline idea']), [
      'Dee’s notes',
      'Launch 2027',
    ]);
    proxy.restore();
    assert.deepEqual(await serverNames(token), ['Dee’s notes', 'Launch 2027']);

    await notebookMenu(page, 'Delete notebook…');
    const confirm = page.getByRole('dialog', { name: 'Delete “Launch 2027”?' });
    assert.match(await confirm.innerText(), /on the server and for everyone in it/);
    await confirm.getByRole('button', { name: 'Delete notebook' }).click();
    await settlesTo(
      () => listedNotebooks(page, ['Dee’s notes', 'Launch 2027']),
      ['Dee’s notes'],
      'deleted here',
    );
    assert.deepEqual(await serverNames(token), ['Dee’s notes']);
  });
});
