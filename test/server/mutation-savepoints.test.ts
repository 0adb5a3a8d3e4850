import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ServerContext } from '../../src/server/context';
import { createLogger } from '../../src/server/http/logging';
import { Metrics } from '../../src/server/http/metrics';
import { DocCache } from '../../src/server/services/doc-cache';
import { ExportTickets } from '../../src/server/services/export-tickets';
import { applyMutations } from '../../src/server/services/mutations';
import { identity } from '../../src/server/services/notebooks';
import { StoredFiles } from '../../src/server/services/stored-files';
import { createToken } from '../../src/server/services/tokens';
import { openDatabase } from '../../src/server/storage/sqlite';
import { SqliteNotesRepository } from '../../src/server/storage/sqlite-repository';
import { ChangeBus, type Change } from '../../src/server/sync/change-bus';
import { createNodeState } from '../../src/shared/crdt/node-doc';
import { toBase64 } from '../../src/shared/lib/base64';
import { IdPrefix, newId } from '../../src/shared/lib/ids';
import type { Mutation } from '../../src/shared/model/mutations';
import { present } from '../../src/server/invariant';

/**
 * A batch runs without per-mutation savepoints first and falls back to them only when a mutation fails after
 * it wrote (services/mutations.ts). Such a failure cannot be provoked through the API (every refusal is
 * decided before writing), so this test injects one into the real repository: the stored update of one node,
 * written after its node row, throws.
 */
describe('mutation batches without savepoints', () => {
  const dir = mkdtempSync(join(tmpdir(), 'notes-savepoints-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const repos: SqliteNotesRepository[] = [];
  after(() => repos.forEach((repo) => repo.close()));

  async function setup(failOn: ReadonlySet<string>) {
    const dataDir = join(dir, newId(IdPrefix.node));
    const repo = new SqliteNotesRepository(openDatabase(dataDir));
    repos.push(repo);
    let injected = 0;
    const insertNodeUpdate = repo.insertNodeUpdate.bind(repo);
    repo.insertNodeUpdate = (row) => {
      if (failOn.has(row.targetId)) {
        injected += 1;
        throw new Error('disk said no');
      }
      insertNodeUpdate(row);
    };
    const published: Change[][] = [];
    const bus = new ChangeBus();
    bus.publish = (changes) => void published.push([...changes]);
    const ctx: ServerContext = {
      repo,
      log: createLogger({ level: 'silent' }),
      bus,
      metrics: new Metrics(),
      tickets: new ExportTickets(),
      docs: new DocCache(),
      dataDir,
      files: new StoredFiles(dataDir, repo),
      defaultMaxFileSize: 1024,
      startedAt: new Date().toISOString(),
      now: () => new Date().toISOString(),
    };
    const { userId } = createToken(repo, 'ann');
    const user = present(repo.getAccount(userId), 'ann');
    const { notebookId } = identity(ctx, user);
    published.length = 0;
    // The TUS file store creates its folder asynchronously: let it, before the folder may be removed.
    while (!existsSync(ctx.files.directory)) await new Promise((resolve) => setImmediate(resolve));
    return { ctx, repo, user, notebookId, published, injections: () => injected };
  }

  const create = (nodeId: string, attributes: Record<string, unknown>): Mutation => ({
    id: newId(IdPrefix.mutation),
    createdAt: new Date().toISOString(),
    type: 'node.create',
    data: {
      nodeId,
      updateId: newId(IdPrefix.update),
      createdAt: new Date().toISOString(),
      data: toBase64(createNodeState(attributes).update),
    },
  });

  it('a failure after writing undoes exactly that mutation; the others of the batch stay applied', async () => {
    const sectionId = newId(IdPrefix.node);
    const pages = [0, 1, 2].map(() => newId(IdPrefix.node));
    const mutations = [
      create(sectionId, { type: 'section', parentId: null, index: 'a0', name: 'S', collaborators: {} }),
      ...pages.map((id, i) =>
        create(id, { type: 'page', parentId: sectionId, index: `a${i}`, name: `P${i}` }),
      ),
    ];
    const failing = present(pages[1], 'second page');
    const { ctx, repo, user, notebookId, published, injections } = await setup(new Set([failing]));
    const { results } = applyMutations(ctx, user, notebookId, mutations);
    assert.deepEqual(
      results.map((r) => r.status),
      [201, 201, 500, 201],
    );
    // Once in the pass without savepoints (which rolled back), once in the pass with them.
    assert.equal(injections(), 2);
    assert.ok(repo.getNode(sectionId));
    assert.ok(repo.getNode(present(pages[0], 'p0')));
    assert.equal(repo.getNode(present(pages[1], 'p1')), undefined, 'the failed create left no row');
    assert.ok(repo.getNode(present(pages[2], 'p2')));
    // Published once, after the commit.
    assert.equal(published.length, 1);
    // The successes are remembered once each: a retry of the batch applies only the failed one.
    const again = applyMutations(ctx, user, notebookId, mutations);
    assert.deepEqual(
      again.results.map((r) => r.status),
      [201, 201, 500, 201],
    );
    const retried = await setup(new Set());
    assert.deepEqual(
      applyMutations(retried.ctx, retried.user, retried.notebookId, mutations).results.map((r) => r.status),
      [201, 201, 201, 201],
    );
    // Without the failure the batch announces one change more: the failed mutation's change was dropped.
    assert.equal(
      present(retried.published[0], 'changes').length,
      present(published[0], 'changes').length + 1,
    );
  });

  it('a refusal before any write needs no second pass', async () => {
    const { ctx, user, notebookId, injections } = await setup(new Set());
    const orphan = create(newId(IdPrefix.node), {
      type: 'page',
      parentId: 'nd_missing',
      index: 'a0',
      name: 'P',
    });
    const section = create(newId(IdPrefix.node), {
      type: 'section',
      parentId: null,
      index: 'a0',
      name: 'S',
      collaborators: {},
    });
    const writes = ctx.repo.writeCount();
    const { results } = applyMutations(ctx, user, notebookId, [orphan, section]);
    assert.deepEqual(
      results.map((r) => r.status),
      [400, 201],
    );
    assert.equal(injections(), 0);
    // One pass: the section's node row, its update, collaborations, the applied records and the revision.
    assert.ok(ctx.repo.writeCount() - writes < 10);
  });
});
