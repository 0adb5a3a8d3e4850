import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as Y from 'yjs';
import { DocumentSession } from '../../src/renderer/features/editor/document-session';
import { firstBlockId, firstBlockUpdate } from '../../src/shared/crdt/first-block';
import type { Api } from '../../src/shared/contract/transport';
import type { Result } from '../../src/shared/lib/result';

interface Call {
  name: string;
  input: Record<string, unknown>;
  answer(result: Result<unknown>): void;
}

/** An Api whose answers the test gives by hand, so "in flight" is a state we can look at. */
function fakeApi() {
  const calls: Call[] = [];
  const listeners = new Map<string, (payload: unknown) => void>();
  const api = {
    invoke: (name: string, input: Record<string, unknown>) =>
      new Promise((answer) => calls.push({ name, input, answer })),
    subscribe: (event: string, listener: (payload: unknown) => void) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    },
  } as unknown as Api;
  return { api, calls, emit: (event: string, payload: unknown) => listeners.get(event)?.(payload) };
}

const tick = () => new Promise((done) => setImmediate(done));
const ok = (savedAt: string): Result<unknown> => ({ ok: true, value: { documentId: 'd', savedAt } });
const down: Result<unknown> = {
  ok: false,
  error: { code: 'unavailable', message: 'core is down', details: [] },
};

/** Appends text to the first paragraph, creating it first (then it is two local transactions). */
function type(session: DocumentSession, text: string): void {
  const fragment = session.doc.getXmlFragment('default');
  if (fragment.length === 0) fragment.insert(0, [new Y.XmlElement('paragraph')]);
  const paragraph = fragment.get(0) as Y.XmlElement;
  paragraph.insert(paragraph.length, [new Y.XmlText(text)]);
}

describe('DocumentSession (renderer save semantics)', () => {
  test('saving while the core has not answered, saved once it acknowledged every update', async () => {
    const { api, calls } = fakeApi();
    const session = new DocumentSession(api, 'local', 'd', Y.encodeStateAsUpdate(new Y.Doc()));
    assert.equal(session.saveState().kind, 'saved');
    type(session, 'hello');
    assert.equal(calls.length, 2, 'one update per local transaction');
    assert.ok(calls.every((c) => c.name === 'document.update' && c.input.documentId === 'd'));
    assert.equal(session.saveState().kind, 'saving');
    calls[0]!.answer(ok('t1'));
    await tick();
    assert.equal(session.saveState().kind, 'saving', 'one still in flight');
    calls[1]!.answer(ok('t2'));
    await tick();
    assert.deepEqual(session.saveState(), { kind: 'saved', savedAt: 't2' });
  });

  test('a rejected update is reported and kept; retry sends it again and then it is saved', async () => {
    const { api, calls } = fakeApi();
    const session = new DocumentSession(api, 'local', 'd', Y.encodeStateAsUpdate(new Y.Doc()));
    type(session, 'x');
    for (const call of calls) call.answer(down);
    await tick();
    assert.deepEqual(session.saveState(), { kind: 'error', message: 'core is down' });
    session.retry();
    const resent = calls.at(-1)!;
    assert.equal(calls.length, 3, 'the kept updates go again as one merged update');
    const replica = new Y.Doc();
    Y.applyUpdate(replica, resent.input.update as Uint8Array);
    assert.equal(
      replica.getXmlFragment('default').toString(),
      session.doc.getXmlFragment('default').toString(),
    );
    resent.answer(ok('t3'));
    await tick();
    assert.deepEqual(session.saveState(), { kind: 'saved', savedAt: 't3' });
  });

  test('updates from the core are merged without being sent back', () => {
    const { api, calls, emit } = fakeApi();
    const session = new DocumentSession(api, 'local', 'd', Y.encodeStateAsUpdate(new Y.Doc()));
    const other = new Y.Doc();
    other.getXmlFragment('default').insert(0, [new Y.XmlElement('paragraph')]);
    emit('document.updated', {
      accountId: 'local',
      documentId: 'other',
      update: Y.encodeStateAsUpdate(other),
      origin: 'x',
    });
    assert.equal(session.doc.getXmlFragment('default').length, 0, 'another document is ignored');
    emit('document.updated', {
      accountId: 'local',
      documentId: 'd',
      update: Y.encodeStateAsUpdate(other),
      origin: 'x',
    });
    assert.equal(session.doc.getXmlFragment('default').length, 1);
    assert.equal(calls.length, 0, 'nothing echoed back to the core');
  });
});

describe('the first paragraph of an empty document', () => {
  const blocks = (doc: Y.Doc): string[] =>
    doc
      .getXmlFragment('default')
      .toArray()
      .map(
        (block) =>
          `${(block as Y.XmlElement).nodeName}#${String((block as Y.XmlElement).getAttribute('id'))}`,
      );

  test('two editors opening the same empty page write byte-identical paragraphs that merge into one', () => {
    const [a, b] = [fakeApi(), fakeApi()];
    const empty = Y.encodeStateAsUpdate(new Y.Doc());
    const first = new DocumentSession(a.api, 'local', 'nd_page', empty);
    const second = new DocumentSession(b.api, 'local', 'nd_page', empty);
    first.ensureFirstBlock();
    second.ensureFirstBlock();
    const [sentA, sentB] = [a.calls[0]!.input.update, b.calls[0]!.input.update];
    assert.deepEqual(sentA, sentB, 'the same bytes from both, saved like an edit');
    assert.deepEqual(sentA, firstBlockUpdate('nd_page'));
    const merged = new Y.Doc();
    Y.applyUpdate(merged, sentA as Uint8Array);
    Y.applyUpdate(merged, sentB as Uint8Array);
    assert.deepEqual(blocks(merged), [`paragraph#${firstBlockId('nd_page')}`]);
    assert.notEqual(firstBlockId('nd_page'), firstBlockId('nd_other'));
  });

  test('a viewer is shown the first paragraph without sending it; raised to editor, it is sent before any edit', () => {
    const { api, calls } = fakeApi();
    const session = new DocumentSession(api, 'local', 'nd_page', Y.encodeStateAsUpdate(new Y.Doc()));
    session.ensureFirstBlock(false);
    session.ensureFirstBlock(false);
    assert.deepEqual(blocks(session.doc), [`paragraph#${firstBlockId('nd_page')}`]);
    assert.equal(calls.length, 0, 'nothing sent for a role that may not edit');
    session.ensureFirstBlock(true);
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]!.input.update, firstBlockUpdate('nd_page'));
    session.ensureFirstBlock(true);
    assert.equal(calls.length, 1, 'sent once');
  });

  test('nothing is written for a page with content, again, or after the user deleted that paragraph', () => {
    const { api, calls } = fakeApi();
    const session = new DocumentSession(api, 'local', 'nd_page', Y.encodeStateAsUpdate(new Y.Doc()));
    session.ensureFirstBlock();
    session.ensureFirstBlock();
    assert.equal(calls.length, 1);
    session.doc.getXmlFragment('default').delete(0, 1);
    assert.equal(calls.length, 2);
    session.ensureFirstBlock();
    assert.equal(calls.length, 2, 'a deleted first paragraph is not brought back');
    assert.deepEqual(blocks(session.doc), []);

    const full = new Y.Doc();
    full.getXmlFragment('default').insert(0, [new Y.XmlElement('heading')]);
    const other = fakeApi();
    new DocumentSession(other.api, 'local', 'nd_x', Y.encodeStateAsUpdate(full)).ensureFirstBlock();
    assert.equal(other.calls.length, 0);
  });
});
