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

  it('a zip of Markdown imports as its pages: an exported zip comes back the same, a zip of loose files as a folder', async () => {
    const core = await openTestCore();
    const notebookId = await notebookOf(core);
    const first = await call(core, 'import.markdown', {
      accountId,
      notebookId,
      parentId: null,
      importId: 'zip1',
      files: FOLDER,
    });
    const exported = await call(core, 'export.tree', { accountId, notebookId, nodeId: first.rootId! });
    if (exported.kind !== 'download') return assert.fail('no download');
    const again = await call(core, 'import.markdown', {
      accountId,
      notebookId,
      parentId: null,
      importId: 'zip2',
      files: [{ path: 'Trip.zip', data: exported.data }],
    });
    assert.deepEqual(again.problems, []);
    assert.deepEqual(
      { pages: again.pages, attachments: again.attachments, links: again.links },
      { pages: 3, attachments: 1, links: 2 },
    );
    const tree = await call(core, 'node.tree', { accountId, notebookId });
    assert.equal(
      tree.find((node) => node.id === again.rootId)?.name,
      'Trip',
      'the zip held one folder: Trip',
    );
    const second = await call(core, 'export.tree', { accountId, notebookId, nodeId: again.rootId! });
    if (second.kind !== 'download') return assert.fail('no download');
    const text = async (data: Uint8Array) =>
      [...(await unzip(data))].map(([path, bytes]) => [path, bytes.toString('base64')]).sort();
    assert.deepEqual(
      await text(second.data),
      await text(exported.data),
      'zip -> import -> zip: the same files',
    );

    // Files at a zip's top level go in a folder named after the zip (in a folder that was picked with it).
    const loose = await call(core, 'import.markdown', {
      accountId,
      notebookId,
      parentId: null,
      importId: 'zip3',
      files: [
        {
          path: 'Picked/Loose notes.zip',
          data: zip([
            { path: 'b.md', data: utf8('Bee, see [a](a.md).\n') },
            { path: 'a.md', data: utf8('# Ay\n\nText.\n') },
          ]),
        },
      ],
    });
    assert.deepEqual(loose.problems, []);
    assert.deepEqual({ pages: loose.pages, links: loose.links }, { pages: 3, links: 1 });
    const rows = await call(core, 'node.tree', { accountId, notebookId });
    const under = (id: string) => rows.filter((node) => node.parentId === id).map((node) => node.name);
    assert.deepEqual(under(loose.rootId!), ['Loose notes']);
    assert.deepEqual(under(rows.find((n) => n.parentId === loose.rootId)!.id), ['Ay', 'b']);
  });

  it('a zip that cannot be read is reported, never half-read: not a zip, a bad checksum, a zip bomb', async () => {
    const core = await openTestCore();
    const notebookId = await notebookOf(core);
    const good = zip([{ path: 'ok.md', data: utf8('fine') }]);
    // A stored entry's first byte changed: its CRC no longer matches (the rest of the zip is readable).
    const damaged = zip([
      { path: 'x.md', data: utf8('abc') },
      { path: 'y.md', data: utf8('Still here.') },
    ]);
    const body = 30 + 'x.md'.length;
    damaged[body] = damaged[body]! ^ 0xff;
    // 41 MB of zeros deflate to ~40 KB: refused from what the zip declares, before anything is inflated.
    const bomb = zip([{ path: 'big.md', data: new Uint8Array(41 * 1024 * 1024) }]);
    const result = await call(core, 'import.markdown', {
      accountId,
      notebookId,
      parentId: null,
      importId: 'zip4',
      files: [
        { path: 'Notes/ok.zip', data: good },
        { path: 'Notes/text.zip', data: utf8('just text named .zip') },
        { path: 'Notes/damaged.zip', data: damaged },
        { path: 'Notes/bomb.zip', data: bomb },
      ],
    });
    assert.deepEqual(result.problems, [
      { path: 'Notes/text.zip', message: 'not a zip archive: not imported' },
      { path: 'Notes/damaged.zip/x.md', message: 'damaged in the zip (wrong checksum): not imported' },
      { path: 'Notes/bomb.zip', message: 'more than 40 MB when unpacked: not imported' },
    ]);
    const rows = await call(core, 'node.tree', { accountId, notebookId });
    const names = rows.filter((node) => node.parentId !== null).map((node) => node.name);
    assert.ok(names.includes('ok') && names.includes('y'), names.join(', '));
    assert.ok(!names.includes('x') && !names.includes('big'), names.join(', '));
  });
});
