/**
 * Links to pages of the notebook are `#page/<node id>` (what a Markdown import makes of links between its
 * files). The editor opens them in place (WorkspaceCommands listens) instead of in a new window.
 */
export const OPEN_PAGE_LINK_EVENT = 'hoody:open-page-link';

const PAGE_LINK = /^#page\/([A-Za-z0-9_-]{1,64})$/;

/** The page a link points at, or null for any other link. */
export const pageLinkTarget = (href: string): string | null => PAGE_LINK.exec(href)?.[1] ?? null;

/** Opens a link: a page link in place, anything else in a new window (main sends web links to the browser). */
export function openHref(href: string): void {
  const nodeId = pageLinkTarget(href);
  if (nodeId) window.dispatchEvent(new CustomEvent<string>(OPEN_PAGE_LINK_EVENT, { detail: nodeId }));
  else window.open(href, '_blank', 'noopener,noreferrer');
}
