/**
 * @mentions in comments. The API stores a comment as plain text (no mention field), so a mention is the
 * member's username after an `@` in the text (`@bob`), which every client can read as written; the app shows
 * one that names a member of the notebook as a mention (with their name) and offers members while `@…` is typed.
 */

/** What a username may contain (the server's usernames: letters, digits, `_`, `.`, `-`). */
const NAME_CHAR = /[\p{L}\p{N}_.-]/u;
/** An `@` starts a mention only at the start or after a space or an opening punctuation (not in `a@b.c`). */
const BEFORE_AT = /[\s([{"'«“‘]/u;

export interface MentionQuery {
  /** Where the `@` is. */
  start: number;
  /** What was typed after it, up to the caret. */
  query: string;
}

/** The mention being typed at `caret` (just after `@` and name characters), or null. */
export function mentionAt(text: string, caret: number): MentionQuery | null {
  let at = caret;
  while (at > 0 && NAME_CHAR.test(text[at - 1]!)) at--;
  if (at === 0 || text[at - 1] !== '@') return null;
  const start = at - 1;
  if (start > 0 && !BEFORE_AT.test(text[start - 1]!)) return null;
  const query = text.slice(at, caret);
  return query.length > 64 ? null : { start, query };
}

/** `text` with the mention being typed replaced by `@username ` (and where the caret goes after it). */
export function insertMention(
  text: string,
  mention: MentionQuery,
  caret: number,
  username: string,
): { text: string; caret: number } {
  const inserted = `@${username} `;
  const rest = text.slice(caret).replace(/^\s/u, '');
  return {
    text: text.slice(0, mention.start) + inserted + rest,
    caret: mention.start + inserted.length,
  };
}

export interface Mentionable {
  userId: string;
  username: string;
  name: string;
}

/** Members whose username or a word of their name starts with `query` (case and accents folded), best first. */
export function matchMembers<T extends Mentionable>(members: readonly T[], query: string, limit = 6): T[] {
  const want = fold(query);
  const scored: { member: T; score: number }[] = [];
  for (const member of members) {
    const username = fold(member.username);
    const words = fold(member.name).split(/\s+/u);
    const score = username.startsWith(want) ? 0 : words.some((w) => w.startsWith(want)) ? 1 : -1;
    if (score >= 0) scored.push({ member, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.member.username.localeCompare(b.member.username))
    .slice(0, limit)
    .map((s) => s.member);
}

export type MentionPart<T> = { text: string } | { text: string; member: T };

/** The comment's text cut into plain runs and mentions of known members (an unknown `@name` stays text). */
export function mentionParts<T extends Mentionable>(
  content: string,
  members: readonly T[],
): MentionPart<T>[] {
  const byName = new Map(members.map((m) => [m.username.toLowerCase(), m]));
  const parts: MentionPart<T>[] = [];
  let plain = 0;
  for (const match of content.matchAll(/@([\p{L}\p{N}_.-]+)/gu)) {
    const start = match.index;
    if (start > 0 && !BEFORE_AT.test(content[start - 1]!)) continue;
    // A trailing dot ends the sentence, not the name ("thanks @bob.").
    const name = match[1]!.replace(/[.-]+$/u, '');
    const member = byName.get(name.toLowerCase());
    if (!member) continue;
    if (start > plain) parts.push({ text: content.slice(plain, start) });
    parts.push({ text: `@${name}`, member });
    plain = start + 1 + name.length;
  }
  if (plain < content.length) parts.push({ text: content.slice(plain) });
  return parts;
}

/** Whether `content` mentions the user `username`. */
export const mentions = (content: string, username: string): boolean =>
  mentionParts(content, [{ userId: '', username, name: '' }]).some((part) => 'member' in part);

const fold = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
