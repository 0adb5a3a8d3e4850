import type { Browser, Page } from 'playwright-core';
import { API_PREFIX } from '../../src/shared/api/common';
import { notebookApi, shareNotebook } from '../support/sync';
import { connectCore, makeDataDir, openApp, startCore, treeItem, type AppPage, type Core } from './helpers';

/**
 * Devices for end-to-end tests through the reference server: each one a browser-mode core with its own data
 * dir, signed in to the server as its own user, and a Chromium page showing it.
 */

export type Invoke = Awaited<ReturnType<typeof connectCore>>['invoke'];

export interface DeviceApp {
  core: Core;
  app: AppPage;
  invoke: Invoke;
  accountId: string;
  accountName: string;
  /** Closes the page, stops the core and removes its data dir. */
  close(): Promise<void>;
}

/** Starts a core, adds the server account of `token` to it and opens the app. */
export async function startDevice(browser: Browser, serverUrl: string, token: string): Promise<DeviceApp> {
  const data = makeDataDir();
  const core = await startCore(data.dir);
  const socket = await connectCore(core.url);
  const account = await socket.invoke('account.add', { serverUrl, token });
  const app = await openApp(browser, core.url);
  return {
    core,
    app,
    invoke: socket.invoke,
    accountId: account.id,
    accountName: account.name,
    async close() {
      socket.close();
      await app.page.context().close();
      await core.stop();
      data.remove();
    },
  };
}

/** Switches the workspace to the server account and to `notebookName` in it (the notebook switcher menu). */
export async function openNotebook(page: Page, accountName: string, notebookName: string): Promise<void> {
  await page.getByRole('button', { name: 'Switch notebook' }).click();
  await page.getByRole('menuitem', { name: `Switch to ${accountName}` }).click();
  await page.getByRole('button', { name: 'Switch notebook' }).click();
  await page.getByRole('menuitem', { name: notebookName, exact: true }).click();
}

/**
 * Two devices of two users on one page of a shared notebook: ann owns the notebook ("Team notebook") and
 * shares it with bob as a collaborator; both open `title` in it. Ann's device may reach the server through
 * another address (a fault proxy).
 */
export async function twoDevicesOnOnePage(
  browser: Browser,
  server: { url: string; createToken(username: string): string },
  title: string,
  options: { aServerUrl?: string } = {},
): Promise<{ a: DeviceApp; b: DeviceApp }> {
  const annToken = server.createToken('ann');
  const headers = { authorization: `Bearer ${annToken}` };
  const me = (await (await fetch(`${server.url}${API_PREFIX}/me`, { headers })).json()) as {
    notebookId: string;
  };
  // Both users' default notebooks share a name: ann's gets its own before her app first lists it.
  const renamed = await notebookApi(server.url, annToken, me.notebookId)('PATCH', '', {
    name: 'Team notebook',
  });
  if (!renamed.ok) throw new Error(`renaming the notebook: ${renamed.status}`);
  await shareNotebook(server.url, annToken, me.notebookId, 'bob');
  const a = await startDevice(browser, options.aServerUrl ?? server.url, annToken);
  const b = await startDevice(browser, server.url, server.createToken('bob'));
  const section = await a.invoke('node.create', {
    accountId: a.accountId,
    notebookId: me.notebookId,
    type: 'section',
    parentId: null,
    name: 'Team',
  });
  await a.invoke('node.create', {
    accountId: a.accountId,
    notebookId: me.notebookId,
    type: 'page',
    parentId: section.id,
    name: title,
  });
  for (const device of [a, b]) {
    await openNotebook(device.app.page, device.accountName, 'Team notebook');
    await treeItem(device.app.page, title).click();
    await device.app.page.locator('.ProseMirror').waitFor();
  }
  return { a, b };
}
