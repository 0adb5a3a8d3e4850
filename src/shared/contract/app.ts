import * as z from 'zod';
import { command, event, type CommandSpec, type EventSpec } from './define';
import { id } from './schemas';

/** The app itself: version and mode, notices, and what the desktop shell asks a window to do. */

export interface NoticeView {
  id: string;
  level: 'info' | 'warning' | 'error';
  title: string;
  message: string;
  createdAt: string;
}

export interface AppInfoView {
  version: string;
  mode: 'electron' | 'browser';
  platform: 'darwin' | 'win32' | 'linux' | 'other';
  dataDir: string;
}

export const appCommands = {
  'app.info': command<AppInfoView>()(() => z.object({})),
  'app.notices': command<NoticeView[]>()(() => z.object({})),
  'app.dismissNotice': command<null>()(() => z.object({ id })),
} as const satisfies Record<string, CommandSpec<z.ZodType, unknown>>;

export const appEvents = {
  'app.notice': event<NoticeView>(),
  /** Desktop: the application menu or tray asks the focused window to run a registry command (src/shared/commands.ts). */
  'ui.command': event<{ commandId: string }>(),
  /** Desktop: a deep link (`hoody-notes://open/node/<id>`) asks the main window to open a node. */
  'ui.openNode': event<{ nodeId: string }>(),
} as const satisfies Record<string, EventSpec<unknown>>;
