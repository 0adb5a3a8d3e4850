import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { build, type Metafile } from 'esbuild';
import * as z from 'zod';
import { COMMAND_NAMES, commands } from '../../src/shared/contract';

/**
 * Start-up time is mostly module evaluation, and the editor stack (TipTap, ProseMirror, y-tiptap) is the
 * heaviest part of main's graph. Main needs it only to convert documents, so it must be reached through
 * `import()` (see documents.service.ts); likewise the sync engine, which only server accounts need. This walks the static import graph of both main entries and fails
 * when any path pulls the editor stack in at start.
 */
const ENTRIES = ['src/main/index.ts', 'src/main/web/cli.ts'];
const HEAVY = [
  /^@tiptap\//,
  /^prosemirror-/,
  /src\/shared\/editor\//,
  /src\/shared\/crdt\/document\.ts$/,
  // The sync engine and its socket library (with Node's http/https/tls/zlib): only server accounts need them,
  // loaded by AppCore.attach (decision 0009).
  /src\/main\/sync\/(sync-engine|socket-session)\.ts$/,
];
/** Browser mode serves its own WebSocket, so only the Electron entry must start without `ws`. */
const HEAVY_FOR: Record<string, RegExp[]> = { 'src/main/index.ts': [/^ws$/] };

async function staticGraph(entry: string): Promise<Metafile> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  return result.metafile;
}

/** Every module reachable from `entry` through static imports, each with the chain that reached it. */
function reachable(metafile: Metafile, entry: string): Map<string, string[]> {
  const paths = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const imported of metafile.inputs[current]?.imports ?? []) {
      if (imported.kind === 'dynamic-import' || paths.has(imported.path)) continue;
      paths.set(imported.path, [...paths.get(current)!, imported.path]);
      if (!imported.external) queue.push(imported.path);
    }
  }
  return paths;
}

describe('main start-up imports', () => {
  for (const entry of ENTRIES) {
    it(`${entry} does not load the editor stack or the sync engine before they are needed`, async () => {
      const graph = reachable(await staticGraph(entry), entry);
      assert.ok(graph.size > 20, 'the walk found the main graph');
      const patterns = [...HEAVY, ...(HEAVY_FOR[entry] ?? [])];
      const heavy = [...graph].filter(([path]) => patterns.some((pattern) => pattern.test(path)));
      assert.deepEqual(
        heavy.map(([, chain]) => chain.join(' → ')),
        [],
        'statically imported at start (use a lazy import())',
      );
    });
  }
});

describe('contract validators', () => {
  it('are built on first use and then kept (loading the contract constructs no schema)', () => {
    for (const name of COMMAND_NAMES) {
      const descriptor = Object.getOwnPropertyDescriptor(commands[name], 'input');
      assert.equal(typeof descriptor?.get, 'function', `${name}: input is a lazy getter`);
      const schema = commands[name].input;
      assert.ok(schema instanceof z.ZodType, `${name}: a zod schema`);
      assert.equal(commands[name].input, schema, `${name}: built once`);
    }
  });
});
