import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import yauzl from 'yauzl';
import { zip } from '../../src/main/export/zip';
import { appFixture, settlesTo, treeItem, treeOutline } from './helpers';

/** E2E_SHOTS=<dir>: the import dialog, its report and a drop on the sidebar, light and dark. */
const SHOTS = process.env.E2E_SHOTS;

/** A real 8x8 red PNG (its bytes make it an image block). */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEklEQVR4nGP4z8CAFWEXHbQSACj/P8Fu7N9hAAAAAElFTkSuQmCC',
  'base64',
);

/** A folder of Markdown on disk, as someone would pick it: links between the files, an image, a broken file. */
function folderOnDisk(): string {
  const root = mkdtempSync(join(tmpdir(), 'import-e2e-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const trip = join(root, 'Trip notes');
  mkdirSync(join(trip, 'ideas'), { recursive: true });
  mkdirSync(join(trip, 'img'), { recursive: true });
  writeFileSync(
    join(trip, '01 Plan.md'),
    '# The plan\n\nRead [the list of ideas](ideas/List.md) first.\n\n![the map](img/map.png)\n',
  );
  writeFileSync(join(trip, 'ideas', 'List.md'), '- swim\n- hike, then back to [the plan](../01%20Plan.md)\n');
  writeFileSync(join(trip, 'img', 'map.png'), PNG);
  writeFileSync(join(trip, 'broken.md'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  return trip;
}

const body = (page: Page) => page.locator('.ProseMirror[aria-label="Page content"]');

async function openImport(page: Page) {
  await page.keyboard.press('Control+k');
  const search = page.getByRole('combobox', { name: 'Search commands and pages' });
  await search.fill('import markdown');
  await page.getByRole('option', { name: /Import Markdown/ }).waitFor();
  await search.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Import Markdown' });
  await dialog.waitFor();
  return dialog;
}

describe('import Markdown (browser mode)', () => {
  const app = appFixture();

  test('a folder with links between its files: a section of pages, the linked page opens, and the linked page opens', async () => {
    const { page } = app;
    const folder = folderOnDisk();
    const dialog = await openImport(page);
    await dialog.getByRole('button', { name: 'Choose a folder…' }).waitFor();
    if (SHOTS) await shots(page, 'import-dialog');
    await dialog.getByTestId('import-folder').setInputFiles(folder);

    // The report: what was made and what could not be read.
    await dialog
      .getByRole('status')
      .getByText('Imported 3 pages, 1 attachment and 2 links between pages.')
      .waitFor();
    const problems = dialog.getByRole('list', { name: 'What could not be imported' });
    assert.deepEqual(await problems.getByRole('listitem').allTextContents(), [
      'Trip notes/broken.md not valid UTF-8 text: not imported',
    ]);
    if (SHOTS) await shots(page, 'import-report');

    // The tree: a section named after the folder, its pages in file order, the subfolder holding its page.
    await treeItem(page, 'Trip notes').waitFor();
    await settlesTo(
      async () => (await treeOutline(page)).filter((row) => /Trip notes|The plan|ideas|List/.test(row)),
      ['1:Trip notes', '2:The plan', '2:ideas', '3:List'],
      'the imported tree',
    );

    await dialog.getByRole('button', { name: 'Open' }).click();
    await dialog.waitFor({ state: 'detached' });
    await settlesTo(
      () => page.getByRole('textbox', { name: 'Page title' }).inputValue(),
      'The plan',
      'opened page',
    );
    // The image is the attached file, shown from our own origin.
    const image = body(page).locator('img');
    await image.waitFor();
    await settlesTo(
      () => image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      8,
      'the image decodes',
    );
    assert.equal(await image.getAttribute('alt'), 'the map');

    // Mod+click on the link to the other imported file opens that page here.
    await body(page)
      .getByText('the list of ideas')
      .click({ modifiers: ['ControlOrMeta'] });
    await settlesTo(
      () => page.getByRole('textbox', { name: 'Page title' }).inputValue(),
      'List',
      'linked page',
    );
    await body(page).getByText('hike, then back to').waitFor();
    await body(page)
      .getByText('the plan')
      .click({ modifiers: ['ControlOrMeta'] });
    await settlesTo(
      () => page.getByRole('textbox', { name: 'Page title' }).inputValue(),
      'The plan',
      'back link',
    );
  });

  test('Undo import in the report removes everything it made', async () => {
    const { page } = app;
    const folder = folderOnDisk();
    const dialog = await openImport(page);
    await dialog.getByTestId('import-folder').setInputFiles(folder);
    await treeItem(page, 'Trip notes').waitFor();
    await dialog.getByRole('button', { name: 'Undo import' }).click();
    await dialog.getByRole('status').getByText('The import is in the trash').waitFor();
    await settlesTo(
      async () => (await treeOutline(page)).filter((row) => /Trip notes|The plan|List/.test(row)),
      [],
      'the import is gone from the tree',
    );
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  test('a folder dropped on a section row imports into it; Markdown files or a zip dropped elsewhere on the sidebar as a new section', async () => {
    const { page } = app;
    const folder = folderOnDisk();
    // Waited for, not read once: right after the previous test's dialog closes the tree can be between renders.
    const firstSection = page.locator('[role="treeitem"][aria-level="1"]').first();
    await firstSection.waitFor();
    const section = (await firstSection.getAttribute('aria-label')) ?? '';
    const sectionRow = treeItem(page, section);
    await sectionRow.waitFor();

    // The OS drags a folder over the section's row: the row and the hint say where it goes; the drop imports.
    const drag = await fileDrag(page, [folder]);
    await drag.over(sectionRow);
    await page.getByRole('status').getByText(`Drop to import into “${section}”`).waitFor();
    assert.match((await sectionRow.getAttribute('class')) ?? '', /drop-inside/);
    if (SHOTS) await shots(page, 'import-sidebar-drop');
    await drag.drop(sectionRow);
    const dialog = page.getByRole('dialog', { name: 'Import Markdown' });
    // Four: into a section, the folder itself is a page (holding its three).
    await dialog
      .getByRole('status')
      .getByText('Imported 4 pages, 1 attachment and 2 links between pages.')
      .waitFor();
    assert.deepEqual(
      await dialog
        .getByRole('list', { name: 'What could not be imported' })
        .getByRole('listitem')
        .allTextContents(),
      ['Trip notes/broken.md not valid UTF-8 text: not imported'],
    );
    // Into an existing section the folder is a page holding its pages.
    await settlesTo(
      async () =>
        (await treeOutline(page)).filter((row) => /^\d:(Trip notes|The plan|ideas|List)$/.test(row)),
      ['2:Trip notes', '3:The plan', '3:ideas', '4:List'],
      'the folder under the section',
    );
    await dialog.getByRole('button', { name: 'Open' }).click();
    await dialog.waitFor({ state: 'detached' });
    await settlesTo(
      () => page.getByRole('textbox', { name: 'Page title' }).inputValue(),
      'The plan',
      'opened page',
    );

    // Two loose files dropped on the sidebar's empty space: a new section, named like the dialog's.
    const loose = join(folder, '..', 'loose');
    mkdirSync(loose);
    writeFileSync(join(loose, 'Alpha.md'), '# Alpha\n\nSee [beta](Beta.md).\n');
    writeFileSync(join(loose, 'Beta.md'), 'Just beta.\n');
    const files = await fileDrag(page, [join(loose, 'Alpha.md'), join(loose, 'Beta.md')]);
    const trash = page.getByRole('button', { name: 'Trash' });
    await files.over(trash);
    await page.getByRole('status').getByText('Drop to import as a new section').waitFor();
    await files.drop(trash);
    await dialog
      .getByRole('status')
      .getByText('Imported 2 pages, 0 attachments and 1 link between pages.')
      .waitFor();
    await settlesTo(
      async () => (await treeOutline(page)).filter((row) => /^\d:(Imported pages|Alpha|Beta)$/.test(row)),
      ['1:Imported pages', '2:Alpha', '2:Beta'],
      'the new section',
    );
    await dialog.getByRole('button', { name: 'Undo import' }).click();
    await settlesTo(
      async () => (await treeOutline(page)).filter((row) => /^\d:(Imported pages|Alpha|Beta)$/.test(row)),
      [],
      'undone',
    );
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });

    // A zip of Markdown (as Export as Markdown (.zip) writes them): its folder becomes the section.
    const archive = join(folder, '..', 'Archive.zip');
    writeFileSync(
      archive,
      zip([{ path: 'Archive/Gamma.md', data: Buffer.from('# Gamma\n\nFrom a zip.\n') }]),
    );
    const zipped = await fileDrag(page, [archive]);
    await zipped.over(trash);
    await zipped.drop(trash);
    await dialog
      .getByRole('status')
      .getByText('Imported 1 page, 0 attachments and 0 links between pages.')
      .waitFor();
    await settlesTo(
      async () => (await treeOutline(page)).filter((row) => /^\d:(Archive|Gamma)$/.test(row)),
      ['1:Archive', '2:Gamma'],
      'the zip as a section',
    );
  });

  test('the imported section exports from its row menu as a zip of Markdown with relative links', async () => {
    const { page } = app;
    const dialog = await openImport(page);
    await dialog.getByTestId('import-folder').setInputFiles(folderOnDisk());
    await dialog.getByRole('button', { name: 'Open' }).click();
    await dialog.waitFor({ state: 'detached' });
    await treeItem(page, 'Trip notes').click({ button: 'right' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: 'Export as Markdown (.zip)' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'Trip notes.zip');
    const files = await unzipNames(readFileSync(await download.path()));
    assert.deepEqual([...files.keys()].sort(), [
      'Trip notes/The plan.md',
      'Trip notes/files/map.png',
      // The folder's page (it holds List), as the import made it.
      'Trip notes/ideas.md',
      'Trip notes/ideas/List.md',
    ]);
    assert.match(files.get('Trip notes/The plan.md') ?? '', /\[the list of ideas\]\(ideas\/List\.md\)/);
    assert.match(files.get('Trip notes/ideas/List.md') ?? '', /\[the plan\]\(<\.\.\/The plan\.md>\)/);
    await page.getByRole('status').getByText('Exported “Trip notes.zip”: 3 pages and 1 file').waitFor();
  });
});

/**
 * Files and folders from the disk dragged over the page the way the OS does it (CDP's Input.dispatchDragEvent
 * with their paths: Chromium builds the DataTransfer, folders included, as for a real drag).
 */
async function fileDrag(page: Page, paths: string[]) {
  const cdp = await page.context().newCDPSession(page);
  const data = { items: [], files: paths, dragOperationsMask: 1 };
  const at = async (target: Locator) => {
    const box = (await target.boundingBox())!;
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  };
  return {
    async over(target: Locator) {
      const point = await at(target);
      await cdp.send('Input.dispatchDragEvent', { type: 'dragEnter', ...point, data });
      await cdp.send('Input.dispatchDragEvent', { type: 'dragOver', ...point, data });
    },
    async drop(target: Locator) {
      const point = await at(target);
      await cdp.send('Input.dispatchDragEvent', { type: 'dragOver', ...point, data });
      await cdp.send('Input.dispatchDragEvent', { type: 'drop', ...point, data });
      await cdp.detach();
    },
  };
}

/** The names and text of a zip's files (yauzl, an independent reader). */
function unzipNames(data: Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(data, { lazyEntries: true }, (error, archive) => {
      if (error || !archive) return reject(error ?? new Error('no archive'));
      const files = new Map<string, string>();
      archive.on('entry', (entry: yauzl.Entry) =>
        archive.openReadStream(entry, (failed, stream) => {
          if (failed || !stream) return reject(failed ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
            archive.readEntry();
          });
        }),
      );
      archive.on('end', () => resolve(files));
      archive.on('error', reject);
      archive.readEntry();
    });
  });
}

async function shots(page: Page, name: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await page.screenshot({ path: `${SHOTS}/${name}-${theme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
