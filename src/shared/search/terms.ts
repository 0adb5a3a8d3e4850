/**
 * Search terms: what a person typed into a search box, as words. Everything typed is text — quotes, `*`,
 * `NEAR(`, `-` and `OR` are never query syntax — so a query can only ever find less, never fail. The same
 * rules decide what the full-text index matches (main builds its FTS5 expression from these terms) and what
 * a snippet or the opened page highlights (`findMatches`), so the two agree on what "a match" is.
 *
 * - Words are runs of letters, digits and private-use characters (SQLite's unicode61 token characters).
 * - Case and diacritics are folded: "cafe" finds "Café", "resume" finds "résumé".
 * - Every word matches as a prefix of a word: "meet" finds "meeting".
 * - Chinese and Japanese are written without spaces: such runs match as substrings anywhere (the index
 *   keeps them as overlapping character pairs, see `cjkIndexText`).
 */

export interface SearchTerm {
  /** Folded (lowercase, no diacritics) for words; as typed for CJK runs. */
  text: string;
  /** A run of Han/Hiragana/Katakana characters: matched as a substring, not at word starts. */
  cjk: boolean;
}

/** Han, Hiragana, Katakana (and the katakana prolonged sound mark, which is "Common" script). */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc\uff66-\uff9f]/u;
const CJK_RUNS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc\uff66-\uff9f]+/gu;
/** A word as SQLite's unicode61 tokenizer sees one (letters, numbers, private use), marks kept with it. */
const WORDS = /[\p{L}\p{N}\p{Co}][\p{L}\p{N}\p{Co}\p{M}]*/gu;

// eslint-disable-next-line no-control-regex -- the whole ASCII range, on purpose
const ASCII = /^[\x00-\x7f]*$/;

/** At most this many words of a query are used (a pasted paragraph is not a useful query). */
export const MAX_TERMS = 12;

/**
 * Lowercase without diacritics, as the index's `remove_diacritics 2` folds. Recomposed afterwards: NFD splits
 * Hangul syllables into jamo, which are letters, not marks, and the index keeps the syllables.
 */
export const fold = (text: string): string =>
  // ASCII has no marks to remove (most words of most notes: snippets fold every word of each hit's text).
  ASCII.test(text)
    ? text.toLowerCase()
    : text.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC').toLowerCase();

export const hasCjk = (text: string): boolean => CJK.test(text);

/** One word of text split into its CJK runs and the folded pieces between them. */
function splitWord(word: string, out: SearchTerm[]): void {
  if (!hasCjk(word)) {
    const folded = fold(word);
    if (folded) out.push({ text: folded, cjk: false });
    return;
  }
  let last = 0;
  for (const match of word.matchAll(CJK_RUNS)) {
    const before = fold(word.slice(last, match.index));
    if (before) out.push({ text: before, cjk: false });
    out.push({ text: match[0], cjk: true });
    last = match.index + match[0].length;
  }
  const rest = fold(word.slice(last));
  if (rest) out.push({ text: rest, cjk: false });
}

