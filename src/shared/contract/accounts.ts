import * as z from 'zod';
import { command, event, type CommandSpec, type EventSpec } from './define';
import { accountId } from './schemas';

/** Accounts: the Local one and the Hoody Notes servers signed in to. */

export interface AccountView {
  id: string;
  kind: 'local' | 'server';
  name: string;
  serverUrl: string | null;
}

export const accountCommands = {
  'account.list': command<AccountView[]>()(() => z.object({})),
  /** Signs in to a Hoody Notes server: checks /health and /me, then syncs the account's notebooks. */
  'account.add': command<AccountView>()(() =>
    z.object({ serverUrl: z.string().trim().min(1).max(2_048), token: z.string().trim().min(1).max(4_096) }),
  ),
  /** Signs out and deletes the account's replica; refuses while changes are unsynced unless `force`. */
  'account.remove': command<null>()(() => z.object({ accountId, force: z.boolean().optional() })),
} as const satisfies Record<string, CommandSpec<z.ZodType, unknown>>;

export const accountEvents = {
  /** An account was added or removed. */
  'account.changed': event<{ accountId: string }>(),
} as const satisfies Record<string, EventSpec<unknown>>;
