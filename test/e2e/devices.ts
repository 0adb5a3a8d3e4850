import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { AccountView } from '../../src/shared/contract/accounts';
import type { CommandInput } from '../../src/shared/contract';
import type { NodeView } from '../../src/shared/contract/nodes';
import { startServer, type RunningServer } from '../../src/server/server';
import { API_PREFIX } from '../../src/shared/api/common';
import { notebookApi, shareNotebook } from '../support/sync';
import {
  connectCore,
  launchBrowser,
  makeDataDir,
  openApp,
  startCore,
  treeItem,
  type AppPage,
  type Core,
} from './helpers';

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

/** Where devices come from: a server to sign in to and a way to start a device on it. */
export interface DeviceHost {
  readonly server: { url: string; createToken(username: string): string };
  /** A device signed in with `token` (through `serverUrl`, e.g. a fault proxy). */
  device(token: string, serverUrl?: string): Promise<DeviceApp>;
}

export interface ServerFixture extends DeviceHost {
  /** The reference server on 127.0.0.1, shared by the file's tests. */
  readonly server: RunningServer;
  readonly browser: Browser;
  /** A device signed in with `token` (through `serverUrl`, e.g. a fault proxy), closed after the tests. */
  device(token: string, serverUrl?: string): Promise<DeviceApp>;
  /** Runs after the file's tests, before the server and browser stop; the last added runs first. */
  onCleanup(cleanup: () => Promise<void> | void): void;
}

/**
 * The set-up of a test file with several users: one reference server (its own data dir) and one Chromium
 * for all its tests, and everything they start cleaned up after them, in reverse order.
 */
export function serverFixture(): ServerFixture {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];
  before(async () => {
    const data = makeDataDir();
    cleanups.push(() => data.remove());
    server = await startServer({ port: 0, dataDir: data.dir, heartbeatMs: 1_000 });
    cleanups.push(() => server?.close());
    browser = await launchBrowser();
    cleanups.push(() => browser?.close());
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  const fixture: ServerFixture = {
    get server() {
      if (!server) throw new Error('the server starts in before()');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('the browser starts in before()');
      return browser;
    },
    async device(token, serverUrl) {
      const device = await startDevice(fixture.browser, serverUrl ?? fixture.server.url, token);
      cleanups.push(() => device.close());
      return device;
    },
    onCleanup(cleanup) {
      cleanups.push(cleanup);
    },
  };
  return fixture;
}

/** The id of the default notebook of `token`'s user, renamed to `name` if given (users' defaults share one). */
export async function ownNotebook(
  serverUrl: string,
  token: string,
  name?: string,
): Promise<{ notebookId: string; userId: string }> {
  const headers = { authorization: `Bearer ${token}` };
  const me = (await (await fetch(`${serverUrl}${API_PREFIX}/me`, { headers })).json()) as {
    notebookId: string;
    userId: string;
  };
  if (name !== undefined) {
    const renamed = await notebookApi(serverUrl, token, me.notebookId)('PATCH', '', { name });
    if (!renamed.ok) throw new Error(`renaming the notebook: ${renamed.status}`);
  }
  return me;
}

/**
 * Signs the app's own core (the fixture's, at `appUrl`) in to `serverUrl` as `token`'s user through its
 * socket, and makes `nodes` in that user's first notebook, in order (a node's parent named by its place in
 * the list, or null); `node(name)` answers one of them. The app still shows Local: `switchToAccount`.
 */
export async function signInApp(
  appUrl: string,
  serverUrl: string,
  token: string,
  nodes: readonly { type: CommandInput<'node.create'>['type']; name: string; parent: number | null }[] = [],
): Promise<{ account: AccountView; notebookId: string; node(name: string): NodeView }> {
  const core = await connectCore(appUrl);
  try {
    const account = await core.invoke('account.add', { serverUrl, token });
    const [notebook] = await core.invoke('notebook.list', { accountId: account.id });
    if (!notebook) throw new Error('the account has no notebook');
    const made: NodeView[] = [];
    for (const { type, name, parent } of nodes)
      made.push(
        await core.invoke('node.create', {
          accountId: account.id,
          notebookId: notebook.id,
          type,
          parentId: parent === null ? null : made[parent]!.id,
          name,
        }),
      );
    const node = (name: string): NodeView => {
      const found = made.find((n) => n.name === name);
      if (!found) throw new Error(`no node named ${name} was made`);
      return found;
    };
    return { account, notebookId: notebook.id, node };
  } finally {
    core.close();
  }
}

/** Switches the workspace to the server account named `accountName` (its last notebook). */
export async function switchToAccount(page: Page, accountName: string): Promise<void> {
  await page.getByRole('button', { name: 'Switch notebook' }).click();
  await page.getByRole('menuitem', { name: `Switch to ${accountName}` }).click();
}

/** Switches the workspace to the server account and to `notebookName` in it (the notebook switcher menu). */
export async function openNotebook(page: Page, accountName: string, notebookName: string): Promise<void> {
  await switchToAccount(page, accountName);
  await page.getByRole('button', { name: 'Switch notebook' }).click();
  await page.getByRole('menuitem', { name: notebookName, exact: true }).click();
}

/**
 * Two devices of two users on one page of a shared notebook: ann owns the notebook ("Team notebook") and
 * shares it with bob as a collaborator; both open `title` in it. Ann's device may reach the server through
 * another address (a fault proxy). A ServerFixture closes them after the tests.
 */
export async function twoDevicesOnOnePage(
  fixture: DeviceHost,
  title: string,
  options: { aServerUrl?: string } = {},
): Promise<{ a: DeviceApp; b: DeviceApp }> {
  const { server } = fixture;
  const annToken = server.createToken('ann');
  // Both users' default notebooks share a name: ann's gets its own before her app first lists it.
  const me = await ownNotebook(server.url, annToken, 'Team notebook');
  await shareNotebook(server.url, annToken, me.notebookId, 'bob');
  const a = await fixture.device(annToken, options.aServerUrl);
  const b = await fixture.device(server.createToken('bob'));
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
