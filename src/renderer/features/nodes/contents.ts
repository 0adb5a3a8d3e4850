import type { NodeContentsView } from '../../../shared/contract';

const NOUNS: Record<string, [string, string]> = {
  section: ['section', 'sections'],
  page: ['page', 'pages'],
  database: ['database', 'databases'],
  record: ['record', 'records'],
  channel: ['channel', 'channels'],
  message: ['message', 'messages'],
};

const ORDER = ['page', 'database', 'record', 'channel', 'message', 'section'];

/**
 * What is inside a node, in words ("3 pages, 1 database with… and 2 items of an unknown type"), or '' when
 * nothing is: said when it goes to the trash, so nothing leaves unseen with it.
 */
export function describeContents(contents: NodeContentsView): string {
  const known = [...contents.counts]
    .filter((c) => NOUNS[c.type])
    .sort((a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type))
    .map((c) => `${c.count} ${NOUNS[c.type]![c.count === 1 ? 0 : 1]}`);
  const unknown = contents.counts.filter((c) => !NOUNS[c.type]);
  const unknownCount = unknown.reduce((sum, c) => sum + c.count, 0);
  const parts = [...known];
  if (unknownCount > 0) {
    const types = unknown.map((c) => `“${c.type}”`).join(', ');
    parts.push(
      `${unknownCount} ${unknownCount === 1 ? 'item' : 'items'} of a type this app cannot show (${types})`,
    );
  }
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