export function parseSearchQuery(input: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  for (const match of input.normalize('NFC').matchAll(WORDS)) splitWord(match[0], terms);
  const seen = new Set<string>();
  return terms
    .filter((term) => {
      const key = `${term.cjk ? 'c' : 'w'}:${term.text}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, MAX_TERMS);
}

/** Adjacent character pairs of a CJK run, then its last character alone (so every character starts a token). */
function cjkTokens(run: string): string[] {
  const chars = [...run];
  const tokens: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) tokens.push(chars[i]! + chars[i + 1]!);
  tokens.push(chars.at(-1)!);
  return tokens;
}

/**
 * What the index's `cjk` column holds for a text: its CJK runs as overlapping pairs. unicode61 would keep a
 * whole run ("我住在东京都") as one token, so "东京" could never match; as pairs (我住 住在 在东 东京 京都 都) a
 * query's pairs are a phrase of consecutive tokens. Empty for text without CJK (no cost for other notes).
 */
export function cjkIndexText(text: string): string {
  if (!hasCjk(text)) return '';
  const parts: string[] = [];
  for (const match of text.matchAll(CJK_RUNS)) parts.push(cjkTokens(match[0]).join(' '));
  return parts.join(' ');
}

/** FTS5 string literal: double quotes doubled. Terms hold only word characters, but never trust that. */
const literal = (text: string): string => `"${text.replaceAll('"', '""')}"`;

/**
 * The FTS5 expression for the terms (all must match), or null when nothing searchable was typed. Words are
 * prefix queries over every column; a CJK run is a phrase of its pairs in the `cjk` column (one character: a
 * prefix of any pair). `wholeWords` may give, for a word, every token of the index that starts with it: the
 * word is then asked as those tokens (`("plan" OR "planning")`), the same match, but FTS5 reads each
 * token's rows newest-first and stops at the limit, where a prefix query first merges the rows of all of
 * them (unless the index keeps that prefix length, see the table's `prefix` option).
 */
export function ftsExpression(
  terms: readonly SearchTerm[],
  columns?: readonly string[],
  wholeWords?: ReadonlyMap<string, readonly string[]>,
): string | null {
  if (terms.length === 0) return null;
  const scope = (expr: string, cols: readonly string[] | undefined): string =>
    cols ? `{${cols.join(' ')}} : ${expr}` : expr;
  return terms
    .map((term) => {
      const whole = term.cjk ? undefined : wholeWords?.get(term.text);
      if (whole && whole.length > 0) return scope(`(${whole.map(literal).join(' OR ')})`, columns);
      if (!term.cjk) return scope(`${literal(term.text)}*`, columns);
      const chars = [...term.text];
      const expr =
        chars.length === 1 ? `${literal(term.text)}*` : literal(cjkTokens(term.text).slice(0, -1).join(' '));
      return `cjk : ${expr}`;
    })
    .join(' AND ');
}

export interface MatchRange {
  start: number;
  end: number;
}

/** Any character outside ASCII: a word with one where it is compared to a term is always looked at. */
const NON_ASCII = '[^\\x00-\\x7f]';

/**
 * Where a word that may start with `word` can begin: the word case-insensitively, or the start of it up to
 * a character outside ASCII (which may fold into anything). A superset of the real matches, found by one
 * native scan; `wordMatches` checks each with the exact rule.
 */
function candidateSource(word: string): string {
  let source = '';
  for (const char of [...word].reverse()) {
    const escaped = char.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
    source = `(?:${escaped}${source}|${NON_ASCII})`;
  }
  return source;
}

/** Where a word starts: a word character not preceded by a word character and its marks (as WORDS scans). */
const WORD_START = '(?<![\\p{L}\\p{N}\\p{Co}]\\p{M}*)(?=[\\p{L}\\p{N}\\p{Co}])';

/** A word at `lastIndex`. */
const WORD_AT = new RegExp(WORDS.source, 'uy');
/** The last queries' candidate patterns (a query matches the titles and snippets of all its hits). */
const candidatePatterns = new Map<string, RegExp>();

function candidatesFor(words: readonly string[]): RegExp {
  const key = words.join('\u0000');
  let pattern = candidatePatterns.get(key);
  if (!pattern) {
    pattern = new RegExp(`${WORD_START}(?:${words.map(candidateSource).join('|')})`, 'giu');
    if (candidatePatterns.size >= 16) candidatePatterns.delete(candidatePatterns.keys().next().value!);
    candidatePatterns.set(key, pattern);
  }
  pattern.lastIndex = 0;
  return pattern;
}

/** The words of `text` that start with one of `words` (folded), in order; CJK inside a word is left out. */
function* wordMatches(text: string, words: readonly string[]): Generator<MatchRange> {
  if (words.length === 0) return;
  const startsWithTerm = (word: string): boolean => {
    const folded = fold(word);
    return words.some((w) => folded.startsWith(w));
  };
  if (!hasCjk(text)) {
    // Most words match no term: a scan for candidates skips them without reading each as a word.
    const candidates = candidatesFor(words);
    const word = WORD_AT;
    for (let candidate = candidates.exec(text); candidate; candidate = candidates.exec(text)) {
      word.lastIndex = candidate.index;
      const whole = word.exec(text)![0];
      if (startsWithTerm(whole)) yield { start: candidate.index, end: candidate.index + whole.length };
      candidates.lastIndex = candidate.index + whole.length;
    }
    return;
  }
  for (const match of text.matchAll(WORDS)) {
    // CJK inside a word is matched by the CJK terms; the Latin pieces around it are words of their own.
    const pieces: { text: string; at: number }[] = [];
    if (hasCjk(match[0])) {
      let last = 0;
      for (const run of match[0].matchAll(CJK_RUNS)) {
        if (run.index > last) pieces.push({ text: match[0].slice(last, run.index), at: last });
        last = run.index + run[0].length;
      }
      if (last < match[0].length) pieces.push({ text: match[0].slice(last), at: last });
    } else pieces.push({ text: match[0], at: 0 });
    for (const piece of pieces) {
      if (startsWithTerm(piece.text)) {
        const start = match.index + piece.at;
        yield { start, end: start + piece.text.length };
      }
    }
  }
}

/**
 * Where the terms occur in `text` (UTF-16 offsets, sorted, not overlapping): each word that starts with a
 * folded term (the whole word is marked), and every occurrence of a CJK run.
 */
export function findMatches(text: string, terms: readonly SearchTerm[]): MatchRange[] {
  if (terms.length === 0 || text.length === 0) return [];
  const ranges = [
    ...wordMatches(
      text,
      terms.filter((t) => !t.cjk).map((t) => t.text),
    ),
  ];
  for (const term of terms) {
    if (!term.cjk) continue;
    for (let at = text.indexOf(term.text); at !== -1; at = text.indexOf(term.text, at + term.text.length))
      ranges.push({ start: at, end: at + term.text.length });
  }
  ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: MatchRange[] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/**
 * `findMatches` of `flat` (one space between words) within [from, to): the same ranges as over the whole
 * text, found in the words around that span only. A match never holds a space (words and CJK runs have
 * none), so the span widened to the spaces around it has every match that reaches into it.
 */
function matchesAround(flat: string, terms: readonly SearchTerm[], from: number, to: number): MatchRange[] {
  const start = from > 0 ? flat.lastIndexOf(' ', from - 1) + 1 : 0;
  const space = flat.indexOf(' ', to);
  const end = space === -1 ? flat.length : space;
  return findMatches(flat.slice(start, end), terms).map((r) => ({
    start: r.start + start,
    end: r.end + start,
  }));
}

/** Where the first match of `flat` starts (as `findMatches(flat, terms)[0]`), without matching all of it. */
function firstMatchStart(flat: string, terms: readonly SearchTerm[]): number | undefined {
  let first: number | undefined = wordMatches(
    flat,
    terms.filter((t) => !t.cjk).map((t) => t.text),
  ).next().value?.start;
  for (const term of terms) {
    if (!term.cjk) continue;
    const at = flat.indexOf(term.text);
    if (at !== -1 && (first === undefined || at < first)) first = at;
  }
  return first;
}

/** A piece of highlighted text: `match` pieces are what the query found. */
export interface TextPiece {
  text: string;
  match: boolean;
}

export function highlightPieces(text: string, ranges: readonly MatchRange[]): TextPiece[] {
  const pieces: TextPiece[] = [];
  let at = 0;
  for (const range of ranges) {
    if (range.start > at) pieces.push({ text: text.slice(at, range.start), match: false });
    pieces.push({ text: text.slice(range.start, range.end), match: true });
    at = range.end;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), match: false });
  return pieces;
}

/**
 * A short excerpt of `text` around its first match (about `width` characters, cut at spaces, with … where
 * it was cut), its matches highlighted. Without a match: the start of the text.
 */
export function snippet(text: string, terms: readonly SearchTerm[], width = 160): TextPiece[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  // Only the words around the first match and in the excerpt are matched (a hit's text may be a long page).
  const firstStart = firstMatchStart(flat, terms);
  const first = firstStart === undefined ? undefined : matchesAround(flat, terms, firstStart, firstStart)[0];
  let start = 0;
  if (first && first.start > width / 3) {
    start = first.start - Math.floor(width / 3);
    const space = flat.lastIndexOf(' ', first.start);
    if (space > start && space < first.start) start = space + 1;
  }
  let end = Math.min(flat.length, start + width);
  if (end < flat.length) {
    const space = flat.lastIndexOf(' ', end);
    if (space > (first?.end ?? start)) end = space;
  }
  // A cut never splits a surrogate pair.
  if (start > 0 && /[\udc00-\udfff]/.test(flat[start] ?? '')) start--;
  if (end < flat.length && /[\ud800-\udbff]/.test(flat[end - 1] ?? '')) end++;
  const inside = matchesAround(flat, terms, start, end)
    .filter((r) => r.end > start && r.start < end)
    .map((r) => ({ start: Math.max(r.start, start) - start, end: Math.min(r.end, end) - start }));
  const pieces = highlightPieces(flat.slice(start, end), inside);
  if (start > 0) pieces.unshift({ text: '…', match: false });
  if (end < flat.length) pieces.push({ text: '…', match: false });
  return pieces;
}
