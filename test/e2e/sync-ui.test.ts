import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { NotebookStatus } from '../../src/shared/model/roles';
import { FaultProxy, ProxyMode, startTestServer } from '../support/sync';
import { appFixture, connectCore, editorFocused, freePort, waitSaved, waitUntil } from './helpers';

/**
 * The sync UI against the real reference server (in-process, port 0) behind a fault-injecting proxy: the
 * core (a child process in browser mode) syncs through the proxy, Chromium drives the renderer.
 */
const indicator = (page: Page) => page.getByRole('button', { name: /^Sync: / });

async function openAccounts(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Switch notebook' }).click();
  await page.getByRole('menuitem', { name: 'Accounts…' }).click();
  await page.getByRole('dialog', { name: 'Accounts' }).waitFor();
}

async function addServer(page: Page, serverUrl: string, token: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Add a server' });
  await form.getByLabel('Server address').fill(serverUrl);
  await form.getByLabel('Access token').fill(token);
  await form.getByRole('button', { name: 'Add server' }).click();
}

describe('sync UI', () => {
  const app = appFixture();

  it('adds a server account in Settings → Accounts, with readable errors and the token warning', async () => {
    const server = await startTestServer();
    const { page } = app;
    await indicator(page).filter({ hasText: 'On this device' }).waitFor();
    await openAccounts(page);
    const dialog = page.getByRole('dialog', { name: 'Accounts' });
    await dialog.getByRole('note').filter({ hasText: 'unencrypted' }).waitFor();

    await addServer(page, server.url, 'hn_not-a-real-token');
    const error = dialog.getByRole('alert');
    await error.filter({ hasText: 'Token not accepted.' }).waitFor();
    assert.match((await error.textContent()) ?? '', /The server refused this token/);

    const closedPort = await freePort();
    await addServer(page, `http://127.0.0.1:${closedPort}/`, 'whatever');
    await error
      .filter({
        hasText: `Can’t reach 127.0.0.1:${closedPort} — connection refused (nothing listens on that port).`,
      })
      .waitFor();

    // Something that answers, but not as a Hoody Notes server (the core's own browser-mode page): said once.
    await addServer(page, new URL(app.url).origin, 'whatever');
    await error.filter({ hasText: 'Not a Hoody Notes server.' }).waitFor();
    assert.equal(((await error.textContent()) ?? '').match(/Hoody Notes server/g)?.length, 1);
    assert.match((await error.textContent()) ?? '', /Check the address and port/);

    // Typed without http:// (the browser's URL field used to refuse it): this machine means http://.
    const address = dialog.getByRole('textbox', { name: 'Server address' });
    const hint = page.locator(`[id="${(await address.getAttribute('aria-describedby')) ?? ''}"]`);
    assert.match(
      (await hint.textContent()) ?? '',
      /this machine \(127\.0\.0\.1, localhost\) means http:\/\//,
    );
    await addServer(page, server.url.replace(/^http:\/\//, ''), server.createToken('alice'));
    // Signed in: the app opens the new account's notebooks, and it syncs.
    await page.getByRole('dialog', { name: 'Accounts' }).waitFor({ state: 'detached' });
    await page
      .getByRole('button', { name: 'Switch notebook' })
      .filter({ hasText: /alice @ 127\.0\.0\.1/ })
      .waitFor();
    await indicator(page).filter({ hasText: 'Up to date' }).waitFor();
    await openAccounts(page);
    await dialog.getByRole('listitem').filter({ hasText: 'alice @' }).waitFor();
    await dialog.getByRole('listitem').filter({ hasText: 'This device' }).waitFor();
  });

  it('shows pending changes while the server is cut off, up to date after; a refused change can be discarded', async () => {
    const server = await startTestServer();
    const proxy = await FaultProxy.start(server.url);
    const token = server.createToken('bob');
    const { page } = app;
    const core = await connectCore(app.url);
    const account = await core.invoke('account.add', { serverUrl: proxy.url, token });
    const [notebook] = await core.invoke('notebook.list', { accountId: account.id });
    const section = await core.invoke('node.create', {
      accountId: account.id,
      notebookId: notebook!.id,
      type: 'section',
      parentId: null,
      name: 'Travel',
    });
    await core.invoke('node.create', {
      accountId: account.id,
      notebookId: notebook!.id,
      type: 'page',
      parentId: section.id,
      name: 'Packing list',
    });
    core.close();

    await page.getByRole('button', { name: 'Switch notebook' }).click();
    await page.getByRole('menuitem', { name: /Switch to bob @/ }).click();
    await indicator(page).filter({ hasText: 'Up to date' }).waitFor();
    await page.getByRole('treeitem', { name: 'Packing list' }).click();
    await page.locator('.ProseMirror').click();
    await editorFocused(page);

    // The network goes: the indicator says offline and counts what waits.
    proxy.cut();
    await indicator(page).filter({ hasText: 'Offline' }).waitFor();
    await page.keyboard.insertText('Passport and charger');
    await waitSaved(page);
    await indicator(page)
      .filter({ hasText: /Offline · \d+ pending/ })
      .waitFor();
    // When it last synced, never "just now" while offline.
    assert.match((await indicator(page).textContent()) ?? '', /Last synced (under a minute|\d+ min) ago/);

    // Back: "Sync now" in the panel skips the backoff wait.
    proxy.restore();
    await indicator(page).click();
    const panel = page.getByRole('dialog', { name: 'Sync' });
    await panel.getByRole('button', { name: /^Sync bob @.* now$/ }).click();
    await indicator(page).filter({ hasText: 'Up to date' }).waitFor();
    await panel.getByText('Nothing waiting').waitFor();

    // The server makes the notebook read-only: the next edit is refused, shown, and kept until discarded.
    server.setNotebookStatus(notebook!.id, NotebookStatus.readonly);
    await panel.getByRole('button', { name: 'Close' }).click();
    await page.locator('.ProseMirror').click();
    await page.keyboard.press('End');
    await page.keyboard.insertText(', and a map');
    // The page itself says so (not "Saving…", not a plain "Saved"), and its Review opens the Sync panel.
    const pageState = page.getByRole('article', { name: 'Packing list' }).locator('.save-state');
    await pageState.filter({ hasText: 'Saved here, refused by the server' }).waitFor();
    assert.equal(await pageState.getAttribute('role'), 'alert');
    await indicator(page).filter({ hasText: '1 change refused' }).waitFor();
    await pageState.getByRole('button', { name: 'Review the refused change in Sync' }).click();
    const refused = panel.getByRole('listitem').filter({ hasText: 'Packing list' });
    await refused.filter({ hasText: 'Edited the text' }).waitFor();
    await refused.filter({ hasText: /not allowed|read-only/i }).waitFor();
    await panel.getByText('Refused by the server').waitFor();
    assert.match(
      (await page.locator('.ProseMirror').textContent()) ?? '',
      /and a map/,
      'the local text is kept',
    );

    // Copy puts this device's version of the page on the clipboard.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(app.url).origin,
    });
    await refused.getByRole('button', { name: 'Copy Packing list' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied the page text of “Packing list”' }).waitFor();
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), 'Passport and charger, and a map');

    await refused.getByRole('button', { name: 'Discard Packing list' }).click();
    await page
      .getByRole('dialog', { name: 'Discard these changes?' })
      .getByRole('button', { name: 'Discard', exact: true })
      .click();
    await panel.getByText('Nothing waiting').waitFor();
    // The open editor shows the server's version at once (it opened the page again), not the discarded text.
    await waitUntil(page, "!document.querySelector('.ProseMirror')?.textContent?.includes('and a map')");
    assert.equal(await page.locator('.ProseMirror').textContent(), 'Passport and charger');
    assert.equal(await panel.getByText('Refused by the server').count(), 0);
    await pageState.and(page.locator('.saved')).waitFor();
    await indicator(page)
      .filter({ hasText: /Up to date|Offline/ })
      .waitFor();
  });

  it('moves a Local notebook to a server account from the notebook menu, with progress that survives an outage', async () => {
    const server = await startTestServer();
    const proxy = await FaultProxy.start(server.url);
    const { page } = app;
    const core = await connectCore(app.url);
    const account = await core.invoke('account.add', {
      serverUrl: proxy.url,
      token: server.createToken('hana'),
    });
    const [notebook] = await core.invoke('notebook.list', { accountId: 'local' });
    await core.invoke('notebook.update', { accountId: 'local', notebookId: notebook!.id, name: 'Travel' });
    core.close();
    await page.getByRole('button', { name: 'Switch notebook' }).filter({ hasText: 'Travel' }).waitFor();
    await app.newPage('Trip ideas');
    await page.keyboard.insertText('Lisbon in spring');
    await waitSaved(page);

    // The server takes the new notebook but not its contents yet (mutations answer 503).
    proxy.mode = ProxyMode.failMutations;
    await page.getByRole('button', { name: 'Switch notebook' }).click();
    await page.getByRole('menuitem', { name: `Move to ${account.name}…` }).click();
    await page
      .getByRole('dialog', { name: `Move “Travel” to ${account.name}?` })
      .getByRole('button', { name: 'Move notebook' })
      .click();
    const progress = page.getByRole('dialog', { name: 'Moving “Travel”…' });
    await progress
      .getByRole('status')
      .filter({ hasText: /0 of \d+ changes confirmed/ })
      .waitFor();
    await progress.getByRole('button', { name: 'Continue in background' }).click();
    // Still here meanwhile, and the Sync panel shows the move.
    await page.getByRole('button', { name: 'Switch notebook' }).filter({ hasText: 'Travel' }).waitFor();
    await page.getByRole('button', { name: 'Switch notebook' }).click();
    await page.getByRole('menuitem', { name: `Switch to ${account.name}` }).click();
    await indicator(page).click();
    const panel = page.getByRole('dialog', { name: 'Sync' });
    const moving = panel.getByRole('status').filter({ hasText: 'Moving “Travel” from this device' });
    await moving.waitFor();

    proxy.restore();
    await panel.getByRole('button', { name: /^Sync hana @.* now$/ }).click();
    await moving.waitFor({ state: 'detached' });
    await panel.getByText('Nothing waiting').waitFor();
    await panel.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: 'Switch notebook' }).click();
    await page.getByRole('menuitem', { name: 'Travel' }).click();
    await page.getByRole('treeitem', { name: 'Trip ideas' }).click();
    await page.locator('.ProseMirror').filter({ hasText: 'Lisbon in spring' }).waitFor();
    await indicator(page).filter({ hasText: 'Up to date' }).waitFor();

    // Gone from this device's Local account (only the server has it now).
    await page.getByRole('button', { name: 'Switch notebook' }).click();
    await page.getByRole('menuitem', { name: 'Switch to notebooks on this device' }).click();
    await page.getByRole('heading', { name: 'No notebook yet' }).waitFor();
  });
});
