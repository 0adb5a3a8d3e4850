import { diffArrays, diffChars } from 'diff';
import type { Node as PmNode } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { editorSchema } from '../editor/extensions';
import { DOCUMENT_FRAGMENT, type TiptapDoc } from './document';

/**
 * Makes a Yjs document's content equal to `target` with the fewest edits it can find, instead of replacing it:
 * blocks are matched by their id (then, among the rest, by type and position), only the text that differs is
 * deleted or inserted, only the attributes and marks that differ are set. So a restore is an ordinary edit:
 * whatever someone else types concurrently into a block the restore keeps (or into text it keeps) survives the
 * merge, and an UndoManager tracking `origin` undoes it in one step.
 *
 * The Yjs shapes are y-prosemirror's (what the editor binds to): an element per node with its non-null attrs,
 * consecutive text nodes as one Y.XmlText whose formatting attributes are the marks (`{bold: {}}`).
 */
export function applyDocumentAsEdits(ydoc: Y.Doc, target: TiptapDoc, origin: unknown = null): void {
  const node = editorSchema().nodeFromJSON(target);
  const fragment = ydoc.getXmlFragment(DOCUMENT_FRAGMENT);
  ydoc.transact(() => syncChildren(fragment, inlineGroups(node)), origin);
}

type Target = PmNode | PmNode[];
type YChild = Y.XmlElement | Y.XmlText;

/** A node's children as y-prosemirror groups them: runs of text nodes together, other nodes alone. */
function inlineGroups(node: PmNode): Target[] {
  const out: Target[] = [];
  node.forEach((child) => {
    const last = out.at(-1);
    if (child.isText && Array.isArray(last)) last.push(child);
    else out.push(child.isText ? [child] : child);
  });
  return out;
}

const TEXT_KEY = '#text';

/** Blocks with an id match by type and id; text runs by position; id-less nodes by type and exact content. */
function strongKey(value: YChild | Target): string {
  if (Array.isArray(value) || value instanceof Y.XmlText) return TEXT_KEY;
  if (value instanceof Y.XmlElement) {
    const id = value.getAttribute('id');
    return typeof id === 'string' ? `${value.nodeName}#${id}` : `${value.nodeName}=${value.toString()}`;
  }
  const id = value.attrs.id;
  return typeof id === 'string' ? `${value.type.name}#${id}` : `${value.type.name}=${yShape(value)}`;
}

const weakKey = (value: YChild | Target): string =>
  Array.isArray(value) || value instanceof Y.XmlText
    ? TEXT_KEY
    : value instanceof Y.XmlElement
      ? value.nodeName
      : value.type.name;

/** What Y.XmlElement#toString would print for a node without id, to recognise identical id-less nodes. */
function yShape(node: PmNode): string {
  const element = toY(node);
  const scratch = new Y.Doc();
  scratch.getXmlFragment('shape').insert(0, [element]);
  return element.toString();
}

function syncChildren(parent: Y.XmlFragment | Y.XmlElement, targets: Target[]): void {
  const current = parent
    .toArray()
    .filter((c): c is YChild => c instanceof Y.XmlElement || c instanceof Y.XmlText);
  const changes = diffArrays(current.map(strongKey), targets.map(strongKey));
  // Walk the diff in order: matched pairs are updated in place, and within each gap between them the removed and
  // added children of the same type are paired up in order (an edited block whose id was lost, a table row).
  let index = 0; // position in `parent` as it is being edited
  let ci = 0;
  let ti = 0;
  let removed: YChild[] = [];
  let added: Target[] = [];
  const flushGap = () => {
    const pairs = pairGap(removed, added);
    for (const step of pairs) {
      if (step.kind === 'update') {
        update(step.y, step.target);
        index++;
      } else if (step.kind === 'delete') {
        if (step.y instanceof Y.XmlText && added.length === 0 && targets.length === 0) {
          // Keep an emptied text node rather than the block's last child (carets stay anchored in it).
          step.y.delete(0, step.y.length);
          index++;
        } else {
          parent.delete(index, 1);
        }
      } else {
        parent.insert(index, [toY(step.target)]);
        index++;
      }
    }
    removed = [];
    added = [];
  };
  for (const change of changes) {
    const count = change.count ?? change.value.length;
    if (change.removed) {
      removed.push(...current.slice(ci, ci + count));
      ci += count;
    } else if (change.added) {
      added.push(...targets.slice(ti, ti + count));
      ti += count;
    } else {
      flushGap();
      for (let k = 0; k < count; k++) {
        update(current[ci + k]!, targets[ti + k]!);
        index++;
      }
      ci += count;
      ti += count;
    }
  }
  flushGap();
}

type GapStep =
  | { kind: 'update'; y: YChild; target: Target }
  | { kind: 'delete'; y: YChild }
  | { kind: 'insert'; target: Target };

