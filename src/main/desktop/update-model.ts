/**
 * Updates (electron-updater), as plain data: where the feed is, what state the updater is in, and what the
 * tray and the notice say. `updater.ts` applies it; tested under Node.
 */
export type UpdateState =
  | { kind: 'disabled'; reason: string }
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'downloading'; version: string; percent: number }
  | { kind: 'ready'; version: string }
  | { kind: 'error'; message: string };

const VERSION = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]{1,64})?$/;

/**
 * The generic-provider feed: `HOODY_UPDATE_FEED_URL` at run time wins over the one baked in at packaging
 * (electron-builder writes it to app-update.yml from its `publish` setting). Only https, no credentials —
 * except http on loopback, for testing a local feed.
 */
export function updateFeed(env: Readonly<Record<string, string | undefined>>): string | null {
  const raw = env.HOODY_UPDATE_FEED_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') return null;
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return url.href;
  return null;
}

/** The updater's events, folded into the one state the UI shows. Unknown or malformed versions are ignored. */
export function nextUpdateState(
  state: UpdateState,
  event:
    | { type: 'checking' }
    | { type: 'available'; version: unknown }
    | { type: 'none' }
    | { type: 'progress'; percent: unknown }
    | { type: 'downloaded'; version: unknown }
    | { type: 'error'; message: unknown },
): UpdateState {
  if (state.kind === 'disabled' || state.kind === 'ready') return state; // a ready update stays ready
  switch (event.type) {
    case 'checking':
      return { kind: 'checking' };
    case 'available':
      return typeof event.version === 'string' && VERSION.test(event.version)
        ? { kind: 'downloading', version: event.version, percent: 0 }
        : state;
    case 'none':
      return { kind: 'idle' };
    case 'progress':
      return state.kind === 'downloading' &&
        typeof event.percent === 'number' &&
        Number.isFinite(event.percent)
        ? { ...state, percent: Math.max(0, Math.min(100, Math.round(event.percent))) }
        : state;
    case 'downloaded':
      return typeof event.version === 'string' && VERSION.test(event.version)
        ? { kind: 'ready', version: event.version }
        : state;
    case 'error':
      return {
        kind: 'error',
        message: typeof event.message === 'string' ? event.message.slice(0, 200) : 'unknown',
      };
  }
}

/** The tray/menu item offered for an update, if any. */
export function updateMenuLabel(state: UpdateState): string | null {
  if (state.kind === 'ready') return `Restart to update to ${state.version}`;
  if (state.kind === 'downloading') return `Downloading update ${state.version}… ${state.percent}%`;
  return null;
}
