import * as Y from 'yjs';

/**
 * Why empty documents get a deterministic first paragraph:
 * the editor cannot show a document with no blocks, so TipTap adds an empty paragraph and gives it a block
 * id; y-prosemirror then writes that paragraph into the Y.XmlFragment. Two windows or two devices opening
 * the same empty page each write their own paragraph (different Yjs client, different block id), and the
 * merge shows two. Instead, whoever opens an empty document first writes *this* paragraph: made by a fixed
 * Yjs client with a block id derived from the document id, it is byte-identical on every device, so Yjs
 * merges all copies into one struct, and the editor, finding a block with an id, writes nothing.
 */
export const FIRST_BLOCK_CLIENT_ID = 0;

const FRAGMENT = 'default';
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** FNV-1a, 32 bits: a stable digest without crypto (shared code runs in main, renderer and server). */
function fnv1a(text: string, seed: number): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function base32(value: number, length: number): string {
  let out = '';
  let rest = value >>> 0;
  for (let i = 0; i < length; i++) {
    out += ALPHABET.charAt(rest & 31);
    rest >>>= 5;
  }
  return out;
}

/** The first paragraph's block id: the same for one document everywhere, `bl_` like every block id. */
export function firstBlockId(documentId: string): string {
  return `bl_${base32(fnv1a(documentId, 0x811c9dc5), 7)}${base32(fnv1a(documentId, 0x01234567), 7)}`;
}

/** The Yjs update that gives `documentId` its first paragraph; identical bytes on every call and device. */
export function firstBlockUpdate(documentId: string): Uint8Array {
  const doc = new Y.Doc({ guid: 'first-block' });
  doc.clientID = FIRST_BLOCK_CLIENT_ID;
  const paragraph = new Y.XmlElement('paragraph');
  doc.getXmlFragment(FRAGMENT).insert(0, [paragraph]);
  paragraph.setAttribute('id', firstBlockId(documentId));
  return Y.encodeStateAsUpdate(doc);
}

/**
 * The update to apply to `doc` so it has its first paragraph, or null when it needs none: it has blocks,
 * or its first paragraph existed once and was deleted (applying it again would change nothing).
 */
export function missingFirstBlock(doc: Y.Doc, documentId: string): Uint8Array | null {
  if (doc.getXmlFragment(FRAGMENT).length > 0) return null;
  if (doc.store.clients.has(FIRST_BLOCK_CLIENT_ID)) return null;
  return firstBlockUpdate(documentId);
}
