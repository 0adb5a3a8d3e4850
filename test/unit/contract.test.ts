import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as z from 'zod';
import { COMMAND_NAMES, commands } from '../../src/shared/contract';
import { createHandlers } from '../../src/main/core/handlers';
import { openTestCore } from '../support/temp';

describe('contract', () => {
  it('has a handler for every command and nothing else', async () => {
    const core = await openTestCore();
    const handlers = createHandlers({
      info: core.info,
      store: core.store,
      events: core.events,
      clock: core.clock,
      account: (id) => core.account(id),
    });
    assert.deepEqual(Object.keys(handlers).sort(), [...COMMAND_NAMES].sort());
  });

  it('every command rejects a non-object input with bad_request', async () => {
    const core = await openTestCore();
    for (const name of COMMAND_NAMES) {
      for (const input of ['text', 42, [1, 2]]) {
        const result = await core.router.dispatch(name, input, { senderId: 't' });
        assert.equal(result.ok, false, `${name} accepted ${JSON.stringify(input)}`);
        assert.equal(!result.ok && result.error.code, 'bad_request');
      }
    }
  });

  it('every field of every command rejects a wrong-typed value with a result that names the field', async () => {
    const core = await openTestCore();
    let checked = 0;
    for (const name of COMMAND_NAMES) {
      const schema = commands[name].input;
      assert.ok(schema instanceof z.ZodObject, `${name} input is an object schema`);
      for (const field of Object.keys(schema.shape)) {
        const result = await core.router.dispatch(name, { [field]: [[]] }, { senderId: 't' });
        assert.equal(result.ok, false, `${name}.${field} accepted [[]]`);
        if (result.ok) continue;
        assert.equal(result.error.code, 'bad_request');
        assert.ok(
          // A list field is refused at its first item ('input.files.0'): that names the field too.
          result.error.details.some(
            (d) => d.path === `input.${field}` || d.path.startsWith(`input.${field}.`),
          ),
          `${name}: details ${JSON.stringify(result.error.details)} should name input.${field}`,
        );
        assert.match(result.error.message, /Invalid input/);
        checked++;
      }
    }
    assert.ok(checked >= 30, `checked ${checked} fields`);
  });

  it('names missing required fields', async () => {
    const core = await openTestCore();
    const result = await core.router.dispatch('node.create', { accountId: 'local' }, { senderId: 't' });
    assert.equal(result.ok, false);
    const paths = !result.ok ? result.error.details.map((d) => d.path) : [];
    for (const field of ['notebookId', 'type', 'parentId', 'name'])
      assert.ok(paths.includes(`input.${field}`), field);
  });

  it('unknown commands and prototype names are refused, not dispatched', async () => {
    const core = await openTestCore();
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 42, null]) {
      const result = await core.router.dispatch(name, {}, { senderId: 't' });
      assert.equal(!result.ok && result.error.code, 'bad_request', String(name));
    }
  });

  it('an unknown account is not_found, not a crash', async () => {
    const core = await openTestCore();
    const result = await core.router.dispatch(
      'notebook.list',
      { accountId: 'someone-else' },
      { senderId: 't' },
    );
    assert.equal(!result.ok && result.error.code, 'not_found');
  });
});
