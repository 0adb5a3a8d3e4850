import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  findNode,
  openDevice,
  PageEditor,
  shareNotebook,
  signIn,
  startTestServer,
  waitFor,
} from '../support/sync';
import { signInApp, switchToAccount } from './devices';
import { appFixture, treeItem } from './helpers';

const dot = (page: Page, name: string) => treeItem(page, name).locator('.unread-dot');

/**
 * Unread markers in Chromium: the app (a browser-mode core signed in as Ann) and Bob (an in-process device)
 * on the reference server. Bob edits Ann's page: a dot appears beside it in Ann's sidebar, and opening the
 * page clears it.
 */
describe('unread pages (browser mode)', () => {
  const app = appFixture();

  it('a page someone else edited gets a dot in the sidebar until it is opened', async () => {
    const server = await startTestServer();
    const annToken = server.createToken('ann');
    const { account, notebookId, node } = await signInApp(app.url, server.url, annToken, [
      { type: 'section', name: 'Team', parent: null },
      { type: 'page', name: 'Roadmap', parent: 0 },
      { type: 'page', name: 'Notes', parent: 0 },
    ]);
    const roadmap = node('Roadmap');
    await shareNotebook(server.url, annToken, notebookId, 'bob');

    const { page } = app;
    await switchToAccount(page, account.name);
    await treeItem(page, 'Roadmap').waitFor();
    assert.equal(await dot(page, 'Roadmap').count(), 0, 'Ann’s own page is not unread for her');

    const bob = await signIn(await openDevice(501), server.url, server.createToken('bob'), notebookId);
    await waitFor('the page on Bob’s device', () =>
      findNode(bob.core, bob.accountId, bob.notebookId, roadmap.id),
    );
    const editor = await PageEditor.open(bob.core, bob.accountId, roadmap);
    await editor.type('Ship it in May');
    await editor.close();

    await dot(page, 'Roadmap').waitFor();
    assert.equal(
      await treeItem(page, 'Roadmap').getAttribute('aria-description'),
      'Changed since you last opened it',
    );
    assert.equal(await dot(page, 'Notes').count(), 0);

    await treeItem(page, 'Roadmap').click();
    await page.locator('.ProseMirror').filter({ hasText: 'Ship it in May' }).waitFor();
    await dot(page, 'Roadmap').waitFor({ state: 'detached' });
    // Still read after leaving it (and the leave's own `seen` mark).
    await treeItem(page, 'Notes').click();
    await page.getByRole('article', { name: 'Notes' }).waitFor();
    await page.waitForTimeout(300);
    assert.equal(await dot(page, 'Roadmap').count(), 0);
  });
});
