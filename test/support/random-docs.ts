import { Fragment, type Node as PmNode } from '@tiptap/pm/model';
import { editorSchema } from '../../src/shared/editor/extensions';

export const schema = editorSchema();
export type Json = Record<string, unknown>;

/** A random top-level block: paragraphs (some empty, some bold), headings, lists, quotes, rules, code. */
export function block(random: () => number, n: number): Json {
  const text = (): Json[] => {
    const words = Math.floor(random() * 4);
    if (words === 0) return [];
    const t = { type: 'text', text: `w${n} `.repeat(words).trim() };
    return random() < 0.3 ? [t, { type: 'text', text: ' b', marks: [{ type: 'bold' }] }] : [t];
  };
  const paragraph = (): Json => ({ type: 'paragraph', content: text() });
  const kind = random();
  if (kind < 0.45) return paragraph();
  if (kind < 0.55) return { type: 'heading', attrs: { level: 2 }, content: text() };
  if (kind < 0.7)
    return {
      type: 'bulletList',
      content: Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
        type: 'listItem',
        content: random() < 0.3 ? [paragraph(), block(random, n + 1)] : [paragraph()],
      })),
    };
  if (kind < 0.8) return { type: 'blockquote', content: [paragraph(), paragraph()] };
  if (kind < 0.88) return { type: 'horizontalRule' };
  return { type: 'codeBlock', content: text() };
}

/** A document of `blocks` random top-level blocks. */
export function randomDoc(random: () => number, blocks: number): PmNode {
  return schema.nodeFromJSON({
    type: 'doc',
    content: Array.from({ length: blocks }, (_, i) => block(random, i)),
  });
}

/** `node` with a character typed into one of its text blocks (a new object; its other children kept). */
export function typed(random: () => number, node: PmNode): PmNode {
  if (node.isTextblock)
    return node.type.create(node.attrs, node.content.append(Fragment.from(schema.text('x'))));
  if (node.childCount === 0) return node;
  const i = Math.floor(random() * node.childCount);
  return node.copy(node.content.replaceChild(i, typed(random, node.child(i))));
}

/**
 * The next version of a document as an editor's transactions make it: 1-3 changes (typing, Enter, joining,
 * deleting, pasting blocks, moving a block, changing a heading's level), every untouched block kept as the
 * same node object, as ProseMirror does.
 */
export function transacted(random: () => number, doc: PmNode, round: number): PmNode {
  const children: PmNode[] = [];
  doc.forEach((child) => children.push(child));
  const changes = 1 + Math.floor(random() * 3);
  for (let c = 0; c < changes; c++) {
    const i = Math.floor(random() * children.length);
    const node = children[i]!;
    const roll = random();
    if (roll < 0.3) children[i] = typed(random, node);
    else if (roll < 0.45 && node.type.name === 'paragraph') {
      const cut = Math.floor(random() * (node.content.size + 1));
      children.splice(
        i,
        1,
        node.type.create(node.attrs, node.content.cut(0, cut)),
        node.type.create(null, node.content.cut(cut)),
      );
    } else if (roll < 0.55 && node.isTextblock && children[i + 1]?.isTextblock) {
      children.splice(i, 2, node.type.create(node.attrs, node.content.append(children[i + 1]!.content)));
    } else if (roll < 0.65) children.splice(i, 1 + Math.floor(random() * 3));
    else if (roll < 0.8) {
      const count = 1 + Math.floor(random() * 3);
      const pasted = Array.from({ length: count }, (_, k) =>
        schema.nodeFromJSON(block(random, 1000 * round + k)),
      );
      children.splice(i, 0, ...pasted);
    } else if (roll < 0.85) {
      const [moved] = children.splice(i, 1);
      children.splice(Math.floor(random() * (children.length + 1)), 0, moved!);
    } else if (roll < 0.9 && node.type.name === 'heading')
      children[i] = node.type.create({ ...node.attrs, level: node.attrs.level === 2 ? 3 : 2 }, node.content);
    if (children.length === 0) children.push(schema.nodeFromJSON({ type: 'paragraph' }));
  }
  return doc.copy(Fragment.from(children));
}
