import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { AppCore, LOCAL_ACCOUNT_ID } from '../../src/main/core/app-core';
import { API_PREFIX } from '../../src/shared/api/common';
import type { NotebookMoveView } from '../../src/shared/contract';
import { NotebookStatus } from '../../src/shared/model/roles';
import { call } from '../support/core';
import { seededRandom } from '../support/random';
import {
  addAccount,
  FAST_SYNC,
  FaultProxy,
  openDevice,
  PageEditor,
  ProxyMode,
  startTestServer,
  storedDoc,
  waitFor,
} from '../support/sync';
import { tempDir } from '../support/temp';

const local = LOCAL_ACCOUNT_ID;

/** A Local notebook with two sections, nested pages, text in a page and a trashed page. */
async function seedNotebook(core: AppCore) {
  const notebook = await call(core, 'notebook.create', { accountId: local, name: 'Research' });
  const node = (type: 'section' | 'page', parentId: string | null, name: string) =>
    call(core, 'node.create', { accountId: local, notebookId: notebook.id, type, parentId, name });
  const ideas = await node('section', null, 'Ideas');
  const plans = await node('section', null, 'Plans');
  const page = await node('page', ideas.id, 'Offline first');
  const child = await node('page', page.id, 'Details');
  const trashed = await node('page', plans.id, 'Old plan');
  await call(core, 'node.trash', { accountId: local, nodeId: trashed.id });
  const editor = await PageEditor.open(core, local, page);
  await editor.type('Every edit is kept.');
  await editor.type('Nothing is lost.');
  return { notebook, ids: [ideas.id, plans.id, page.id, child.id, trashed.id], pageId: page.id };
}

/** [id, type, parentId, name, trashed] of every node (trashed included), sorted by id. */
async function outline(core: AppCore, accountId: string, notebookId: string) {
  const tree = await call(core, 'node.tree', { accountId, notebookId });
  const trash = await call(core, 'node.trashList', { accountId, notebookId });
  return [...tree, ...trash]
    .map((n) => [n.id, n.type, n.parentId, n.name, n.trashedAt !== null] as const)
    .sort((a, b) => a[0].localeCompare(b[0]));
}

/**
 * Signs a fresh device in as `token`'s user (notebooks are listed on connect) and waits until it has
 * downloaded notebook `targetId` with exactly the `expected` outline and the page's `text`.
 */
async function seenElsewhere(
  seed: number,
  serverUrl: string,
  token: string,
  targetId: string,
  expected: Awaited<ReturnType<typeof outline>>,
  page: { id: string; text: string },
): Promise<void> {
  const other = await openDevice(seed);
  const account = await addAccount(other, serverUrl, token);
  await waitFor('the moved tree on another device', async () => {
    const tree = await outline(other, account.id, targetId);
    return JSON.stringify(tree) === JSON.stringify(expected);
  });
  await waitFor('the page text on another device', async () => {
    const doc = await storedDoc(other, account.id, page.id);
    return doc.getXmlFragment('default').toString() === page.text;
  });
}

async function openCore(dataDir: string, seed: number): Promise<AppCore> {
  return AppCore.open({ dataDir, mode: 'browser', sync: { ...FAST_SYNC, random: seededRandom(seed) } });
}

function lastMove(core: AppCore): () => NotebookMoveView | undefined {
  let last: NotebookMoveView | undefined;
  core.events.on((event) => {
    if (event.name === 'notebook.move') last = event.payload as NotebookMoveView;
  });
  return () => last;
}

