/**
 * Security decisions for Electron windows, as plain functions so they are tested under Node (no Electron
 * binary can run in CI). `src/main/desktop/**` only applies them.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'hoody';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The subset of Electron's WebPreferences we set; every window factory must use this. */
export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  experimentalFeatures: false;
  navigateOnDragDrop: false;
  spellcheck: boolean;
}

export function secureWebPreferences(preload: string): SecureWebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: true,
  };
}

function parse(url: string): URL | null {
  // Control characters and backslashes are how URL parsers get confused into a different host.
  // eslint-disable-next-line no-control-regex
  if (typeof url !== 'string' || url.length > 8_192 || /[\u0000-\u001f\\]/.test(url)) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True only for pages of our own bundle (`app://hoody/...`): the one origin a window may show. */
export function isAppUrl(url: string): boolean {
  const parsed = parse(url);
  return (
    parsed !== null &&
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.port === ''
  );
}

/** `will-navigate` / `will-redirect`: stay on our origin, nothing else. */
export const isNavigationAllowed = (url: string): boolean => isAppUrl(url);

const EXTERNAL_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/**
 * Links the user clicks open in the system browser only when they are plain web or mail links: no
 * credentials in the URL (a classic look-alike trick), a real host, nothing local.
 */
export function isExternalUrlAllowed(url: string): boolean {
  const parsed = parse(url);
  if (parsed === null || !EXTERNAL_SCHEMES.has(parsed.protocol)) return false;
  if (parsed.protocol === 'mailto:') return parsed.pathname.length > 0 && !parsed.pathname.includes('/');
  if (parsed.username !== '' || parsed.password !== '') return false;
  const host = parsed.hostname;
  const local = host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || host === '0.0.0.0';
  return host !== '' && !local && !host.startsWith('127.');
}

export type WindowOpenDecision = { action: 'deny'; openExternally: string | null };

/** `setWindowOpenHandler`: never a new Electron window; safe links go to the system browser. */
export function decideWindowOpen(url: string): WindowOpenDecision {
  return { action: 'deny', openExternally: isExternalUrlAllowed(url) ? url : null };
}

/** Every IPC call must come from our own page's main frame. */
export function isTrustedSender(frameUrl: string | undefined, isMainFrame: boolean): boolean {
  return isMainFrame && typeof frameUrl === 'string' && isAppUrl(frameUrl);
}

/** Permission requests (camera, notifications, geolocation…): denied unless listed here with a reason. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);
export const isPermissionAllowed = (permission: string, requestingUrl: string): boolean =>
  ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingUrl);
