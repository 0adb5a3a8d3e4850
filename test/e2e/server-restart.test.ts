import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createToken } from '../../src/server/services/tokens';
import { openDatabase } from '../../src/server/storage/sqlite';
import { SqliteNotesRepository } from '../../src/server/storage/sqlite-repository';
import { spawnServer, type ServerProcess } from '../server/helpers';
import { startDevice, twoDevicesOnOnePage, type DeviceApp } from './devices';
import { editorJSON, freePort, launchBrowser, makeDataDir } from './helpers';

/**
 * The server goes away and comes back (issue 10: one device caught up after 15 s, the other after 54 s). The
 * real server runs as its own process and is SIGKILLed, then started again on the same port and data; two
 * devices (browser-mode cores with their default sync timings) typed meanwhile. Both must reconnect and
 * converge by themselves within 10 s: before the reconnect backoff was capped, after an outage this long a
 * device could wait up to 32 s more (this test then failed). How long it takes is measured by `npm run bench`.
 */
const OUTAGE_MS = 20_000;
/** A few seconds, with the margin a loaded machine needs (the backoff cap is 5 s, plus connecting). */
const CONVERGE_MS = 10_000;

const indicator = (page: Page) => page.getByRole('button', { name: /^Sync: / });
interface JsonNode {
  text?: string;
  content?: JsonNode[];
}
/** The text of each top-level block of the page (from the editor's JSON: the DOM has caret labels in it). */
const blockTexts = (doc: unknown): string[] =>
  ((doc as JsonNode).content ?? []).map((block) => (block.content ?? []).map((n) => n.text ?? '').join(''));

function mintTokens(dataDir: string, usernames: readonly string[]): Map<string, string> {
  const repo = new SqliteNotesRepository(openDatabase(dataDir));
  try {
    return new Map(usernames.map((name) => [name, createToken(repo, name).token]));
  } finally {
    repo.close();
  }
}

describe('two devices across a server restart', () => {
  let browser: Browser;
  let server: ServerProcess;
  let devices: { a: DeviceApp; b: DeviceApp } | undefined;
  const data = makeDataDir();

  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await devices?.a.close();
    await devices?.b.close();
    server?.process.kill('SIGKILL');
    await browser.close();
    data.remove();
  });

  test('both devices reconnect by themselves, send what was typed meanwhile and converge', async () => {
    const port = await freePort();
    const tokens = mintTokens(data.dir, ['ann', 'bob']);
    const start = () => spawnServer(data.dir, ['--port', String(port)]);
    server = await start();
    const host = {
      server: { url: server.url, createToken: (name: string) => tokens.get(name) ?? '' },
      device: (token: string, serverUrl?: string) =>
        startDevice(browser, serverUrl ?? host.server.url, token),
    };
    devices = await twoDevicesOnOnePage(host, 'Outage log');
    const { a, b } = devices;
    const pages = [a.app.page, b.app.page];
    await a.app.page.locator('.ProseMirror').click();
    await a.app.page.keyboard.insertText('Before the outage.');
    await b.app.page.locator('.ProseMirror').filter({ hasText: 'Before the outage.' }).waitFor();
    for (const page of pages) await indicator(page).filter({ hasText: 'Up to date' }).waitFor();

    // The server dies without a word. Both devices say they are offline and keep what is typed.
    server.process.kill('SIGKILL');
    assert.equal(await server.exited, 'SIGKILL');
    for (const page of pages) await indicator(page).filter({ hasText: 'Offline' }).waitFor();
    await a.app.page.keyboard.press('Control+End');
    await a.app.page.keyboard.insertText(' Ann while it was down.');
    await b.app.page.locator('.ProseMirror').click();
    await b.app.page.keyboard.press('Control+End');
    await b.app.page.keyboard.press('Enter');
    await b.app.page.keyboard.insertText('Bob while it was down.');
    for (const page of pages)
      await indicator(page)
        .filter({ hasText: /Offline · \d+ pending/ })
        .waitFor();
    // An outage long enough for an uncapped backoff to grow past many seconds (not an assertion: a wait).
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));

    server = await start();
    for (const page of pages) {
      await indicator(page).filter({ hasText: 'Up to date' }).waitFor({ timeout: CONVERGE_MS });
      await page
        .locator('.ProseMirror')
        .filter({ hasText: 'Ann while it was down.' })
        .filter({ hasText: 'Bob while it was down.' })
        .waitFor({ timeout: CONVERGE_MS });
    }
    const doc = await editorJSON(a.app.page);
    assert.deepEqual(await editorJSON(b.app.page), doc);
    assert.deepEqual(blockTexts(doc), [
      'Before the outage. Ann while it was down.',
      'Bob while it was down.',
    ]);
    for (const { app } of [a, b]) assert.deepEqual(app.problems, []);
  });
});
