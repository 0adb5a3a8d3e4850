import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Hoody Notes';

/**
 * Where user data lives when no directory is given — the same folder Electron's `userData` resolves to, so
 * browser mode and the desktop app share one replica.
 */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_NAME);
}
