import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import * as Y from 'yjs';
import { startServer } from '../../src/server/server';
import { NotebookStatus } from '../../src/shared/model/roles';
import { connectCore, launchBrowser, makeDataDir, openApp, startCore } from './helpers';

/**
 * Produces docs/screenshots/sync-{light,dark}.png (the Sync panel with a refused and a waiting change) and
 * accounts-{light,dark}.png (Settings → Accounts with a refused token), against the real reference server.
 * Run after `npm run build`: `npx tsx test/e2e/sync-screenshots.ts`.
 */
const OUT = resolve(import.meta.dirname, '../../docs/screenshots');

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const serverData = makeDataDir();
  const server = await startServer({ port: 0, dataDir: serverData.dir, heartbeatMs: 1_000 });
  const data = makeDataDir();
  const core = await startCore(data.dir);
  const api = await connectCore(core.url);
  const account = await api.invoke('account.add', {
    serverUrl: server.url,
    token: server.createToken('ada'),
  });
  const [notebook] = await api.invoke('notebook.list', { accountId: account.id });
  const notebookId = notebook?.id ?? '';
  const accountId = account.id;
  const section = await api.invoke('node.create', {
    accountId,
    notebookId,
    type: 'section',
    parentId: null,
    name: 'Product',
  });
  const pages = [];
  for (const name of ['Launch plan', 'Sync design notes', 'Customer interviews', 'Weekly review'])
    pages.push(
      await api.invoke('node.create', { accountId, notebookId, type: 'page', parentId: section.id, name }),
    );
  const settle = () => new Promise((done) => setTimeout(done, 1_500));
  await settle();

  // Refused: the server makes the notebook read-only, then a paragraph is added.
  server.setNotebookStatus(notebookId, NotebookStatus.readonly);
  const doc = new Y.Doc();
  const documentId = pages[1]?.id ?? '';
  Y.applyUpdate(doc, (await api.invoke('document.open', { accountId, documentId })).state);
  const before = Y.encodeStateVector(doc);
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText('Conflicts are shown, never reverted silently.')]);
  doc.getXmlFragment('default').insert(0, [paragraph]);
  await api.invoke('document.update', { accountId, documentId, update: Y.encodeStateAsUpdate(doc, before) });
  await settle();
  // Waiting: the server goes away, then a page is renamed.
  await server.close();
  await api.invoke('node.update', {
    accountId,
    nodeId: pages[2]?.id ?? '',
    name: 'Customer interviews (Q3)',
  });
  await settle();

  const browser = await launchBrowser();
  for (const scheme of ['light', 'dark'] as const) {
    const { page } = await openApp(browser, core.url, { colorScheme: scheme });
    // The second run opens where the first left off (the place is restored): ada's account already.
    const switcher = page.getByRole('button', { name: 'Switch notebook' });
    if (!/ada @/.test((await switcher.textContent()) ?? '')) {
      await switcher.click();
      await page.getByRole('menuitem', { name: /^Switch to ada @/ }).click();
    }
    await page.getByRole('treeitem', { name: 'Sync design notes' }).click();
    await page.getByRole('button', { name: /^Sync: / }).click();
    await page.getByText('Waiting to send').waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${OUT}/sync-${scheme}.png` });
    await page.getByRole('button', { name: 'Manage accounts…' }).click();
    const form = page.getByRole('form', { name: 'Add a server' });
    await form.getByLabel('Server address').fill('https://notes.example.com');
    await form.getByLabel('Access token').fill('hn_expired');
    await form.getByRole('button', { name: 'Add server' }).click();
    await page.getByRole('dialog', { name: 'Accounts' }).getByRole('alert').waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${OUT}/accounts-${scheme}.png` });
    await page.context().close();
  }
  await browser.close();
  api.close();
  await core.stop();
  data.remove();
  serverData.remove();
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
