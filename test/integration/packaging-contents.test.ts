import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { importedPackages, listFiles, packAppDir, packagesIn, runtimeClosure } from '../support/pack';
import { tempDir } from '../support/temp';

/**
 * What the desktop installer carries, packed for real by electron-builder (see packAppDir): the app's
 * bundles and the main process's run-time dependencies — not the reference server's, not the renderer's
 * (bundled) — and every one of those loads from the packed folder alone.
 */
const root = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string, extension: RegExp): string[] {
  return listFiles(join(root, dir))
    .filter((file) => extension.test(file))
    .map((file) => join(root, dir, file));
}

describe('what the desktop installer would carry (electron-builder, linux dir)', () => {
  let appDir = '';
  let packed = new Set<string>();
  let files: string[] = [];
  /** Packages the main and preload bundles load at run time (electron-vite leaves `dependencies` external). */
  let mainExternals = new Set<string>();
  const workDir = tempDir('pack');

  before(async () => {
    assert.ok(existsSync(join(root, 'out/main/index.js')), "out/ is missing: run 'npm run build' first");
    mainExternals = importedPackages([
      ...sourceFiles('out/main', /\.js$/),
      ...sourceFiles('out/preload', /\.c?js$/),
    ]);
    mainExternals.delete('electron'); // provided by the Electron runtime, never packed
    appDir = await packAppDir(workDir);
    files = listFiles(appDir);
    packed = packagesIn(files);
  });

  it("packs the app's bundles and package.json, no sources or maps", () => {
    const own = files.filter((file) => !file.startsWith('node_modules/'));
    assert.ok(own.includes('package.json'));
    assert.ok(own.includes('out/main/index.js') && own.includes('out/preload/index.cjs'));
    assert.ok(own.includes('out/renderer/index.html'));
    const stray = own.filter((file) => !file.startsWith('out/') && file !== 'package.json');
    assert.deepEqual(stray, []);
    assert.deepEqual(
      files.filter((file) => file.endsWith('.map')),
      [],
    );
  });

  it('ships none of the server-only dependencies', () => {
    const serverImports = importedPackages(sourceFiles('src/server', /\.ts$/));
    // The parse found the server's stack (else this test would pass vacuously).
    for (const name of ['fastify', '@tus/server', 'sharp', 'pino']) assert.ok(serverImports.has(name), name);
    const serverOnly = [...serverImports].filter((name) => !runtimeClosure(mainExternals, root).has(name));
    const shipped = serverOnly.filter((name) => packed.has(name));
    assert.deepEqual(
      shipped,
      [],
      `server-only dependencies would ship in the installer: ${shipped.join(', ')}`,
    );
    assert.ok(!packed.has('@img/sharp-linux-x64'), "sharp's native binaries stay out");
  });

  it("ships nothing beyond what the main bundle loads at run time (the renderer's libraries are bundled)", () => {
    for (const name of ['better-sqlite3', 'yjs', 'ws', '@tiptap/core'])
      assert.ok(mainExternals.has(name), name);
    const needed = runtimeClosure(mainExternals, root);
    const extra = [...packed].filter((name) => !needed.has(name)).sort();
    assert.deepEqual(extra, [], `packed but not needed by the main process: ${extra.join(', ')}`);
    // markdown-it is not in this list: the main process reads Markdown with it (src/shared/markdown), so it ships.
    for (const name of ['react', 'react-dom', '@tiptap/react', 'prosemirror-markdown']) {
      assert.ok(!packed.has(name), `${name} is bundled into the renderer, not shipped as a package`);
    }
  });

  it("every package the main process loads comes from the packed folder alone (and better-sqlite3's addon opens a database)", () => {
    const missing = [...runtimeClosure(mainExternals, root)].filter((name) => !packed.has(name)).sort();
    assert.deepEqual(
      missing,
      [],
      `the main process needs packages the installer lacks: ${missing.join(', ')}`,
    );
    // Load the bundles' chunks and each external from inside the packed folder, in a child Node whose module
    // lookup cannot reach this repository's node_modules (the folder lives under the OS temp dir).
    assert.ok(!appDir.startsWith(root));
    const chunks = readdirSync(join(appDir, 'out/main/chunks')).map((file) => `./out/main/chunks/${file}`);
    // electron-updater requires 'electron', which only the Electron runtime provides: resolved, not loaded.
    // @tiptap/pm exports only subpaths (the main bundle imports '@tiptap/pm/model' and '/state'): load one.
    const loadable = [...mainExternals]
      .filter((name) => name !== 'electron-updater')
      .map((name) => (name === '@tiptap/pm' ? '@tiptap/pm/model' : name));
    const script = `
      import { createRequire } from 'node:module';
      const require = createRequire(process.cwd() + '/package.json');
      for (const spec of ${JSON.stringify([...chunks, ...loadable])}) await import(spec.startsWith('./') ? process.cwd() + spec.slice(1) : spec);
      require.resolve('electron-updater');
      const Database = (await import('better-sqlite3')).default;
      const db = new Database(':memory:');
      process.stdout.write(String(db.prepare('SELECT sqlite_version() AS v').get().v));
    `;
    const env = { ...process.env };
    delete env.NODE_PATH;
    delete env.NODE_OPTIONS;
    const version = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: appDir,
      env,
      encoding: 'utf8',
    });
    assert.match(version, /^3\.\d+\.\d+$/);
  });

  it('keeps better-sqlite3 to its addon and JS (no SQLite sources or object files)', () => {
    const sqliteFiles = files.filter((file) => file.startsWith('node_modules/better-sqlite3/'));
    assert.ok(sqliteFiles.includes('node_modules/better-sqlite3/build/Release/better_sqlite3.node'));
    const bulky = sqliteFiles.filter((file) => /\/(deps|src|obj)\/|\.(c|cpp|h|o)$/.test(file));
    assert.deepEqual(bulky, []);
    const bytes = files.reduce((sum, file) => sum + statSync(join(appDir, file)).size, 0);
    console.log(
      `packed app: ${packed.size} packages, ${(bytes / 2 ** 20).toFixed(1)} MiB in ${files.length} files`,
    );
  });
});
