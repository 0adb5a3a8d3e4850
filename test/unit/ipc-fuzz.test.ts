import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as z from 'zod';
import { AppCore, LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import { COMMAND_NAMES, commands, type CommandName } from '../../src/shared/contract';
import { ErrorCode } from '../../src/shared/lib/result';
import { call, tempDir } from '../support/temp';

/**
 * Router fuzz: 1,000 seeded inputs per contract command — arbitrary JSON-ish values, and objects shaped like
 * the command's schema (its own keys, hostile values: wrong types, huge/empty strings, ids of things that do
 * not exist, prototype keys, bytes). Every answer must be a well-formed Result envelope, nothing may throw
 * out of the router or reach it as an internal error, and the core must work normally afterwards.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const CODES = new Set<string>(Object.values(ErrorCode));
/** Commands that talk to a server: their valid-looking inputs would wait on the network, so they get hostile shapes only. */
const NETWORK: ReadonlySet<CommandName> = new Set(['account.add']);

const hostileString = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '',
    ' ',
    'local',
    '__proto__',
    'constructor',
    '../../etc/passwd',
    '<img src=x onerror=alert(1)>',
    'x'.repeat(70_000),
  ),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
);
const leaf = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.uint8Array({ maxLength: 64 }),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(hostileString, tie('node'), { maxKeys: 4 }),
  ),
})).node;

function shaped(name: CommandName): fc.Arbitrary<unknown> {
  const schema = commands[name].input;
  const keys = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  if (keys.length === 0) return fc.dictionary(hostileString, value, { maxKeys: 3 });
  const field = (key: string): fc.Arbitrary<unknown> =>
    key === 'accountId' ? fc.oneof(fc.constant(LOCAL_ACCOUNT_ID), hostileString, value) : value;
  return fc.record(Object.fromEntries(keys.map((k) => [k, field(k)])), { requiredKeys: [] });
}

function assertEnvelope(name: string, result: unknown): void {
  assert.equal(typeof result, 'object', `${name}: result is an object`);
  const r = result as {
    ok?: unknown;
    value?: unknown;
    error?: { message?: unknown; code?: unknown; details?: unknown };
  };
  if (r.ok === true) {
    assert.ok('value' in r, `${name}: ok result has a value`);
    return;
  }
  assert.equal(r.ok, false, `${name}: ok is a boolean`);
  assert.equal(typeof r.error?.message, 'string', `${name}: error.message`);
  assert.ok(CODES.has(String(r.error?.code)), `${name}: error.code ${String(r.error?.code)}`);
  assert.ok(Array.isArray(r.error?.details), `${name}: error.details`);
  for (const detail of r.error?.details as unknown[])
    assert.ok(
      typeof detail === 'object' &&
        detail !== null &&
        typeof (detail as { path?: unknown }).path === 'string',
      `${name}: detail has a path`,
    );
}

describe('IPC router fuzz', () => {
  it(`answers ${RUNS} fuzzed inputs per command with a Result envelope, no crash, core intact`, async (t) => {
    const internal: string[] = [];
    const core = await AppCore.open({
      dataDir: tempDir('fuzz'),
      mode: 'browser',
      onInternalError: (command, error) =>
        internal.push(`${command}: ${error instanceof Error ? error.stack : String(error)}`),
    });
    try {
      let total = 0;
      const reachedHandler = new Set<string>();
      for (const [index, name] of COMMAND_NAMES.entries()) {
        const arbitrary = NETWORK.has(name) ? value : fc.oneof(value, shaped(name), shaped(name));
        const inputs = fc.sample(arbitrary, { numRuns: RUNS, seed: SEED + index });
        for (const input of inputs) {
          const result = await core.router.dispatch(name, input, { senderId: 'fuzz' });
          assertEnvelope(name, result);
          if (!result.ok)
            assert.notEqual(result.error.code, ErrorCode.internal, `${name} hit an internal error`);
          const invalid = !result.ok && result.error.details.some((d) => d.path.startsWith('input'));
          if (!invalid) reachedHandler.add(name);
          total++;
        }
        // Unknown command names (fuzzed too) are refused the same way.
        const unknown = await core.router.dispatch(`${name}.x`, {}, { senderId: 'fuzz' });
        assert.equal(!unknown.ok && unknown.error.code, ErrorCode.badRequest);
      }
      assert.deepEqual(internal, [], 'no handler threw an unexpected error');
      assert.equal(total, RUNS * COMMAND_NAMES.length);
      t.diagnostic(
        `${total} inputs; ${reachedHandler.size}/${COMMAND_NAMES.length} commands had inputs pass validation`,
      );
      // The fuzz must get past validation into most handlers, or it tests only zod.
      assert.ok(reachedHandler.size >= COMMAND_NAMES.length * 0.6, [...reachedHandler].join(', '));

      // Still a working core: create, write, read.
      const [notebook] = await call(core, 'notebook.list', { accountId: LOCAL_ACCOUNT_ID });
      assert.ok(notebook);
      const saved = await call(core, 'capture.save', {
        accountId: LOCAL_ACCOUNT_ID,
        destination: { kind: 'inbox', notebookId: notebook.id },
        title: 'after the fuzz',
        body: { type: 'doc', content: [] },
      });
      const tree = await call(core, 'node.tree', { accountId: LOCAL_ACCOUNT_ID, notebookId: notebook.id });
      assert.ok(tree.some((n) => n.id === saved.nodeId));
    } finally {
      core.close();
    }
  });
});
