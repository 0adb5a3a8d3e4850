import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import * as Y from 'yjs';
import { documentToYDoc, normalizeDocument } from '../../src/shared/crdt/document';
import { connectCore, launchBrowser, makeDataDir, openApp, startCore, treeItem, waitSaved } from './helpers';

/**
 * Produces docs/screenshots/light.png and dark.png: a realistic notebook, seeded through the contract, shown in
 * Chromium through browser mode. Run after `npm run build`: `npx tsx test/e2e/screenshots.ts`.
 */
const OUT = resolve(import.meta.dirname, '../../docs/screenshots');
const ACCOUNT = 'local';

const LAUNCH_PLAN = {
  type: 'doc',
  content: [
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Everything we need to ship ' },
        { type: 'text', text: 'offline-first sync', marks: [{ type: 'bold' }] },
        { type: 'text', text: ' to every customer before the end of the quarter. Background in the ' },
        {
          type: 'text',
          text: 'local-first essay',
          marks: [{ type: 'link', attrs: { href: 'https://www.inkandswitch.com/local-first/' } }],
        },
        { type: 'text', text: '.' },
      ],
    },
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Goals' }] },
    {
      type: 'bulletList',
      content: [
        'Open and edit any note in under 100 ms, with or without a network',
        'Never lose an acknowledged edit, even on power loss',
        'Merge concurrent edits from two devices character by character',
      ].map((text) => ({
        type: 'listItem',
        content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
      })),
    },
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Milestones' }] },
    {
      type: 'table',
      content: [
        ['Milestone', 'Owner', 'Date'],
        ['Local replica in beta', 'Ada', 'Sep 12'],
        ['Sync with the reference server', 'Sam', 'Oct 3'],
      ].map((cells, row) => ({
        type: 'tableRow',
        content: cells.map((text) => ({
          type: row === 0 ? 'tableHeader' : 'tableCell',
          content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
        })),
      })),
    },
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Checklist' }] },
    {
      type: 'taskList',
      content: [
        ['Durability pragmas asserted at open', true],
        ['Crash test: 100 SIGKILL trials', true],
        ['Conflict UI for permanent rejections', false],
      ].map(([text, checked]) => ({
        type: 'taskItem',
        attrs: { checked },
        content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
      })),
    },
    {
      type: 'blockquote',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'The app must be useful in its first second, with no server at all.' },
          ],
        },
      ],
    },
    {
      type: 'codeBlock',
      content: [{ type: 'text', text: 'npm install && npm start' }],
    },
  ],
};

async function seed(url: string): Promise<void> {
  const core = await connectCore(url);
  try {
    const [notebook] = await core.invoke('notebook.list', { accountId: ACCOUNT });
    if (!notebook) throw new Error('the core created no default notebook');
    const notebookId = notebook.id;
    await core.invoke('notebook.update', { accountId: ACCOUNT, notebookId, name: 'Product team' });
    await core.invoke('notebook.create', { accountId: ACCOUNT, name: 'Personal' });
    const [notes] = await core.invoke('node.tree', { accountId: ACCOUNT, notebookId });
    if (notes) await core.invoke('node.purge', { accountId: ACCOUNT, nodeId: notes.id });

    const create = (type: 'section' | 'page', parentId: string | null, name: string, icon?: string) =>
      core.invoke('node.create', {
        accountId: ACCOUNT,
        notebookId,
        type,
        parentId,
        name,
        icon: icon ?? null,
      });
    const projects = await create('section', null, 'Projects', '🚀');
    const launch = await create('page', projects.id, 'Q3 launch plan', '🎯');
    await create('page', launch.id, 'Launch checklist', '✅');
    await create('page', launch.id, 'Press kit');
    await create('page', projects.id, 'Design system', '🎨');
    const meetings = await create('section', null, 'Meetings', '📅');
    await create('page', meetings.id, 'Weekly sync — Nov 23', '💬');
    await create('page', meetings.id, '1:1 with Sam');
    const reading = await create('section', null, 'Reading', '📚');
    await create('page', reading.id, 'Local-first software', '📝');
    await create('page', reading.id, 'CRDTs, explained');

    const update = Y.encodeStateAsUpdate(documentToYDoc(normalizeDocument(LAUNCH_PLAN)));
    await core.invoke('document.update', { accountId: ACCOUNT, documentId: launch.id, update });
    await core.invoke('settings.update', { lastOpenedNodeId: launch.id, theme: 'light' });
    const trashed = await create('page', reading.id, 'Old reading list');
    await core.invoke('node.trash', { accountId: ACCOUNT, nodeId: trashed.id });
  } finally {
    core.close();
  }
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const data = makeDataDir();
  const core = await startCore(data.dir);
  const browser = await launchBrowser();
  try {
    await seed(core.url);
    const { page, problems } = await openApp(browser, core.url, { viewport: { width: 1360, height: 860 } });
    await treeItem(page, 'Q3 launch plan').waitFor();
    await page.locator('.ProseMirror table').waitFor();
    await waitSaved(page);
    await page.locator('.ProseMirror p').first().click();
    await page.keyboard.press('End');
    for (const theme of ['light', 'dark'] as const) {
      await page.getByRole('radio', { name: theme === 'light' ? 'Light theme' : 'Dark theme' }).click();
      await page.locator(`html[data-theme="${theme}"]`).waitFor({ state: 'attached' });
      await treeItem(page, 'Design system').hover();
      await page.waitForTimeout(150);
      await page.screenshot({ path: resolve(OUT, `${theme}.png`) });
      console.log(`wrote ${resolve(OUT, `${theme}.png`)}`);
    }
    if (problems.length > 0) throw new Error(`the page reported problems:\n${problems.join('\n')}`);
  } finally {
    await browser.close();
    await core.stop();
    data.remove();
  }
}

await main();
