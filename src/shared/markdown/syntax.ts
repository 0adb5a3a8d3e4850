/** What our Markdown export writes beyond CommonMark and GFM, and our import reads back. */

/** The info string of the fenced block that carries a drawing's JSON (`{width, height, strokes}`). */
export const DRAWING_FENCE_INFO = 'hoody-drawing';

/**
 * How deep blocks may nest on import (quotes, lists, list items). Deeper input is kept as text in the deepest
 * allowed block: the editor, Yjs and every renderer recurse per level, and 10,000 levels would overflow them.
 */
export const MAX_IMPORT_NESTING = 40;