/** The server's own list of the user's notebooks called `name` (REST, not through any device). */
async function serverNotebooksNamed(serverUrl: string, token: string, name: string): Promise<string[]> {
  const response = await fetch(`${serverUrl}${API_PREFIX}/notebooks`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(response.status, 200);
  const { notebooks } = (await response.json()) as { notebooks: { id: string; name: string }[] };
  return notebooks.filter((n) => n.name === name).map((n) => n.id);
}

describe('moving a Local notebook to a server account', () => {
  it('re-creates the tree and documents on the server (same ids) and only then removes the Local copy', async () => {
    const server = await startTestServer();
    const core = await openDevice(11);
    const token = server.createToken('carol');
    const account = await addAccount(core, server.url, token);
    const { notebook, ids, pageId } = await seedNotebook(core);
    const before = await outline(core, local, notebook.id);
    const text = (await storedDoc(core, local, pageId)).getXmlFragment('default').toString();
    assert.match(text, /Every edit is kept\..*Nothing is lost\./s);
    const move = lastMove(core);

    const started = await call(core, 'notebook.moveToAccount', {
      accountId: local,
      notebookId: notebook.id,
      targetAccountId: account.id,
    });
    assert.equal(started.name, 'Research');
    const done = await waitFor('the move to finish', () => (move()?.phase === 'done' ? move() : undefined));
    assert.equal(done.confirmed, done.total);
    assert.ok(done.total >= ids.length + 1, 'every node and the page text were sent');
    assert.deepEqual(await call(core, 'notebook.moves', {}), []);
    assert.ok(!(await call(core, 'notebook.list', { accountId: local })).some((n) => n.id === notebook.id));

    const targetId = done.targetNotebookId ?? assert.fail('no target notebook');
    const moved = await outline(core, account.id, targetId);
    assert.deepEqual(
      moved,
      before.map(([id, ...rest]) => [id, ...rest]),
    );
    assert.deepEqual(
      moved.map(([id]) => id),
      [...ids].sort(),
    );

    // Another device signed in as the same user downloads it all from the server.
    await seenElsewhere(12, server.url, server.createToken('carol'), targetId, moved, { id: pageId, text });
  });

  it('survives a restart while the server refuses to take the changes, and finishes when it does', async () => {
    const server = await startTestServer();
    const proxy = await FaultProxy.start(server.url);
    const dataDir = tempDir('move');
    let core = await openCore(dataDir, 21);
    after(() => core.close());
    const account = await addAccount(core, proxy.url, server.createToken('dave'));
    const { notebook, pageId } = await seedNotebook(core);
    const before = await outline(core, local, notebook.id);
    const text = (await storedDoc(core, local, pageId)).getXmlFragment('default').toString();

    proxy.mode = ProxyMode.failMutations;
    const move = lastMove(core);
    await call(core, 'notebook.moveToAccount', {
      accountId: local,
      notebookId: notebook.id,
      targetAccountId: account.id,
    });
    const stuck = await waitFor('the move to be waiting on the server', () => {
      const view = move();
      return view?.phase === 'uploading' && view.total > 0 && proxy.failedMutationBatches > 0
        ? view
        : undefined;
    });
    assert.equal(stuck.confirmed, 0);
    // Interrupted: the core goes away mid-move.
    core.close();

    core = await openCore(dataDir, 22);
    const resumed = await call(core, 'notebook.moves', {});
    assert.deepEqual(
      resumed.map((m) => [m.notebookId, m.targetNotebookId]),
      [[notebook.id, stuck.targetNotebookId]],
    );
    assert.deepEqual(await outline(core, local, notebook.id), before, 'the Local copy is untouched');
    const afterRestart = lastMove(core);

    proxy.restore();
    const done = await waitFor(
      'the resumed move to finish',
      () => (afterRestart()?.phase === 'done' ? afterRestart() : undefined),
      20_000,
    );
    assert.equal(done.targetNotebookId, stuck.targetNotebookId, 'no second notebook on the server');
    assert.ok(!(await call(core, 'notebook.list', { accountId: local })).some((n) => n.id === notebook.id));
    const serverNotebooks = (await call(core, 'notebook.list', { accountId: account.id })).filter(
      (n) => n.name === 'Research',
    );
    assert.equal(serverNotebooks.length, 1);

    const targetId = done.targetNotebookId ?? assert.fail('no target');
    await seenElsewhere(23, server.url, server.createToken('dave'), targetId, before, { id: pageId, text });
  });

  it('a core killed (SIGKILL) mid-move loses nothing, and the move finishes after a restart', async () => {
    const server = await startTestServer();
    const token = server.createToken('gina');
    const dataDir = tempDir('move-kill');
    const setup = await openCore(dataDir, 51);
    const account = await addAccount(setup, server.url, token);
    setup.close();
    // Kill points: right after the command answered (creating the notebook on the server), and after the
    // copy into the server account's replica (changes queued, not all confirmed).
    const killPoints = ['started', 'move uploading'] as const;
    for (const [i, killOn] of killPoints.entries()) {
      let core = await openCore(dataDir, 60 + i);
      const { notebook, pageId } = await seedNotebook(core);
      const name = `Research ${i}`;
      await call(core, 'notebook.update', { accountId: local, notebookId: notebook.id, name });
      const before = await outline(core, local, notebook.id);
      const text = (await storedDoc(core, local, pageId)).getXmlFragment('default').toString();
      core.close();

      const output = await runAndKill(dataDir, notebook.id, account.id, killOn);
      assert.ok(output.includes(killOn), `killed at "${killOn}" (saw: ${output.join(', ')})`);
      assert.ok(!output.includes('move done'), 'killed before the move finished');

      core = await openCore(dataDir, 70 + i);
      try {
        assert.ok(
          (await call(core, 'notebook.list', { accountId: local })).some((n) => n.id === notebook.id),
          'the Local copy survives the kill',
        );
        await waitFor(
          'the resumed move to finish',
          async () =>
            (await call(core, 'notebook.moves', {})).length === 0 &&
            !(await call(core, 'notebook.list', { accountId: local })).some((n) => n.id === notebook.id),
          20_000,
        );
      } finally {
        core.close();
      }
      // The server has it all, once: another device (signed in now: notebooks are listed on connect) downloads it.
      const other = await openDevice(80 + i);
      const otherAccount = await addAccount(other, server.url, token);
      const targetId = await waitFor('the moved notebook on another device', async () => {
        for (const candidate of await call(other, 'notebook.list', { accountId: otherAccount.id })) {
          const tree = await outline(other, otherAccount.id, candidate.id);
          if (JSON.stringify(tree) === JSON.stringify(before)) return candidate.id;
        }
        return undefined;
      });
      await waitFor('the page text on another device', async () => {
        const doc = await storedDoc(other, otherAccount.id, pageId);
        return doc.getXmlFragment('default').toString() === text;
      });
      // Exactly one notebook of that name: a POST whose answer the kill cut off is answered again on resume.
      assert.deepEqual(await serverNotebooksNamed(server.url, token, name), [targetId]);
    }
  });

  it('killed (SIGKILL) after the server created the notebook but before its id was saved: one notebook, all of it', async () => {
    const server = await startTestServer();
    const proxy = await FaultProxy.start(server.url);
    const token = server.createToken('hugo');
    const dataDir = tempDir('move-create-kill');
    let core = await openCore(dataDir, 101);
    const account = await addAccount(core, proxy.url, token);
    const { notebook, pageId } = await seedNotebook(core);
    const before = await outline(core, local, notebook.id);
    const text = (await storedDoc(core, local, pageId)).getXmlFragment('default').toString();
    core.close();

    // The server commits the notebook and answers; the answer never arrives, and the app dies right then.
    proxy.mode = ProxyMode.loseNotebookAnswers;
    const created = new Promise<void>((resolve) => {
      proxy.onLostNotebookAnswer = resolve;
    });
    const output = await runAndKill(dataDir, notebook.id, account.id, null, created);
    assert.equal(proxy.lostNotebookAnswers, 1);
    assert.ok(
      !output.includes('move uploading'),
      `killed before the id was known (saw: ${output.join(', ')})`,
    );
    const [leftBehind] = await serverNotebooksNamed(server.url, token, 'Research');
    assert.ok(leftBehind, 'the server did create it');

    proxy.restore();
    core = await openCore(dataDir, 102);
    try {
      const [resumed] = await call(core, 'notebook.moves', {});
      assert.equal(resumed?.targetNotebookId, null, 'resumed without knowing the id');
      const move = lastMove(core);
      const done = await waitFor(
        'the resumed move to finish',
        () => (move()?.phase === 'done' ? move() : undefined),
        20_000,
      );
      assert.equal(done.targetNotebookId, leftBehind, 'the notebook created before the kill, reused');
      assert.ok(!(await call(core, 'notebook.list', { accountId: local })).some((n) => n.id === notebook.id));
    } finally {
      core.close();
    }
    assert.deepEqual(await serverNotebooksNamed(server.url, token, 'Research'), [leftBehind]);
    await seenElsewhere(103, server.url, token, leftBehind, before, { id: pageId, text });
  });

  it('an answer to POST /notebooks lost in flight is retried into the same notebook', async () => {
    const server = await startTestServer();
    const proxy = await FaultProxy.start(server.url);
    const token = server.createToken('iris');
    const core = await openDevice(111);
    const account = await addAccount(core, proxy.url, token);
    const { notebook, pageId } = await seedNotebook(core);
    const before = await outline(core, local, notebook.id);
    const text = (await storedDoc(core, local, pageId)).getXmlFragment('default').toString();
    proxy.mode = ProxyMode.loseNotebookAnswers;
    proxy.onLostNotebookAnswer = () => proxy.restore(); // once
    const move = lastMove(core);
    await call(core, 'notebook.moveToAccount', {
      accountId: local,
      notebookId: notebook.id,
      targetAccountId: account.id,
    });
    const done = await waitFor(
      'the move to finish',
      () => (move()?.phase === 'done' ? move() : undefined),
      20_000,
    );
    assert.equal(proxy.lostNotebookAnswers, 1);
    const targetId = done.targetNotebookId ?? assert.fail('no target');
    assert.deepEqual(await serverNotebooksNamed(server.url, token, 'Research'), [targetId]);
    await seenElsewhere(112, server.url, token, targetId, before, { id: pageId, text });
  });

  it('keeps the Local copy while the server refuses the changes, even after they are discarded', async () => {
    const server = await startTestServer();
    const proxy = await FaultProxy.start(server.url);
    const core = await openDevice(91);
    const token = server.createToken('ivan');
    const account = await addAccount(core, proxy.url, token);
    const { notebook, pageId } = await seedNotebook(core);
    const before = await outline(core, local, notebook.id);
    const text = (await storedDoc(core, local, pageId)).getXmlFragment('default').toString();
    const move = lastMove(core);

    proxy.mode = ProxyMode.failMutations;
    await call(core, 'notebook.moveToAccount', {
      accountId: local,
      notebookId: notebook.id,
      targetAccountId: account.id,
    });
    const uploading = await waitFor('the notebook on the server', () =>
      move()?.targetNotebookId ? move() : undefined,
    );
    const targetId = uploading.targetNotebookId ?? assert.fail('no target');
    server.setNotebookStatus(targetId, NotebookStatus.readonly);
    proxy.restore();
    await call(core, 'sync.now', { accountId: account.id });
    const refused = await waitFor('the refusals', async () => {
      const rows = await call(core, 'sync.outbox', { accountId: account.id });
      return rows.length > 0 && rows.every((r) => r.status === 'rejected') ? rows : undefined;
    });
    await waitFor('the move to report them', () => (move()?.error?.includes('refused') ? move() : undefined));

    // The person discards every refused change: the move must not take that as "all confirmed".
    for (const row of refused)
      await call(core, 'sync.discard', { accountId: account.id, mutationId: row.id });
    await waitFor('the move to send them again', async () => {
      const rows = await call(core, 'sync.outbox', { accountId: account.id });
      return rows.length >= refused.length && rows.every((r) => r.status === 'rejected');
    });
    assert.deepEqual(await outline(core, local, notebook.id), before, 'the Local copy is kept');
    assert.deepEqual((await call(core, 'notebook.moves', {})).length, 1);

    // The server takes changes again: retrying them finishes the move.
    server.setNotebookStatus(targetId, NotebookStatus.active);
    for (const row of await call(core, 'sync.outbox', { accountId: account.id }))
      await call(core, 'sync.retry', { accountId: account.id, mutationId: row.id });
    await waitFor('the move to finish', () => (move()?.phase === 'done' ? move() : undefined), 20_000);
    assert.ok(!(await call(core, 'notebook.list', { accountId: local })).some((n) => n.id === notebook.id));

    await seenElsewhere(92, server.url, token, targetId, before, { id: pageId, text });
  });

  it('refuses to move a server notebook or to the Local account', async () => {
    const server = await startTestServer();
    const core = await openDevice(31);
    const account = await addAccount(core, server.url, server.createToken('erin'));
    const [serverNotebook] = await call(core, 'notebook.list', { accountId: account.id });
    const [localNotebook] = await call(core, 'notebook.list', { accountId: local });
    const fromServer = await core.router.dispatch(
      'notebook.moveToAccount',
      { accountId: account.id, notebookId: serverNotebook!.id, targetAccountId: local },
      { senderId: 't' },
    );
    assert.equal(!fromServer.ok && fromServer.error.code, 'bad_request');
    const toLocal = await core.router.dispatch(
      'notebook.moveToAccount',
      { accountId: local, notebookId: localNotebook!.id, targetAccountId: local },
      { senderId: 't' },
    );
    assert.equal(!toLocal.ok && toLocal.error.code, 'bad_request');
    assert.deepEqual(await call(core, 'notebook.moves', {}), []);
  });
});

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Runs a core in a child process that starts moving `notebookId` and prints its progress; SIGKILLs it as soon as
 * it printed `killOn` (or when `killWhen` resolves). Answers the lines it printed.
 */
async function runAndKill(
  dataDir: string,
  notebookId: string,
  targetAccountId: string,
  killOn: string | null,
  killWhen?: Promise<void>,
) {
  const code = `
    import { AppCore } from ${JSON.stringify(`${ROOT}/src/main/core/app-core.ts`)};
    const core = await AppCore.open({ dataDir: ${JSON.stringify(dataDir)}, mode: 'browser',
      sync: ${JSON.stringify(FAST_SYNC)} });
    core.events.on((e) => { if (e.name === 'notebook.move') console.log('move ' + e.payload.phase); });
    const r = await core.router.dispatch('notebook.moveToAccount',
      { accountId: 'local', notebookId: ${JSON.stringify(notebookId)}, targetAccountId: ${JSON.stringify(targetAccountId)} },
      { senderId: 'kill' });
    console.log(r.ok ? 'started' : 'refused ' + r.error.message);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  void killWhen?.then(() => child.kill('SIGKILL'));
  await new Promise<void>((done, fail) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (line === killOn) child.kill('SIGKILL');
      }
    });
    child.once('exit', () => done());
    child.once('error', fail);
    setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
  });
  return lines;
}
