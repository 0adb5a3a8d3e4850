import type { SyncStatusView } from '../../shared/contract';
import { updateMenuLabel, type UpdateState } from './update-model';

/**
 * The tray menu as plain data (tested under Node); `tray.ts` turns it into an Electron Menu. Item ids are what
 * the click handler switches on.
 */
export type TrayItemId =
  'quickNote' | 'open' | 'status' | 'pauseSync' | 'resumeSync' | 'installUpdate' | 'quit';

export type TrayItem =
  | { type: 'separator' }
  | { type: 'normal'; id: TrayItemId; label: string; enabled: boolean; accelerator?: string };

export interface TrayState {
  /** One entry per server account; empty when everything stays on this device. */
  sync: readonly SyncStatusView[];
  paused: boolean;
  /** The quick-capture global shortcut, shown beside "Quick note" (display only). */
  shortcut: string | null;
  /** electron-updater's state: a downloaded update adds "Restart to update to x.y.z". */
  update?: UpdateState;
}

export function trayMenuModel(state: TrayState): TrayItem[] {
  const hasServer = state.sync.length > 0;
  const update = state.update ? updateMenuLabel(state.update) : null;
  return [
    {
      type: 'normal',
      id: 'quickNote',
      label: 'Quick note',
      enabled: true,
      ...(state.shortcut ? { accelerator: state.shortcut } : {}),
    },
    { type: 'normal', id: 'open', label: 'Open Hoody Notes', enabled: true },
    { type: 'separator' },
    { type: 'normal', id: 'status', label: syncStatusLine(state), enabled: false },
    ...(hasServer
      ? [
          state.paused
            ? ({ type: 'normal', id: 'resumeSync', label: 'Resume sync', enabled: true } as const)
            : ({ type: 'normal', id: 'pauseSync', label: 'Pause sync', enabled: true } as const),
        ]
      : []),
    { type: 'separator' },
    ...(update && state.update
      ? [
          {
            type: 'normal',
            id: 'installUpdate',
            label: update,
            enabled: state.update.kind === 'ready',
          } as const,
        ]
      : []),
    { type: 'normal', id: 'quit', label: 'Quit Hoody Notes', enabled: true },
  ];
}

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** One line that says whether the person's notes are safe on the server. */
export function syncStatusLine({ sync, paused }: Pick<TrayState, 'sync' | 'paused'>): string {
  if (sync.length === 0) return 'Notes are kept on this device';
  const pending = sync.reduce((n, s) => n + s.pending, 0);
  const rejected = sync.reduce((n, s) => n + s.rejected, 0);
  const waiting = pending > 0 ? ` — ${plural(pending, 'change')} waiting` : '';
  if (paused) return `Sync paused${waiting}`;
  if (rejected > 0) return `Sync needs attention: ${plural(rejected, 'change')} refused`;
  if (sync.some((s) => s.connection === 'offline')) return `Offline${waiting}`;
  if (sync.some((s) => s.connection === 'connecting')) return `Connecting…${waiting}`;
  if (pending > 0 || sync.some((s) => s.connection === 'syncing')) return `Syncing${waiting}`;
  return 'Up to date';
}
