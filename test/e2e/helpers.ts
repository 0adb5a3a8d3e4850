import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inspect, isDeepStrictEqual } from 'node:util';
import { after, afterEach, before, beforeEach } from 'node:test';
import { chromium, type Browser, type FileChooser, type Page } from 'playwright-core';
import { WebSocket } from 'ws';
import type { CommandInput, CommandName, CommandOutput } from '../../src/shared/contract';
import { decodeFrame, encodeFrame, type ServerFrame } from '../../src/shared/contract/wire';
import type { Result } from '../../src/shared/lib/result';

/**
 * End-to-end plumbing: the real core as a child process in browser mode (`out/main/web.js`, so `npm run
 * build` must have run), and Debian's Chromium driven by playwright-core.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const WEB_ENTRY = join(ROOT, 'out/main/web.js');
const URL_PATTERN = /http:\/\/127\.0\.0\.1:\d+\/#k=[\w-]+/;
const START_TIMEOUT_MS = 15_000;

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function makeDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'hoody-e2e-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Core {
  url: string;
  stop(): Promise<void>;
  /** SIGKILL: the core dies without closing anything (a crash). */
  kill(): Promise<void>;
}

/** Starts `node out/main/web.js --data <dir> --port <port, default 0>` and resolves with the URL it prints. */
export async function startCore(dataDir: string, options: { port?: number } = {}): Promise<Core> {
  if (!existsSync(WEB_ENTRY)) throw new Error(`${WEB_ENTRY} is missing: run 'npm run build' first`);
  const port = String(options.port ?? 0);
  const child = spawn(process.execPath, [WEB_ENTRY, '--data', dataDir, '--port', port], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`core did not print its URL in time:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = URL_PATTERN.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[0]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`core exited with ${code} before printing its URL:\n${output}`));
    });
  });
  return { url, stop: () => stopChild(child), kill: () => stopChild(child, 'SIGKILL') };
}

/** A port free right now on 127.0.0.1 (for a core that must come back on the same address). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

/** Console noise of a tab whose core is down on purpose: its reconnect attempts and key checks fail. */
export const RECONNECT_NOISE =
  /^WebSocket connection to .* failed|^Failed to load resource: net::ERR_CONNECTION_REFUSED/;

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface AppPage {
  page: Page;
  /** Console errors and CSP violations seen so far; a passing test expects none. */
  problems: string[];
}

/** Opens the app at `url` and waits until the workspace is interactive. */
export async function openApp(
  browser: Browser,
  url: string,
  options: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } } = {},
): Promise<AppPage> {
  const context = await browser.newContext({
    colorScheme: options.colorScheme ?? 'light',
    viewport: options.viewport ?? { width: 1280, height: 800 },
  });
  // Everything is local, so a step that takes this long is a bug, not a slow network; the margin is for busy
  // CI machines (a loaded 4-core box stretches single steps to several seconds).
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.stack ?? error.message));
  await page.goto(url);
  await waitForWorkspace(page);
  return { page, problems };
}

export async function waitForWorkspace(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Switch notebook' }).waitFor();
}

/** The open page's document as TipTap JSON (TipTap keeps its Editor on the ProseMirror element). */
export function editorJSON(page: Page): Promise<unknown> {
  return page.locator('.ProseMirror').evaluate((element) => {
    const editor = (element as unknown as { editor?: { getJSON(): unknown } }).editor;
    if (!editor) throw new Error('no editor on .ProseMirror');
    return editor.getJSON();
  });
}

export function treeItem(page: Page, name: string) {
  return page.getByRole('treeitem', { name, exact: true });
}

/** Names of the visible tree rows, top to bottom, with their nesting level. */
export function treeOutline(page: Page): Promise<string[]> {
  return page
    .getByRole('treeitem')
    .evaluateAll((rows) =>
      rows.map((row) => `${row.getAttribute('aria-level')}:${row.getAttribute('aria-label')}`),
    );
}

/** Enter in a page title moves the caret into the body (once the document is open). */
export async function editorFocused(page: Page): Promise<void> {
  await page.locator('.ProseMirror:focus').waitFor();
}

/**
 * Waits until `expression` (evaluated in the page) is truthy. Playwright evaluates a plain string predicate
 * with `eval` on every poll, which the app's CSP refuses, and a string holding an arrow function only yields
 * the (truthy) function, so it never waited; a real function is sent through DevTools and called each poll.
 */
export async function waitUntil(page: Page, expression: string): Promise<void> {
  const predicate = new Function(`return (${expression});`) as () => unknown;
  await page.waitForFunction(predicate);
}

/**
 * Polls `read` until what it answers deep-equals `expected` (or, for a RegExp, is a string it matches): the
 * UI settles after a key press or click (a React render, a round trip to the core), so a value read once
 * right after the action may still be the old one. Fails after `timeoutMs` with `what`, the value expected
 * and the last value seen (or the read's error).
 */
export async function settlesTo<T>(
  read: () => Promise<T>,
  expected: T | (T extends string ? RegExp : never),
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    try {
      const value = await read();
      const settled =
        expected instanceof RegExp && typeof value === 'string'
          ? expected.test(value)
          : isDeepStrictEqual(value, expected);
      if (settled) return;
      last = inspect(value, { depth: 6 });
    } catch (error) {
      last = `an error: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (Date.now() >= deadline)
      assert.fail(
        `${what}: expected ${inspect(expected, { depth: 6 })}, last seen ${last} (${timeoutMs} ms)`,
      );
    await sleep(50);
  }
}

