import { fold } from '../../../shared/search/terms';

/**
 * Palette matching: every query character must appear in order, ignoring case and diacritics ("cafe" finds
 * "Café", "ecole" finds "École"), folded as the search index folds. Higher is better:
 * consecutive runs, matches at word starts and an early first match count; `null` means no match.
 */
export function fuzzyScore(query: string, text: string): number | null {
  const q = fold(query.trim());
  if (q === '') return 0;
  const t = fold(text);
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const char of q) {
    if (char === ' ') continue;
    const at = t.indexOf(char, from);
    if (at < 0) return null;
    const wordStart = at === 0 || /[\s\-_/.·]/.test(t[at - 1] ?? '');
    score += 1 + (at === previous + 1 ? 4 : 0) + (wordStart ? 3 : 0);
    previous = at;
    from = at + 1;
  }
  const first = t.indexOf(q[0] ?? '');
  return score - first * 0.1 - t.length * 0.01 + (t.startsWith(q) ? 10 : 0);
}

export interface Ranked<T> {
  item: T;
  score: number;
}

/** Items whose best field matches, best first; ties keep the input order. */
export function fuzzyFilter<T>(
  query: string,
  items: readonly T[],
  fields: (item: T) => readonly string[],
): T[] {
  const ranked: Ranked<T>[] = [];
  items.forEach((item) => {
    let best: number | null = null;
    for (const field of fields(item)) {
      const score = fuzzyScore(query, field);
      if (score !== null && (best === null || score > best)) best = score;
    }
    if (best !== null) ranked.push({ item, score: best });
  });
  return ranked.sort((a, b) => b.score - a.score).map((r) => r.item);
}
