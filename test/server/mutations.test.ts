import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { writeDocument, DOCUMENT_FRAGMENT } from '../../src/shared/crdt/document';
import { createNodeState, writeNodeAttributes } from '../../src/shared/crdt/node-doc';
import { toBase64 } from '../../src/shared/lib/base64';
import type { Mutation } from '../../src/shared/model/mutations';
import { NodeOutput, NodeList } from '../../src/shared/api/nodes';
import { DocumentOutput } from '../../src/shared/api/documents';
import { envelope, useServer, type Client } from './helpers';

const now = () => new Date().toISOString();
let counter = 0;
const uid = (prefix: string) => `${prefix}_${Date.now().toString(36)}${(counter++).toString(36)}`;

function nodeCreate(nodeId: string, attributes: Record<string, unknown>): Mutation {
  return {
    id: uid('mu'),
    createdAt: now(),
    type: 'node.create',
    data: {
      nodeId,
      updateId: uid('up'),
      createdAt: now(),
      data: toBase64(createNodeState(attributes).update),
    },
  };
}

interface Results {
  results: { id: string; status: number }[];
}

describe('mutations', () => {
  const { client } = useServer();

  async function setup() {
    const alice = client();
    const { notebookId } = await alice.me();
    const sync = (mutations: unknown[]) =>
      alice.post<Results>(`/notebooks/${notebookId}/mutations`, { mutations });
    return { alice, notebookId, sync };
  }

  it('applies node.create / node.update / document.update / node.delete and answers per mutation', async () => {
    const { alice, notebookId, sync } = await setup();
    const sectionId = uid('nd');
    const pageId = uid('nd');
    const pageState = createNodeState({ type: 'page', parentId: sectionId, index: 'a0', name: 'Draft' });
    const rename = writeNodeAttributes(pageState.doc, {
      type: 'page',
      parentId: sectionId,
      index: 'a0',
      name: 'Final',
    });
    const docState = new Y.Doc();
    const docUpdate = writeDocument(docState, {
      type: 'doc',
      content: [{ type: 'paragraph', attrs: { id: 'bl_1' }, content: [{ type: 'text', text: 'hello' }] }],
    });
    const batch: Mutation[] = [
      nodeCreate(sectionId, { type: 'section', parentId: null, index: 'a0', name: 'S' }),
      {
        id: uid('mu'),
        createdAt: now(),
        type: 'node.create',
        data: { nodeId: pageId, updateId: uid('up'), createdAt: now(), data: toBase64(pageState.update) },
      },
      {
        id: uid('mu'),
        createdAt: now(),
        type: 'node.update',
        data: {
          nodeId: pageId,
          updateId: uid('up'),
          createdAt: now(),
          data: toBase64(rename ?? new Uint8Array()),
        },
      },
      {
        id: uid('mu'),
        createdAt: now(),
        type: 'document.update',
        data: { documentId: pageId, updateId: uid('up'), createdAt: now(), data: toBase64(docUpdate) },
      },
      {
        id: uid('mu'),
        createdAt: now(),
        type: 'node.reaction.create',
        data: { nodeId: pageId, reaction: '👍', rootId: sectionId, createdAt: now() },
      },
      {
        id: uid('mu'),
        createdAt: now(),
        type: 'node.interaction.seen',
        data: { nodeId: pageId, collaboratorId: 'spoofed', seenAt: now() },
      },
      {
        id: uid('mu'),
        createdAt: now(),
        type: 'node.interaction.opened',
        data: { nodeId: pageId, collaboratorId: 'spoofed', openedAt: now() },
      },
    ];
    const response = await sync(batch);
    assert.equal(response.status, 200);
    assert.deepEqual(
      response.body.results,
      batch.map((m, i) => ({ id: m.id, status: i < 2 ? 201 : 200 })),
    );
    const page = NodeOutput.parse((await alice.get(`/notebooks/${notebookId}/nodes/${pageId}`)).body);
    assert.equal(page.name, 'Final');
    assert.equal(page.rootId, sectionId);
    const doc = DocumentOutput.parse(
      (await alice.get(`/notebooks/${notebookId}/nodes/${pageId}/document`)).body,
    );
    assert.deepEqual(doc.content.content, [
      { type: 'paragraph', attrs: { id: 'bl_1' }, content: [{ type: 'text', text: 'hello' }] },
    ]);
    const reactions = await alice.get<{ reactions: { reaction: string }[] }>(
      `/notebooks/${notebookId}/nodes/${pageId}/reactions`,
    );
    assert.deepEqual(
      reactions.body.reactions.map((r) => r.reaction),
      ['👍'],
    );

    const deleted = await sync([
      {
        id: uid('mu'),
        createdAt: now(),
        type: 'node.delete',
        data: { nodeId: pageId, rootId: sectionId, deletedAt: now() },
      },
      {
        id: uid('mu'),
        createdAt: now(),
        type: 'node.delete',
        data: { nodeId: pageId, rootId: sectionId, deletedAt: now() },
      },
    ]);
    assert.deepEqual(
      deleted.body.results.map((r) => r.status),
      [200, 200],
      'deleting twice is fine',
    );
    assert.equal((await alice.get(`/notebooks/${notebookId}/nodes/${pageId}`)).status, 404);
  });

  it('is idempotent by mutation id and by updateId', async () => {
    const { alice, notebookId, sync } = await setup();
    const sectionId = uid('nd');
    const state = createNodeState({ type: 'section', parentId: null, index: 'a0', name: 'S' });
    const create: Mutation = {
      id: uid('mu'),
      createdAt: now(),
      type: 'node.create',
      data: { nodeId: sectionId, updateId: uid('up'), createdAt: now(), data: toBase64(state.update) },
    };
    assert.equal((await sync([create])).body.results[0]?.status, 201);
    const replay = await sync([create, create]);
    assert.deepEqual(
      replay.body.results.map((r) => r.status),
      [201, 201],
      'a replayed id answers its first status',
    );
    const sameNodeNewId = await sync([{ ...create, id: uid('mu') }]);
    assert.equal(sameNodeNewId.body.results[0]?.status, 200, 'creating an existing node is a no-op');
    const rename = writeNodeAttributes(state.doc, {
      type: 'section',
      parentId: null,
      index: 'a0',
      name: 'Renamed',
    });
    const update: Mutation = {
      id: uid('mu'),
      createdAt: now(),
      type: 'node.update',
      data: {
        nodeId: sectionId,
        updateId: uid('up'),
        createdAt: now(),
        data: toBase64(rename ?? new Uint8Array()),
      },
    };
    assert.equal((await sync([update])).body.results[0]?.status, 200);
    const before = NodeOutput.parse((await alice.get(`/notebooks/${notebookId}/nodes/${sectionId}`)).body);
    const sameUpdateNewId = await sync([{ ...update, id: uid('mu') }]);
    assert.equal(sameUpdateNewId.body.results[0]?.status, 200);
    const after = NodeOutput.parse((await alice.get(`/notebooks/${notebookId}/nodes/${sectionId}`)).body);
    assert.equal(after.revision, before.revision, 'a known updateId is not applied again');
    assert.equal(after.name, 'Renamed');
  });

  it('remembers each success of a batch once, refusals not at all', async () => {
    const { sync } = await setup();
    const sectionId = uid('nd');
    const pageId = uid('nd');
    const section = nodeCreate(sectionId, { type: 'section', parentId: null, index: 'a0', name: 'S' });
    // Refused first (its parent is unknown), applied once the parent arrives later in the same batch.
    const page = nodeCreate(pageId, { type: 'page', parentId: sectionId, index: 'a0', name: 'P' });
    const first = await sync([page, section, section, page]);
    assert.deepEqual(
      first.body.results.map((r) => r.status),
      [400, 201, 201, 201],
    );
    const again = await sync([page, section]);
    assert.deepEqual(
      again.body.results.map((r) => r.status),
      [201, 201],
      'both ids answer their first success',
    );
  });

  it('answers 400/404/405 per mutation without affecting the others', async () => {
    const { sync } = await setup();
    const other = client();
    const sectionId = uid('nd');
    const good = nodeCreate(sectionId, { type: 'section', parentId: null, index: 'a0', name: 'S' });
    const response = await sync([
      { id: 'm-unknown', createdAt: now(), type: 'node.explode', data: {} },
      {
        id: 'm-bad-data',
        createdAt: now(),
        type: 'node.create',
        data: { nodeId: 'x', updateId: 'y', createdAt: now(), data: '!!!' },
      },
      {
        id: 'm-not-yjs',
        createdAt: now(),
        type: 'node.create',
        data: { nodeId: uid('nd'), updateId: uid('up'), createdAt: now(), data: 'AAAAAAAA' },
      },
      nodeCreate(uid('nd'), { type: 'page', parentId: 'nd_missing', index: 'a0', name: 'orphan' }),
      good,
      {
        id: 'm-missing',
        createdAt: now(),
        type: 'node.update',
        data: {
          nodeId: 'nd_nope',
          updateId: uid('up'),
          createdAt: now(),
          data: toBase64(createNodeState({ name: 'x' }).update),
        },
      },
    ]);
    assert.deepEqual(
      response.body.results.map((r) => r.status),
      [405, 400, 400, 400, 201, 404],
    );
    const { notebookId: foreign } = await other.me();
    const empty = await sync([]);
    assert.equal(empty.status, 400, 'an empty batch is invalid');
    const tooMany = await sync(Array.from({ length: 501 }, () => good));
    assert.equal(tooMany.status, 400);
    assert.equal(envelope(tooMany.body).code, 'bad_request');
    const intoForeign = await other.post<Results>(`/notebooks/${foreign}/mutations`, {
      mutations: [
        {
          id: uid('mu'),
          createdAt: now(),
          type: 'node.reaction.create',
          data: { nodeId: sectionId, reaction: 'x', rootId: sectionId, createdAt: now() },
        },
      ],
    });
    assert.equal(intoForeign.body.results[0]?.status, 404, 'a node of another notebook is unknown here');
  });

  it('refuses (409) a create or a move under a parent deleted meanwhile; a section purge takes all of its root', async () => {
    const { alice, notebookId, sync } = await setup();
    const sectionId = uid('nd');
    const pId = uid('nd');
    const xId = uid('nd');
    const x = createNodeState({ type: 'page', parentId: sectionId, index: 'a2', name: 'X' });
    const created = await sync([
      nodeCreate(sectionId, { type: 'section', parentId: null, index: 'a0', name: 'S' }),
      nodeCreate(pId, { type: 'page', parentId: sectionId, index: 'a1', name: 'P' }),
      {
        id: uid('mu'),
        createdAt: now(),
        type: 'node.create',
        data: { nodeId: xId, updateId: uid('up'), createdAt: now(), data: toBase64(x.update) },
      },
      {
        id: uid('mu'),
        createdAt: now(),
        type: 'node.delete',
        data: { nodeId: pId, rootId: sectionId, deletedAt: now() },
      },
    ]);
    assert.deepEqual(
      created.body.results.map((r) => r.status),
      [201, 201, 201, 200],
    );
    const move = writeNodeAttributes(x.doc, { type: 'page', parentId: pId, index: 'a0', name: 'X' });
    const refused = await sync([
      nodeCreate(uid('nd'), { type: 'page', parentId: pId, index: 'a0', name: 'Y' }),
      {
        id: uid('mu'),
        createdAt: now(),
        type: 'node.update',
        data: {
          nodeId: xId,
          updateId: uid('up'),
          createdAt: now(),
          data: toBase64(move ?? new Uint8Array()),
        },
      },
    ]);
    assert.deepEqual(
      refused.body.results.map((r) => r.status),
      [409, 409],
    );
    const rest = await alice.post<unknown>(`/notebooks/${notebookId}/nodes`, {
      type: 'page',
      parentId: pId,
      attributes: { name: 'Z' },
    });
    assert.equal(rest.status, 409);
    assert.equal(envelope(rest.body).code, 'conflict');
    const purged = await sync([
      {
        id: uid('mu'),
        createdAt: now(),
        type: 'node.delete',
        data: { nodeId: sectionId, rootId: sectionId, deletedAt: now() },
      },
    ]);
    assert.equal(purged.body.results[0]?.status, 200);
    const left = await alice.get<{ nodes: unknown[] }>(`/notebooks/${notebookId}/nodes?rootId=${sectionId}`);
    assert.deepEqual(left.body.nodes, []);
  });

  it('a refused update in the middle of a batch leaves no trace; the next update of the same object applies', async () => {
    const { alice, notebookId, sync } = await setup();
    const sectionId = uid('nd');
    const pageId = uid('nd');
    const page = createNodeState({ type: 'page', parentId: sectionId, index: 'a0', name: 'One' });
    const nodeUpdate = (update: Uint8Array): Mutation => ({
      id: uid('mu'),
      createdAt: now(),
      type: 'node.update',
      data: { nodeId: pageId, updateId: uid('up'), createdAt: now(), data: toBase64(update) },
    });
    const documentUpdate = (update: Uint8Array): Mutation => ({
      id: uid('mu'),
      createdAt: now(),
      type: 'document.update',
      data: { documentId: pageId, updateId: uid('up'), createdAt: now(), data: toBase64(update) },
    });
    // Document edits: a valid paragraph, then (from another replica) an element outside the editor schema,
    // then a valid edit built on the first one only.
    const editor = new Y.Doc();
    const first = writeDocument(editor, {
      type: 'doc',
      content: [{ type: 'paragraph', attrs: { id: 'bl_a' }, content: [{ type: 'text', text: 'kept' }] }],
    });
    const rogue = new Y.Doc();
    Y.applyUpdate(rogue, first);
    const rogueBefore = Y.encodeStateVector(rogue);
    rogue.getXmlFragment(DOCUMENT_FRAGMENT).insert(1, [new Y.XmlElement('bogusBlock')]);
    const invalid = Y.encodeStateAsUpdate(rogue, rogueBefore);
    const editorBefore = Y.encodeStateVector(editor);
    const text = (editor.getXmlFragment(DOCUMENT_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(4, ' too');
    const third = Y.encodeStateAsUpdate(editor, editorBefore);
    // Node edits: a rename, a type change (refused), another rename built on the first.
    const attributes = (name: string, type = 'page') => ({ type, parentId: sectionId, index: 'a0', name });
    const renamed = writeNodeAttributes(page.doc, attributes('Two'));
    const typeChanger = new Y.Doc();
    Y.applyUpdate(typeChanger, Y.encodeStateAsUpdate(page.doc));
    const badType = writeNodeAttributes(typeChanger, attributes('Bad', 'database'));
    const renamedAgain = writeNodeAttributes(page.doc, attributes('Three'));
    assert.ok(renamed && badType && renamedAgain);
    const response = await sync([
      nodeCreate(sectionId, { type: 'section', parentId: null, index: 'a0', name: 'S' }),
      {
        ...nodeCreate(pageId, {}),
        data: { nodeId: pageId, updateId: uid('up'), createdAt: now(), data: toBase64(page.update) },
      },
      nodeUpdate(renamed),
      nodeUpdate(badType),
      nodeUpdate(renamedAgain),
      documentUpdate(first),
      documentUpdate(invalid),
      documentUpdate(third),
    ]);
    assert.deepEqual(
      response.body.results.map((r) => r.status),
      [201, 201, 200, 400, 200, 200, 400, 200],
    );
    const node = NodeOutput.parse((await alice.get(`/notebooks/${notebookId}/nodes/${pageId}`)).body);
    assert.equal(node.type, 'page');
    assert.equal(node.name, 'Three');
    const doc = DocumentOutput.parse(
      (await alice.get(`/notebooks/${notebookId}/nodes/${pageId}/document`)).body,
    );
    assert.deepEqual(doc.content.content, [
      { type: 'paragraph', attrs: { id: 'bl_a' }, content: [{ type: 'text', text: 'kept too' }] },
    ]);
  });

  it('replaying a random stream twice and re-split into other batches yields the same state', async () => {
    const runs = [
      { seed: 7, split: [13] },
      { seed: 7, split: [3, 50, 17] },
      { seed: 7, split: [500], twice: true },
    ];
    const hashes: string[] = [];
    for (const run of runs) {
      const user = client();
      const { notebookId } = await user.me();
      const stream = randomStream(run.seed, `r${hashes.length}`, 600);
      const rounds = run.twice ? 2 : 1;
      for (let round = 0; round < rounds; round++) {
        for (let i = 0, s = 0; i < stream.length; s++) {
          const size = run.split[s % run.split.length] ?? 1;
          const response = await user.post<Results>(`/notebooks/${notebookId}/mutations`, {
            mutations: stream.slice(i, i + size),
          });
          assert.equal(response.status, 200);
          assert.ok(response.body.results.every((r) => r.status < 500));
          i += size;
        }
      }
      hashes.push(await stateHash(user, notebookId, `r${hashes.length}`));
    }
    assert.equal(hashes[1], hashes[0]);
    assert.equal(hashes[2], hashes[0]);
  });
});

/** A deterministic stream (ids prefixed per run) of creates, renames, text edits, reactions and deletes. */
function randomStream(seed: number, prefix: string, count: number): Mutation[] {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
  const at = (i: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
  const nodeDocs = new Map<string, { doc: Y.Doc; attributes: Record<string, unknown> }>();
  const docs = new Map<string, Y.Doc>();
  const pages: string[] = [];
  const out: Mutation[] = [];
  const sectionId = `${prefix}s`;
  let clientId = seed * 1000;
  const newDoc = () => {
    const doc = new Y.Doc();
    doc.clientID = ++clientId;
    return doc;
  };
  const push = (type: Mutation['type'], data: Record<string, unknown>) =>
    out.push({ id: `${prefix}m${out.length}`, createdAt: at(out.length), type, data } as Mutation);
  const sectionDoc = newDoc();
  const sectionAttrs = { type: 'section', parentId: null, index: 'a0', name: 'Root' };
  push('node.create', {
    nodeId: sectionId,
    updateId: `${prefix}u${out.length}`,
    createdAt: at(0),
    data: toBase64(writeNodeAttributes(sectionDoc, sectionAttrs) ?? new Uint8Array()),
  });
  while (out.length < count) {
    const roll = random();
    const page = pick(pages);
    const i = out.length;
    if (roll < 0.2 || page === undefined) {
      const id = `${prefix}p${i}`;
      const doc = newDoc();
      const attributes = {
        type: 'page',
        parentId: pick([sectionId, ...pages]) ?? sectionId,
        index: `a${i}`,
        name: `page ${i}`,
      };
      push('node.create', {
        nodeId: id,
        updateId: `${prefix}u${i}`,
        createdAt: at(i),
        data: toBase64(writeNodeAttributes(doc, attributes) ?? new Uint8Array()),
      });
      nodeDocs.set(id, { doc, attributes });
      pages.push(id);
    } else if (roll < 0.4) {
      const node = nodeDocs.get(page);
      if (!node) continue;
      node.attributes = { ...node.attributes, name: `renamed ${i}` };
      push('node.update', {
        nodeId: page,
        updateId: `${prefix}u${i}`,
        createdAt: at(i),
        data: toBase64(writeNodeAttributes(node.doc, node.attributes) ?? new Uint8Array()),
      });
    } else if (roll < 0.75) {
      let doc = docs.get(page);
      let update: Uint8Array;
      if (!doc) {
        doc = newDoc();
        docs.set(page, doc);
        update = writeDocument(doc, {
          type: 'doc',
          content: [
            {
              type: 'paragraph',
              attrs: { id: `${prefix}b${i}` },
              content: [{ type: 'text', text: 'start' }],
            },
          ],
        });
      } else {
        const before = Y.encodeStateVector(doc);
        const paragraph = doc.getXmlFragment(DOCUMENT_FRAGMENT).get(0) as Y.XmlElement;
        const text = paragraph.get(0) as Y.XmlText;
        text.insert(Math.floor(random() * (text.length + 1)), `w${i} `);
        update = Y.encodeStateAsUpdate(doc, before);
      }
      push('document.update', {
        documentId: page,
        updateId: `${prefix}u${i}`,
        createdAt: at(i),
        data: toBase64(update),
      });
    } else if (roll < 0.88) {
      const type = random() < 0.7 ? 'node.reaction.create' : 'node.reaction.delete';
      const when = type === 'node.reaction.create' ? { createdAt: at(i) } : { deletedAt: at(i) };
      push(type, { nodeId: page, reaction: pick(['👍', '🎉', '🚀']) ?? '👍', rootId: sectionId, ...when });
    } else if (roll < 0.96) {
      push('node.interaction.seen', { nodeId: page, collaboratorId: 'ignored', seenAt: at(i) });
    } else {
      push('node.delete', { nodeId: page, rootId: sectionId, deletedAt: at(i) });
    }
  }
  return out;
}

/** Everything visible through REST, with run-specific id prefixes and revisions removed. */
async function stateHash(user: Client, notebookId: string, prefix: string): Promise<string> {
  const nodes = NodeList.parse((await user.get(`/notebooks/${notebookId}/nodes?limit=500`)).body).nodes;
  const parts: unknown[] = [];
  for (const node of nodes.sort((a, b) => a.id.localeCompare(b.id))) {
    const document = await user.get(`/notebooks/${notebookId}/nodes/${node.id}/document`);
    const reactions = await user.get<{ reactions: { reaction: string; createdAt: string }[] }>(
      `/notebooks/${notebookId}/nodes/${node.id}/reactions`,
    );
    const { revision: _revision, createdBy: _createdBy, updatedBy: _updatedBy, ...stable } = node;
    parts.push(
      stable,
      document.status === 200 ? DocumentOutput.parse(document.body).content : null,
      reactions.body.reactions.map((r) => [r.reaction, r.createdAt]),
    );
  }
  assert.ok(parts.length > 30, 'the stream built a non-trivial tree');
  const text = JSON.stringify(parts).replaceAll(prefix, 'P');
  return createHash('sha256').update(text).digest('hex');
}
