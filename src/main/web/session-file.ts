import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What browser mode keeps per data dir so a restarted core can be reached by the tabs still open on it: the
 * access key (the tab holds it, so the same key lets it back in) and the port it listened on last (a tab can
 * only reconnect to its own origin, `127.0.0.1:<port>`). A 0600 file beside the replicas: whoever can read it
 * can read the notes anyway. `--new-key` rotates the key (open tabs then have to be given the new link).
 */
export interface BrowserSession {
  key: string;
  port: number | null;
}

export const BROWSER_SESSION_FILE = 'browser-mode.json';
const KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const newBrowserKey = (): string => randomBytes(32).toString('base64url');

/** The saved session, or null when there is none or it cannot be trusted (then a new key is made). */
export function readBrowserSession(dataDir: string): BrowserSession | null {
  try {
    const value = JSON.parse(readFileSync(join(dataDir, BROWSER_SESSION_FILE), 'utf8')) as unknown;
    if (typeof value !== 'object' || value === null) return null;
    const { key, port } = value as Record<string, unknown>;
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) return null;
    const validPort = typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65_536;
    return { key, port: validPort ? port : null };
  } catch {
    return null;
  }
}

/** Written whole (temp file + rename), readable by this user only. */
export function writeBrowserSession(dataDir: string, session: BrowserSession): void {
  const path = join(dataDir, BROWSER_SESSION_FILE);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(session), { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
