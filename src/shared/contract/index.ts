import type * as z from 'zod';
import { mergeDomains } from './define';
import { accountCommands, accountEvents } from './accounts';
import { appCommands, appEvents } from './app';
import { captureCommands } from './capture';
import { commentCommands, commentEvents } from './comments';
import { channelCommands, channelEvents } from './channels';
import { documentCommands, documentEvents } from './documents';
import { fileCommands, fileEvents } from './files';
import { exportCommands } from './exports';
import { importCommands, importEvents } from './imports';
import { interactionCommands, interactionEvents } from './interactions';
import { nodeCommands, nodeEvents } from './nodes';
import { notebookCommands, notebookEvents } from './notebooks';
import { presenceCommands, presenceEvents } from './presence';
import { reactionCommands } from './reactions';
import { recordCommands } from './records';
import { searchCommands, searchEvents } from './search';
import { settingsCommands, settingsEvents } from './settings';
import { sharingCommands, sharingEvents } from './sharing';
import { syncCommands, syncEvents } from './sync';
import { versionCommands, versionEvents } from './versions';

/**
 * The IPC contract: one file per domain (its views, input schemas, commands and events), merged here into the
 * one `commands` and `events` maps that main, preload and renderer derive their types from. A new domain adds
 * its file and one entry to each list below; a name defined by two domains fails at load.
 */

export type * from './accounts';
export type * from './app';
export type * from './capture';
export type * from './comments';
export type * from './channels';
export type * from './documents';
export type * from './files';
export type * from './exports';
export type * from './imports';
export type * from './interactions';
export type * from './nodes';
export type * from './notebooks';
export type * from './presence';
export type * from './reactions';
export type * from './records';
export type * from './search';
export type * from './settings';
export type * from './sharing';
export type * from './sync';
export type * from './versions';
export { command, event } from './define';

export const commands = mergeDomains(
  appCommands,
  settingsCommands,
  accountCommands,
  syncCommands,
  notebookCommands,
  nodeCommands,
  reactionCommands,
  interactionCommands,
  documentCommands,
  captureCommands,
  presenceCommands,
  searchCommands,
  recordCommands,
  versionCommands,
  sharingCommands,
  channelCommands,
  commentCommands,
  fileCommands,
  exportCommands,
  importCommands,
);

export const events = mergeDomains(
  appEvents,
  settingsEvents,
  accountEvents,
  syncEvents,
  notebookEvents,
  nodeEvents,
  interactionEvents,
  documentEvents,
  presenceEvents,
  searchEvents,
  versionEvents,
  sharingEvents,
  channelEvents,
  commentEvents,
  fileEvents,
  importEvents,
);

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandInput<N extends CommandName> = z.input<Commands[N]['input']>;
export type CommandParsedInput<N extends CommandName> = z.output<Commands[N]['input']>;
export type CommandOutput<N extends CommandName> = Exclude<Commands[N]['output'], undefined>;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = Exclude<Events[E]['payload'], undefined>;

export const COMMAND_NAMES = Object.keys(commands) as CommandName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];
export const isCommandName = (value: unknown): value is CommandName =>
  typeof value === 'string' && Object.hasOwn(commands, value);
export const isEventName = (value: unknown): value is EventName =>
  typeof value === 'string' && Object.hasOwn(events, value);
