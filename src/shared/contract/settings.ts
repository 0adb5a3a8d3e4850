import * as z from 'zod';
import { isValidGlobalShortcut } from '../commands';
import { command, event, type CommandSpec, type EventSpec } from './define';
import { id } from './schemas';

/** App settings (app.db), shared by every window. */

export type Theme = 'system' | 'light' | 'dark';

export interface SettingsView {
  theme: Theme;
  sidebarWidth: number;
  /** Where the person was (restored on reload and restart): the account, its notebook and the open page. */
  lastAccountId: string | null;
  lastNotebookId: string | null;
  lastOpenedNodeId: string | null;
  /** Desktop only: quick-capture global shortcut (Electron accelerator), null = none. */
  globalShortcut: string | null;
  openAtLogin: boolean;
  /** Closing the main window keeps the app in the tray. */
  closeToTray: boolean;
}

export const settingsCommands = {
  'settings.get': command<SettingsView>()(() => z.object({})),
  'settings.update': command<SettingsView>()(() =>
    z.object({
      theme: z.enum(['system', 'light', 'dark']).optional(),
      sidebarWidth: z.number().int().min(160).max(600).optional(),
      lastAccountId: id.nullable().optional(),
      lastNotebookId: id.nullable().optional(),
      lastOpenedNodeId: id.nullable().optional(),
      /** Desktop: quick-capture shortcut (Electron accelerator), null = none. */
      globalShortcut: z
        .string()
        .refine(isValidGlobalShortcut, 'must be a shortcut like CommandOrControl+Shift+Space')
        .nullable()
        .optional(),
      openAtLogin: z.boolean().optional(),
      closeToTray: z.boolean().optional(),
    }),
  ),
} as const satisfies Record<string, CommandSpec<z.ZodType, unknown>>;

export const settingsEvents = {
  'settings.changed': event<SettingsView>(),
} as const satisfies Record<string, EventSpec<unknown>>;
