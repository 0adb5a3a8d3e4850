import { generateKeyBetween } from 'fractional-indexing';

/**
 * Sibling order uses fractional index strings, so a move rewrites one node and two devices inserting at the
 * same place rarely collide; equal keys (concurrent inserts) sort by id, the same on every device.
 */
export interface Ordered {
  id: string;
  index: string;
}

export interface Position {
  beforeId?: string | undefined;
  afterId?: string | undefined;
}

export const compareOrdered = (a: Ordered, b: Ordered): number =>
  a.index < b.index ? -1 : a.index > b.index ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** A key strictly between two keys (either may be null = open end), tolerating equal or inverted input. */
export function keyBetween(lower: string | null, upper: string | null): string {
  if (lower !== null && upper !== null && lower >= upper) return generateKeyBetween(upper, null);
  return generateKeyBetween(lower, upper);
}

/**
 * The index for placing a node among `siblings` (which may include the node itself: it is ignored).
 * Throws RangeError when the reference sibling is not there.
 */
export function indexForPosition(
  siblings: readonly Ordered[],
  position: Position,
  movingId?: string,
): string {
  const sorted = siblings.filter((s) => s.id !== movingId).sort(compareOrdered);
  const { beforeId, afterId } = position;
  if (beforeId !== undefined) {
    const i = sorted.findIndex((s) => s.id === beforeId);
    if (i < 0) throw new RangeError(`sibling ${beforeId} not found`);
    const upper = sorted[i]!.index;
    return keyBetween(lowerDistinct(sorted, i, upper), upper);
  }
  if (afterId !== undefined) {
    const i = sorted.findIndex((s) => s.id === afterId);
    if (i < 0) throw new RangeError(`sibling ${afterId} not found`);
    const lower = sorted[i]!.index;
    return keyBetween(lower, upperDistinct(sorted, i, lower));
  }
  return keyBetween(sorted.at(-1)?.index ?? null, null);
}

function lowerDistinct(sorted: readonly Ordered[], from: number, key: string): string | null {
  for (let j = from - 1; j >= 0; j--) if (sorted[j]!.index < key) return sorted[j]!.index;
  return null;
}

function upperDistinct(sorted: readonly Ordered[], from: number, key: string): string | null {
  for (let j = from + 1; j < sorted.length; j++) if (sorted[j]!.index > key) return sorted[j]!.index;
  return null;
}
