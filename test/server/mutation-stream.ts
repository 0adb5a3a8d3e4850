import * as Y from 'yjs';
import { createNodeState, readNodeAttributes, writeNodeAttributes } from '../../src/shared/crdt/node-doc';
import { toBase64 } from '../../src/shared/lib/base64';
import { IdPrefix, newId } from '../../src/shared/lib/ids';
import type { Mutation } from '../../src/shared/model/mutations';

const now = (): string => new Date().toISOString();

/**
 * A realistic mutation stream of `total` mutations (used by `npm run bench` and the crash test): node.create
 * of a section (unless `sectionId` names an existing one) and `total / 5` pages, then alternating node.update
 * renames and document.update keystrokes over those pages.
 */
export function mutationStream(
  userId: string,
  total: number,
  existingSectionId?: string,
): { sectionId: string; pageIds: string[]; mutations: Mutation[] } {
  const mutations: Mutation[] = [];
  const nodeMutation = (
    type: 'node.create' | 'node.update',
    nodeId: string,
    update: Uint8Array,
  ): Mutation => ({
    id: newId(IdPrefix.mutation),
    createdAt: now(),
    type,
    data: { nodeId, updateId: newId(IdPrefix.update), createdAt: now(), data: toBase64(update) },
  });
  const sectionId = existingSectionId ?? newId(IdPrefix.node);
  if (existingSectionId === undefined) {
    const section = createNodeState({
      type: 'section',
      parentId: null,
      index: 'a0',
      name: 'Bench',
      collaborators: { [userId]: 'admin' },
    });
    mutations.push(nodeMutation('node.create', sectionId, section.update));
  }
  const pageDocs = new Map<string, Y.Doc>();
  const pageIds: string[] = [];
  for (let i = 0; i < total / 5; i++) {
    const id = newId(IdPrefix.node);
    const { doc, update } = createNodeState({
      type: 'page',
      parentId: sectionId,
      index: `a${i}`,
      name: `Page ${i}`,
    });
    pageDocs.set(id, doc);
    pageIds.push(id);
    mutations.push(nodeMutation('node.create', id, update));
  }
  const documents = new Map<string, Y.Doc>();
  for (let i = 0; mutations.length < total; i++) {
    const id = pageIds[i % pageIds.length]!;
    if (i % 2 === 0) {
      const doc = pageDocs.get(id)!;
      const update = writeNodeAttributes(doc, { ...readNodeAttributes(doc), name: `Page ${i} renamed` });
      if (update) mutations.push(nodeMutation('node.update', id, update));
    } else {
      let doc = documents.get(id);
      const before = doc ? Y.encodeStateVector(doc) : new Uint8Array([0]);
      if (!doc) {
        doc = new Y.Doc();
        documents.set(id, doc);
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.insert(0, [new Y.XmlText('')]);
        doc.getXmlFragment('default').insert(0, [paragraph]);
      }
      ((doc.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'x');
      mutations.push({
        id: newId(IdPrefix.mutation),
        createdAt: now(),
        type: 'document.update',
        data: {
          documentId: id,
          updateId: newId(IdPrefix.update),
          createdAt: now(),
          data: toBase64(Y.encodeStateAsUpdate(doc, before)),
        },
      });
    }
  }
  return { sectionId, pageIds, mutations };
}