/** Removed and added children between two matches, in document order: same-type ones are paired in order. */
function pairGap(removed: YChild[], added: Target[]): GapStep[] {
  const steps: GapStep[] = [];
  let r = 0;
  let a = 0;
  while (r < removed.length || a < added.length) {
    const y = removed[r];
    const target = added[a];
    if (y && target && weakKey(y) === weakKey(target)) {
      steps.push({ kind: 'update', y, target });
      r++;
      a++;
    } else if (y && (!target || !added.slice(a).some((t) => weakKey(t) === weakKey(y)))) {
      steps.push({ kind: 'delete', y });
      r++;
    } else {
      steps.push({ kind: 'insert', target: target! });
      a++;
    }
  }
  return steps;
}

function update(y: YChild, target: Target): void {
  if (y instanceof Y.XmlText) {
    syncText(y, target as PmNode[]);
    return;
  }
  const node = target as PmNode;
  const attrs = y.getAttributes() as Record<string, unknown>;
  for (const [key, value] of Object.entries(node.attrs)) {
    if (value === null || value === undefined) {
      if (key in attrs) y.removeAttribute(key);
    } else if (!sameValue(attrs[key], value)) {
      y.setAttribute(key, value as string);
    }
  }
  for (const key of Object.keys(attrs)) if (!(key in node.attrs)) y.removeAttribute(key);
  syncChildren(y, inlineGroups(node));
}

const sameValue = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

/** y-prosemirror's formatting attributes for a text node's marks. */
function marksToAttributes(node: PmNode): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const mark of node.marks) attributes[mark.type.name] = mark.attrs;
  return attributes;
}

/** Above this many changed characters, one block's text is replaced whole (the diff would take too long). */
const MAX_TEXT_EDIT = 2_000;

function syncText(ytext: Y.XmlText, targets: PmNode[]): void {
  const runs = targets.map((node) => ({ text: node.text ?? '', attributes: marksToAttributes(node) }));
  const before = ytext.toString() === '' ? '' : deltaText(ytext);
  const after = runs.map((run) => run.text).join('');
  const parts = diffChars(before, after, { maxEditLength: MAX_TEXT_EDIT }) ?? [
    { value: before, removed: true, added: false, count: before.length },
    { value: after, added: true, removed: false, count: after.length },
  ];
  let index = 0;
  let targetOffset = 0;
  for (const part of parts) {
    const length = part.value.length;
    if (part.removed) {
      ytext.delete(index, length);
    } else if (part.added) {
      for (const piece of slices(runs, targetOffset, length)) {
        ytext.insert(index, piece.text, piece.attributes);
        index += piece.text.length;
      }
      targetOffset += length;
    } else {
      index += length;
      targetOffset += length;
    }
  }
  // The text is right; now the marks over it.
  let offset = 0;
  let at = 0;
  const delta = ytext.toDelta() as { insert: string; attributes?: Record<string, unknown> }[];
  for (const run of runs) {
    const end = offset + run.text.length;
    while (at < end) {
      const { attributes, until } = attributesAt(delta, at);
      const stop = Math.min(end, until);
      if (!sameAttributes(attributes, run.attributes)) {
        const patch: Record<string, unknown> = { ...run.attributes };
        for (const key of Object.keys(attributes)) if (!(key in run.attributes)) patch[key] = null;
        ytext.format(at, stop - at, patch);
      }
      at = stop;
    }
    offset = end;
  }
}

function deltaText(ytext: Y.XmlText): string {
  return (ytext.toDelta() as { insert: unknown }[])
    .map((op) => (typeof op.insert === 'string' ? op.insert : ''))
    .join('');
}

/** The target runs covering [from, from + length), cut to that range. */
function slices(runs: { text: string; attributes: Record<string, unknown> }[], from: number, length: number) {
  const out: { text: string; attributes: Record<string, unknown> }[] = [];
  let offset = 0;
  for (const run of runs) {
    const start = Math.max(from, offset);
    const end = Math.min(from + length, offset + run.text.length);
    if (start < end)
      out.push({ text: run.text.slice(start - offset, end - offset), attributes: run.attributes });
    offset += run.text.length;
  }
  return out;
}

/** The attributes at character `at` of a delta, and where that run ends. */
function attributesAt(
  delta: { insert: string; attributes?: Record<string, unknown> }[],
  at: number,
): { attributes: Record<string, unknown>; until: number } {
  let offset = 0;
  for (const op of delta) {
    const length = typeof op.insert === 'string' ? op.insert.length : 1;
    if (at < offset + length) return { attributes: op.attributes ?? {}, until: offset + length };
    offset += length;
  }
  return { attributes: {}, until: Number.POSITIVE_INFINITY };
}

function sameAttributes(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a).filter((k) => a[k] !== null);
  const other = Object.keys(b).filter((k) => b[k] !== null);
  return keys.length === other.length && keys.every((k) => sameValue(a[k], b[k]));
}

/** A new Yjs type for a target node (or a run of text nodes), shaped as y-prosemirror makes them. */
function toY(target: Target): YChild {
  if (Array.isArray(target)) {
    const text = new Y.XmlText();
    text.applyDelta(target.map((node) => ({ insert: node.text ?? '', attributes: marksToAttributes(node) })));
    return text;
  }
  const element = new Y.XmlElement(target.type.name);
  for (const [key, value] of Object.entries(target.attrs)) {
    if (value !== null && value !== undefined) element.setAttribute(key, value as string);
  }
  element.insert(0, inlineGroups(target).map(toY));
  return element;
}
