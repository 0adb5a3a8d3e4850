/**
 * Deep links: `hoody-notes://open/node/<id>` (any host label; `hoody-notes://node/<id>` also works) opens a
 * node, `hoody-notes://open/alias/<alias>` the page with that alias. Everything else — other schemes, credentials, ports, encoded or traversing paths, odd ids, queries
 * with script, over-long input — is refused (null). Plain function, tested under Node with hostile inputs.
 */
export const DEEP_LINK_SCHEME = 'hoody-notes';
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const HOST = /^[a-z0-9-]{1,32}$/;
/** NodeAlias's rule (shared/model/nodes.ts), kept here so this file stays free of imports. */
const ALIAS = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export type DeepLink = { kind: 'node'; nodeId: string } | { kind: 'alias'; alias: string };

export function parseDeepLink(input: unknown): DeepLink | null {
  if (typeof input !== 'string' || input.length > 512) return null;
  // Control characters, whitespace, backslashes and percent-encoding have no place in our links.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f-\u00a0\\%]/.test(input)) return null;
  // Dot segments would be normalised away by the URL parser: refuse them rather than guess what was meant.
  if (/\/\.{1,2}(?=\/|$)/.test(input)) return null;
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return null;
  }
  if (url.protocol !== `${DEEP_LINK_SCHEME}:`) return null;
  if (url.username !== '' || url.password !== '' || url.port !== '' || url.search !== '' || url.hash !== '')
    return null;
  // Non-special schemes keep host and path as written: `hoody-notes://open/node/x` → host "open", path "/node/x".
  if (url.host !== '' && !HOST.test(url.host)) return null;
  const path = url.pathname.split('/').slice(1);
  const parts = url.host === 'node' || url.host === 'alias' ? [url.host, ...path] : path;
  const [kind, value] = parts;
  if (parts.length !== 2 || value === undefined) return null;
  if (kind === 'node' && ID.test(value)) return { kind: 'node', nodeId: value };
  if (kind === 'alias' && value.length <= 128 && ALIAS.test(value)) return { kind: 'alias', alias: value };
  return null;
}

/** The deep link among a launch's command-line arguments (Windows/Linux pass it as an argument). */
export function deepLinkFromArgv(argv: readonly string[]): DeepLink | null {
  for (const arg of argv) {
    if (!arg.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) continue;
    const link = parseDeepLink(arg);
    if (link) return link;
  }
  return null;
}
