import { mergeAttributes, Node } from '@tiptap/core';

/**
 * A drawing block: a canvas size and freehand strokes, stored as node attributes (so it syncs through Yjs like
 * any block). `GET …/blocks/{blockId}/svg` renders it. The editor shows it as an empty placeholder until a
 * drawing view exists; the schema must know it either way, or a replica would drop such blocks.
 */
export interface DrawingStroke {
  /** `[x, y]` points in canvas units. */
  points: [number, number][];
  color?: string;
  width?: number;
}

export const DRAWING_DEFAULT_SIZE = { width: 800, height: 600 } as const;

export const Drawing = Node.create({
  name: 'drawing',
  group: 'block',
  atom: true,
  draggable: true,
  addAttributes() {
    return {
      width: { default: DRAWING_DEFAULT_SIZE.width, renderHTML: () => ({}) },
      height: { default: DRAWING_DEFAULT_SIZE.height, renderHTML: () => ({}) },
      strokes: { default: [], renderHTML: () => ({}) },
    };
  },
  parseHTML() {
    return [{ tag: 'div[data-type="drawing"]' }];
  },
  renderHTML({ HTMLAttributes }) {
    return ['div', mergeAttributes(HTMLAttributes, { 'data-type': 'drawing' })];
  },
});
