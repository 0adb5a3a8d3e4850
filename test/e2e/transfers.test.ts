import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server/server';
import { call } from '../support/core';
import { FaultProxy, hasNode, openDevice, signIn, waitFor } from '../support/sync';
import { startDevice, switchToAccount, type DeviceApp } from './devices';
import { launchBrowser, makeDataDir, settlesTo } from './helpers';

/** Where the screenshots go (`E2E_SHOTS=docs/screenshots`); none by default, so a run leaves the tree clean. */
const SHOTS = process.env.E2E_SHOTS;
const MIB = 1024 * 1024;
/** A name long enough to need ellipsis in the panel. */
const SURVEY = 'Site survey of the north field, every photo from the second visit in March (full size).tiff';

async function shots(page: Page, name: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await page.locator(`html[data-theme="${theme}"]`).waitFor({ state: 'attached' });
    // Transitions finished: a shot right after the switch caught buttons half-way from light to dark.
    if (SHOTS)
      await page.screenshot({ path: resolve(SHOTS, `${name}-${theme}.png`), animations: 'disabled' });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('Transfers in the Sync panel (browser mode, reference server)', () => {
  let server: RunningServer;
  let browser: Browser;
  let device: DeviceApp;
  const data = makeDataDir();

  before(async () => {
    // Files up to 32 MiB per notebook, but this user may upload at most 10 MiB: the app cannot know the
    // second limit before it asks, so a larger file is refused by the server and kept as failed.
    server = await startServer({
      port: 0,
      dataDir: data.dir,
      heartbeatMs: 1_000,
      defaultMaxFileSize: 32 * MIB,
      uploadLimits: { maxFileSize: 10 * MIB },
    });
    browser = await launchBrowser();
  });
  after(async () => {
    await device?.close();
    await browser?.close();
    await server?.close();
    data.remove();
  });

  test('uploads and downloads with progress; pause, resume, retry and cancel', async () => {
    // Started here: FaultProxy.start registers its own after(), which inside before() would run at once.
    const proxy = await FaultProxy.start(server.url);
    const token = server.createToken('ann');
    device = await startDevice(browser, proxy.url, token);
    const { page } = device.app;
    const { accountId, invoke } = device;
    await switchToAccount(page, device.accountName);
    const [notebook] = await invoke('notebook.list', { accountId });
    assert.ok(notebook);
    const notebookId = notebook.id;
    const site = await invoke('node.create', {
      accountId,
      notebookId,
      type: 'section',
      parentId: null,
      name: 'Site',
    });
    const scans = await invoke('node.create', {
      accountId,
      notebookId,
      type: 'page',
      parentId: site.id,
      name: 'Scans',
    });

    await page.getByRole('button', { name: /^Sync: / }).click();
    const panel = page.getByRole('dialog', { name: 'Sync' });
    await panel.getByText('No files moving').waitFor();
    await shots(page, 'transfers-empty');

    // The uplink holds every upload's body: an upload stays in the middle, as on a slow connection.
    const posts = new Map<string, number>();
    let holdPatches = true;
    const holdUploads = (req: IncomingMessage): number | undefined => {
      const file = /\/files\/([\w-]+)\/tus$/.exec(req.url ?? '')?.[1];
      if (file && req.method === 'POST') posts.set(file, (posts.get(file) ?? 0) + 1);
      return file && req.method === 'PATCH' && holdPatches ? 120_000 : undefined;
    };
    proxy.onRequest = holdUploads;
    const survey = await invoke('file.add', {
      accountId,
      nodeId: scans.id,
      name: SURVEY,
      data: randomBytes(9 * MIB),
    });
    const big = await invoke('file.add', {
      accountId,
      nodeId: scans.id,
      name: 'drone-flight.mov',
      data: randomBytes(11 * MIB),
    });

    const surveyLine = panel.getByRole('listitem', { name: `Upload of ${SURVEY}` });
    const bigLine = panel.getByRole('listitem', { name: 'Upload of drone-flight.mov' });
    await surveyLine
      .locator('.outbox-meta')
      .filter({ hasText: /^Uploading · \d+% · [\d.]+ (bytes|KB|MB) of 9\.0 MB/ })
      .waitFor();
    await surveyLine.getByRole('progressbar', { name: `Uploading ${SURVEY}` }).waitFor();
    // Refused by the server (over this user's limit): kept, with the server's reason.
    await bigLine.getByText('Not uploaded · kept on this device').waitFor();
    await bigLine.getByText('files here can be at most 10 MB').waitFor();
    assert.equal((await invoke('file.get', { accountId, fileId: big.id })).state, 'failed');

    // Pause: stopped where it is, kept; the line offers Resume instead of Pause.
    await surveyLine.getByRole('button', { name: `Pause upload of ${SURVEY}` }).click();
    await surveyLine
      .locator('.outbox-meta')
      .filter({ hasText: /^Upload paused · \d+% · / })
      .waitFor();
    await settlesTo(
      async () => (await invoke('file.get', { accountId, fileId: survey.id })).state,
      'paused',
      'the survey after Pause',
    );

    // A download of a file added on another device, held by the network: shown while it runs.
    const other = await signIn(await openDevice(871), server.url, token);
    await waitFor('the page Scans on the other device', () => hasNode(other, scans.id));
    const minutes = await call(other.core, 'file.add', {
      accountId: other.accountId,
      nodeId: scans.id,
      name: 'Minutes.pdf',
      data: Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(200_000)]),
    });
    await settlesTo(
      async () =>
        (await call(other.core, 'file.get', { accountId: other.accountId, fileId: minutes.id })).state,
      'uploaded',
      'Minutes.pdf uploaded from the other device',
    );
    other.core.close();
    proxy.onRequest = (req) =>
      req.method === 'GET' && req.url?.endsWith(`/files/${minutes.id}`) ? 120_000 : holdUploads(req);
    // Named by the block's attributes until the server's answer says.
    const held = invoke('file.download', {
      accountId,
      notebookId,
      fileId: minutes.id,
      name: 'Minutes.pdf',
      size: minutes.size,
    }).then(
      () => 'downloaded',
      (error: Error) => error.message,
    );
    const downloadLine = panel.getByRole('listitem', { name: 'Download of Minutes.pdf' });
    await downloadLine.getByText(/^Downloading · 0% · 0 bytes of 195 KB$/).waitFor();
    await panel.getByRole('listitem').nth(2).waitFor();
    await shots(page, 'transfers');

    // Cancel the download: gone from the list, and whoever asked for it hears it was cancelled.
    await downloadLine.getByRole('button', { name: 'Cancel download of Minutes.pdf' }).click();
    assert.equal(await held, 'file.download: The download was cancelled');
    await downloadLine.waitFor({ state: 'detached' });

    // Offline, it fails and stays listed with the reason; Retry when back fetches it.
    proxy.onRequest = holdUploads;
    proxy.cut();
    const offline = await invoke('file.download', {
      accountId,
      notebookId,
      fileId: minutes.id,
      name: 'Minutes.pdf',
    }).then(
      () => 'downloaded',
      (error: Error) => error.message,
    );
    assert.equal(offline, 'file.download: The file cannot be downloaded while offline');
    await downloadLine.getByText('Download failed').waitFor();
    await downloadLine.getByText('The file cannot be downloaded while offline').waitFor();
    proxy.restore();
    await downloadLine.getByRole('button', { name: 'Retry download of Minutes.pdf' }).click();
    await downloadLine.waitFor({ state: 'detached' });
    assert.equal((await invoke('file.get', { accountId, fileId: minutes.id })).cached, true);

    // Retry of the refused upload asks the server again (a new POST), and it is refused again.
    const before = posts.get(big.id) ?? 0;
    await bigLine.getByRole('button', { name: 'Retry upload of drone-flight.mov' }).click();
    await settlesTo(async () => (posts.get(big.id) ?? 0) > before, true, 'a new POST after Retry');
    await bigLine.getByText('Not uploaded · kept on this device').waitFor();
    // Cancel asks first, then removes it here for good.
    await bigLine.getByRole('button', { name: 'Cancel upload of drone-flight.mov' }).click();
    const confirm = page.getByRole('dialog', { name: 'Cancel the upload of “drone-flight.mov”?' });
    await confirm.getByRole('button', { name: 'Cancel upload' }).click();
    await bigLine.waitFor({ state: 'detached' });
    assert.equal(
      await invoke('file.get', { accountId, fileId: big.id }).then(
        () => 'still there',
        (error: Error) => error.message,
      ),
      'file.get: File not found',
    );

    // Resume with the uplink free: it goes on from the server's offset and completes, and the list empties.
    holdPatches = false;
    await surveyLine.getByRole('button', { name: `Resume upload of ${SURVEY}` }).click();
    await panel.getByText('No files moving').waitFor();
    await settlesTo(
      async () => (await invoke('file.get', { accountId, fileId: survey.id })).state,
      'uploaded',
      'the survey after Resume',
    );
    assert.deepEqual(await invoke('file.transfers', { accountId }), []);
    assert.deepEqual(device.app.problems, []);
  });
});
