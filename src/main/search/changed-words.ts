const SPACE = /\s/;

/**
 * The part of `next` that holds every word `previous` did not have: the span that differs between the
 * two (after their common start and end), widened on both sides to whitespace. A word never spans
 * whitespace, and a word wholly before or after the differing span, with whitespace between, is the same
 * word in both texts; a word touching the span is inside the widened part. Typing changes a few
 * characters of a page, so this is a word or two, not the page.
 */
export function changedWords(previous: string, next: string): string {
  if (previous === next) return '';
  const shorter = Math.min(previous.length, next.length);
  let start = 0;
  while (start < shorter && previous.charCodeAt(start) === next.charCodeAt(start)) start++;
  let sameEnd = 0;
  while (
    sameEnd < shorter - start &&
    previous.charCodeAt(previous.length - 1 - sameEnd) === next.charCodeAt(next.length - 1 - sameEnd)
  )
    sameEnd++;
  let from = start;
  let to = next.length - sameEnd;
  while (from > 0 && !SPACE.test(next[from - 1]!)) from--;
  while (to < next.length && !SPACE.test(next[to]!)) to++;
  return next.slice(from, to);
}
