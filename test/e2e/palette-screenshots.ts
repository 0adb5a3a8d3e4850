import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { connectCore, launchBrowser, makeDataDir, openApp, startCore, treeItem } from './helpers';

/**
 * docs/screenshots/{palette,capture}-{light,dark}.png: the command palette over a small notebook, and the
 * quick-capture window (`?view=capture`) at its desktop size. Run after `npm run build`:
 * `npx tsx test/e2e/palette-screenshots.ts`.
 */
const OUT = resolve(import.meta.dirname, '../../docs/screenshots');
const ACCOUNT = 'local';

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const data = makeDataDir();
  const core = await startCore(data.dir);
  const browser = await launchBrowser();
  try {
    const client = await connectCore(core.url);
    const [notebook] = await client.invoke('notebook.list', { accountId: ACCOUNT });
    if (!notebook) throw new Error('no notebook');
    const tree = await client.invoke('node.tree', { accountId: ACCOUNT, notebookId: notebook.id });
    const section = tree.find((n) => n.type === 'section');
    if (!section) throw new Error('no section');
    for (const [name, icon] of [
      ['Launch plan', '🚀'],
      ['Meeting notes', '🗒️'],
      ['Reading list', '📚'],
      ['Travel: Lisbon', '✈️'],
    ] as const)
      await client.invoke('node.create', {
        accountId: ACCOUNT,
        notebookId: notebook.id,
        type: 'page',
        parentId: section.id,
        name,
        icon,
      });
    await client.invoke('capture.save', {
      accountId: ACCOUNT,
      destination: { kind: 'inbox', notebookId: notebook.id },
      title: 'First quick note',
      body: { type: 'doc', content: [] },
    });
    client.close();

    for (const scheme of ['light', 'dark'] as const) {
      const { page } = await openApp(browser, core.url, { colorScheme: scheme });
      await treeItem(page, 'Launch plan').click();
      await page.getByRole('article', { name: 'Launch plan' }).waitFor();
      await page.keyboard.press('Control+k');
      const search = page.getByRole('combobox', { name: 'Search commands and pages' });
      await search.waitFor();
      await search.pressSequentially('no');
      await page.screenshot({ path: resolve(OUT, `palette-${scheme}.png`) });
      await page.context().close();

      const context = await browser.newContext({
        colorScheme: scheme,
        viewport: { width: 560, height: 360 },
      });
      const capture = await context.newPage();
      const { origin, hash } = new URL(core.url);
      await capture.goto(`${origin}/?view=capture${hash}`);
      await capture.getByRole('textbox', { name: 'Title' }).fill('Idea: offline onboarding');
      await capture.getByRole('textbox', { name: 'Title' }).press('Enter');
      await capture.keyboard.type('Show the **Inbox** on first run, with a tip about ');
      await capture.keyboard.type('the global shortcut.');
      await capture.keyboard.press('Enter');
      await capture.keyboard.type('- works without a network');
      await capture.screenshot({ path: resolve(OUT, `capture-${scheme}.png`) });
      await context.close();
    }
  } finally {
    await browser.close();
    await core.stop();
    data.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
