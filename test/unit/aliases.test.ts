import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import { createLocalPage } from '../support/core';
import { call, openTestCore } from '../support/temp';

const accountId = LOCAL_ACCOUNT_ID;

describe('page aliases', () => {
  it('sets, shows, resolves and removes a page alias', async () => {
    const core = await openTestCore();
    const { notebook, page } = await createLocalPage(core, 'Q4 plan');
    assert.equal((await call(core, 'node.get', { accountId, nodeId: page.id })).alias, null);
    const updated = await call(core, 'node.update', { accountId, nodeId: page.id, alias: 'q4-plan' });
    assert.equal(updated.alias, 'q4-plan');
    assert.equal((await call(core, 'node.get', { accountId, nodeId: page.id })).alias, 'q4-plan');
    const found = await call(core, 'node.byAlias', { accountId, notebookId: notebook.id, alias: 'q4-plan' });
    assert.equal(found?.id, page.id);
    assert.equal((await call(core, 'node.byAlias', { accountId, alias: 'q4-plan' }))?.id, page.id);
    assert.equal(core.nodeOfLink({ kind: 'alias', alias: 'q4-plan' }), page.id);
    // Kept with the page's attributes (synced like its name), and its name is untouched.
    assert.equal(updated.name, 'Q4 plan');
    await call(core, 'node.update', { accountId, nodeId: page.id, alias: null });
    assert.equal(await call(core, 'node.byAlias', { accountId, alias: 'q4-plan' }), null);
    assert.equal(core.nodeOfLink({ kind: 'alias', alias: 'q4-plan' }), null);
    const notices = await call(core, 'app.notices', {});
    assert.ok(
      notices.some((n) => n.message.includes('q4-plan')),
      'an unknown alias is said, not ignored',
    );
  });

  it('refuses a malformed alias, one on a section and one another page has; nothing changes', async () => {
    const core = await openTestCore();
    const { section, page } = await createLocalPage(core, 'Plan');
    const other = (await createLocalPage(core, 'Other')).page;
    await call(core, 'node.update', { accountId, nodeId: page.id, alias: 'plan' });
    const refused = async (input: Record<string, unknown>): Promise<string> => {
      const result = await core.router.dispatch('node.update', { accountId, ...input }, { senderId: 't' });
      assert.ok(!result.ok, JSON.stringify(input));
      return result.error.code;
    };
    for (const alias of ['Plan', 'two words', 'a--b', '', 'é', 'x'.repeat(129)])
      assert.equal(await refused({ nodeId: other.id, alias }), 'bad_request', alias);
    assert.equal(await refused({ nodeId: section.id, alias: 'section' }), 'bad_request');
    assert.equal(await refused({ nodeId: other.id, alias: 'plan' }), 'conflict');
    assert.equal((await call(core, 'node.get', { accountId, nodeId: other.id })).alias, null);
    assert.equal((await call(core, 'node.byAlias', { accountId, alias: 'plan' }))?.id, page.id);
    // A page may keep (set again) its own alias.
    assert.equal(
      (await call(core, 'node.update', { accountId, nodeId: page.id, alias: 'plan' })).alias,
      'plan',
    );
    const bad = await core.router.dispatch(
      'node.byAlias',
      { accountId, alias: 'Not An Alias' },
      { senderId: 't' },
    );
    assert.ok(!bad.ok && bad.error.code === 'bad_request');
  });
});
