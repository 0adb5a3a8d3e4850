import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { LOCAL_ACCOUNT_ID, type AppCore } from '../../src/main/core/app-core';
import { zip } from '../../src/main/export/zip';
import { ONE_PIXEL_PNG } from '../support/files';
import { call, openTestCore } from '../support/temp';

const accountId = LOCAL_ACCOUNT_ID;
const utf8 = (text: string) => new TextEncoder().encode(text);
const PNG = ONE_PIXEL_PNG;

/** Every file of a zip, read by yauzl (an independent reader), with its CRC checked. */
function unzip(data: Uint8Array): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(Buffer.from(data), { lazyEntries: true, decodeStrings: true }, (error, archive) => {
      if (error || !archive) return reject(error ?? new Error('no archive'));
      const files = new Map<string, Buffer>();
      archive.on('entry', (entry: yauzl.Entry) => {
        archive.openReadStream(entry, (failed, stream) => {
          if (failed || !stream) return reject(failed ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            const bytes = Buffer.concat(chunks);
            if (crc32(bytes) !== entry.crc32) return reject(new Error(`CRC of ${entry.fileName}`));
            files.set(entry.fileName, bytes);
            archive.readEntry();
          });
        });
      });
      archive.on('end', () => resolve(files));
      archive.on('error', reject);
      archive.readEntry();
    });
  });
}

async function notebookOf(core: AppCore): Promise<string> {
  const [notebook] = await call(core, 'notebook.list', { accountId });
  assert.ok(notebook);
  return notebook.id;
}

const FOLDER = [
  {
    path: 'Trip/01 Plan.md',
    data: utf8('# Plan\n\nSee [the list](ideas/List.md).\n\n![map](img/map.png)\n'),
  },
  { path: 'Trip/ideas.md', data: utf8('Ideas page with pages inside.\n') },
  { path: 'Trip/ideas/List.md', data: utf8('- swim, back to [plan](../01%20Plan.md)\n') },
  { path: 'Trip/img/map.png', data: PNG },
];

describe('export a section or notebook as a zip of Markdown', () => {
  it('the zip writer: stored and deflated entries with UTF-8 names, read back by yauzl', async () => {
    const files = await unzip(
      zip([
        { path: 'a/é page.md', data: utf8('x'.repeat(1000)) },
        { path: 'b.png', data: PNG },
        { path: 'empty.md', data: new Uint8Array() },
      ]),
    );
    assert.deepEqual([...files.keys()], ['a/é page.md', 'b.png', 'empty.md']);
    assert.equal(files.get('a/é page.md')?.toString(), 'x'.repeat(1000));
    assert.deepEqual(new Uint8Array(files.get('b.png')!), PNG);
    assert.equal(files.get('empty.md')?.length, 0);
  });

  it('a section: a .md per page, a folder per page with pages, relative links and images, and it imports back the same', async () => {
    const core = await openTestCore();
    const notebookId = await notebookOf(core);
    const imported = await call(core, 'import.markdown', {
      accountId,
      notebookId,
      parentId: null,
      importId: 'im1',
      files: FOLDER,
    });
    assert.deepEqual(imported.problems, []);
    const result = await call(core, 'export.tree', { accountId, notebookId, nodeId: imported.rootId! });
    assert.equal(result.kind, 'download');
    if (result.kind !== 'download') return;
    assert.equal(result.fileName, 'Trip.zip');
    assert.deepEqual(
      { pages: result.pages, files: result.files, skipped: result.skipped },
      { pages: 3, files: 1, skipped: 0 },
    );
    const files = await unzip(result.data);
    assert.deepEqual([...files.keys()].sort(), [
      'Trip/Plan.md',
      'Trip/files/map.png',
      'Trip/ideas.md',
      'Trip/ideas/List.md',
    ]);
    assert.equal(
      files.get('Trip/Plan.md')?.toString(),
      '# Plan\n\nSee [the list](ideas/List.md).\n\n![map](<files/map.png>)\n',
    );
    assert.equal(
      files.get('Trip/ideas/List.md')?.toString(),
      '# List\n\n- swim, back to [plan](../Plan.md)\n',
    );
    assert.deepEqual(new Uint8Array(files.get('Trip/files/map.png')!), PNG);

    // What was exported imports back as the same tree, links and image included.
    const again = await call(core, 'import.markdown', {
      accountId,
      notebookId,
      parentId: null,
      importId: 'im2',
      files: [...files].map(([path, data]) => ({ path, data: new Uint8Array(data) })),
    });
    assert.deepEqual(again.problems, []);
    assert.deepEqual(
      { pages: again.pages, attachments: again.attachments, links: again.links },
      { pages: 3, attachments: 1, links: 2 },
    );
    const second = await call(core, 'export.tree', { accountId, notebookId, nodeId: again.rootId! });
    assert.equal(second.kind, 'download');
    if (second.kind !== 'download') return;
    const secondFiles = await unzip(second.data);
    assert.deepEqual(
      [...secondFiles].map(([path, data]) => [path, data.toString('base64')]).sort(),
      [...files].map(([path, data]) => [path, data.toString('base64')]).sort(),
      'export → import → export gives the same files',
    );
  });

  it('the whole notebook: a folder per section under the notebook name; databases are left out and counted', async () => {
    const core = await openTestCore();
    const notebookId = await notebookOf(core);
    await call(core, 'import.markdown', {
      accountId,
      notebookId,
      parentId: null,
      importId: 'im3',
      files: FOLDER,
    });
    const section = (await call(core, 'node.tree', { accountId, notebookId })).find(
      (n) => n.name === 'Trip',
    )!;
    await call(core, 'node.create', {
      accountId,
      notebookId,
      type: 'database',
      parentId: section.id,
      name: 'Costs',
    });
    const twin = await call(core, 'node.create', {
      accountId,
      notebookId,
      type: 'page',
      parentId: section.id,
      name: 'plan',
    });
    assert.ok(twin);
    const result = await call(core, 'export.tree', { accountId, notebookId, nodeId: null });
    assert.equal(result.kind, 'download');
    if (result.kind !== 'download') return;
    const notebook = (await call(core, 'notebook.list', { accountId }))[0]!;
    assert.equal(result.fileName, `${notebook.name}.zip`);
    assert.equal(result.skipped, 1);
    const names = [...(await unzip(result.data)).keys()];
    assert.ok(names.includes(`${notebook.name}/Trip/Plan.md`), names.join(', '));
    // Two pages whose names differ only in case get two files.
    assert.ok(names.includes(`${notebook.name}/Trip/plan (2).md`), names.join(', '));
    assert.ok(names.includes(`${notebook.name}/files/map.png`), names.join(', '));
  });
});
