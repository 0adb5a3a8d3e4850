import { APP_ENTRY_URL, secureWebPreferences, type SecureWebPreferences } from '../security/window-policy';
import type { WindowState } from './window-state';

/**
 * Constructor options of every window, as plain data so a Node test can assert them (no Electron here):
 * each one must carry exactly `secureWebPreferences()`.
 */
export interface WindowOptions {
  x?: number;
  y?: number;
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: false;
  title: string;
  alwaysOnTop?: boolean;
  skipTaskbar?: boolean;
  resizable?: boolean;
  minimizable?: boolean;
  maximizable?: boolean;
  fullscreenable?: boolean;
  webPreferences: SecureWebPreferences;
}

export const CAPTURE_URL = `${APP_ENTRY_URL}?view=capture`;

export function mainWindowOptions(preload: string, state: WindowState): WindowOptions {
  return {
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: 640,
    minHeight: 420,
    show: false,
    title: 'Hoody Notes',
    webPreferences: secureWebPreferences(preload),
  };
}

/** The quick-capture window: small, on top of everything, no taskbar entry of its own. */
export function captureWindowOptions(preload: string): WindowOptions {
  return {
    width: 560,
    height: 360,
    minWidth: 420,
    minHeight: 260,
    show: false,
    title: 'Quick note — Hoody Notes',
    alwaysOnTop: true,
    skipTaskbar: true,
    resizable: true,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    webPreferences: secureWebPreferences(preload),
  };
}