/**
 * Runs `action` (the key or click that makes the page open its file chooser) and answers the chooser.
 * Playwright switches file-chooser interception on when a 'filechooser' listener is added but does not wait
 * for Chromium to have it, and headless Chromium cancels a chooser opened before that (the input gets
 * `cancel`, the wait times out): `Promise.all([waitForEvent('filechooser'), keyboard.press('Enter')])` lost
 * 7 of 40 choosers that way here. So the interception is switched on and awaited (the same internal call the
 * listener makes, answered once Chromium acknowledged it) before the action, and off again after.
 */
export async function chooseWith(page: Page, action: () => Promise<unknown>): Promise<FileChooser> {
  const channel = (page as unknown as { _channel?: InterceptChannel })._channel;
  if (typeof channel?.updateSubscription !== 'function')
    throw new Error('playwright-core no longer has Page._channel.updateSubscription: update chooseWith');
  await channel.updateSubscription({ event: 'fileChooser', enabled: true });
  try {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), action()]);
    return chooser;
  } finally {
    await channel.updateSubscription({ event: 'fileChooser', enabled: false });
  }
}

interface InterceptChannel {
  updateSubscription(params: { event: 'fileChooser'; enabled: boolean }): Promise<void>;
}

/** Waits until every edit was acknowledged by the core. */
export async function waitSaved(page: Page): Promise<void> {
  await page.locator('.save-state.saved').waitFor();
}

/**
 * A contract client over the browser-mode socket, for seeding data fast (it sends the page's Origin, as
 * the core requires). Results are unwrapped: a failed command throws with the core's message.
 */
export async function connectCore(url: string): Promise<{ invoke: CoreInvoke; close(): void }> {
  const { origin, hash } = new URL(url);
  const secret = new URLSearchParams(hash.slice(1)).get('k') ?? '';
  const socket = new WebSocket(`${origin.replace('http', 'ws')}/ipc?k=${secret}`, { headers: { origin } });
  await new Promise<void>((done, fail) => {
    socket.once('open', () => done());
    socket.once('error', fail);
  });
  const pending = new Map<number, (result: Result<unknown>) => void>();
  socket.on('message', (data) => {
    const frame = decodeFrame(String(data)) as ServerFrame;
    if (frame.t === 'result') pending.get(frame.id)?.(frame.result);
  });
  let nextId = 1;
  const invoke: CoreInvoke = (name, input) =>
    new Promise((done, fail) => {
      const id = nextId++;
      pending.set(id, (result) =>
        result.ok ? done(result.value as never) : fail(new Error(`${name}: ${result.error.message}`)),
      );
      socket.send(encodeFrame({ t: 'invoke', id, name, input }));
    });
  return { invoke, close: () => socket.close() };
}

type CoreInvoke = <N extends CommandName>(name: N, input: CommandInput<N>) => Promise<CommandOutput<N>>;

/** Creates a page via the sidebar, names it, and waits for it in the tree with the caret in its body. */
export async function newPageNamed(page: Page, title: string): Promise<void> {
  await page.getByRole('button', { name: 'New page', exact: true }).first().click();
  const titleField = page
    .getByRole('article', { name: 'Untitled' })
    .getByRole('textbox', { name: 'Page title' });
  await titleField.fill(title);
  await titleField.press('Enter');
  await treeItem(page, title).waitFor();
  await editorFocused(page);
}

export interface AppFixture {
  readonly page: Page;
  /** The running core's browser-mode URL (with its access key). */
  readonly url: string;
  readonly problems: string[];
  /** Creates a page via the sidebar, names it, and waits for it in the tree. */
  newPage(title: string): Promise<void>;
  /** Stops the core; the app must show that it is disconnected. */
  stopCore(): Promise<void>;
  /** Restarts the core on the same data and loads the app from its new URL. */
  restartCore(): Promise<void>;
}

/**
 * Registers the per-test setup of a suite: one Chromium per file, and per test a fresh data dir, a core child
 * process and a browser context. After each test: no console errors or CSP violations may have been seen.
 */
export function appFixture(): AppFixture {
  let browser: Browser;
  let data: ReturnType<typeof makeDataDir>;
  let core: Core;
  let app: AppPage;

  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
  });
  beforeEach(async () => {
    data = makeDataDir();
    core = await startCore(data.dir);
    app = await openApp(browser, core.url);
  });
  let stoppedOnPurpose = false;
  afterEach(async () => {
    await app.page.context().close();
    await core.stop();
    data.remove();
    // Reconnect attempts to a core the test stopped on purpose are expected; anything else still counts.
    const problems = stoppedOnPurpose ? app.problems.filter((p) => !RECONNECT_NOISE.test(p)) : app.problems;
    stoppedOnPurpose = false;
    assert.deepEqual(problems, [], 'no console errors or CSP violations');
  });

  const stopCore = async (): Promise<void> => {
    stoppedOnPurpose = true;
    await core.stop();
    await app.page.getByRole('alert').filter({ hasText: 'Reconnecting to the app core' }).waitFor();
  };

  return {
    get page() {
      return app.page;
    },
    get problems() {
      return app.problems;
    },
    get url() {
      return core.url;
    },
    newPage: (title) => newPageNamed(app.page, title),
    stopCore,
    async restartCore() {
      await stopCore();
      core = await startCore(data.dir);
      await app.page.goto(core.url);
      await waitForWorkspace(app.page);
    },
  };
}
