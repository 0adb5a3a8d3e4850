import * as z from 'zod';
import { command, event, type CommandSpec, type EventSpec } from './define';
import { accountId, id } from './schemas';

/** Read state: which pages someone else changed since the user last opened or saw them. */

export const interactionCommands = {
  /**
   * The user opened a page (`opened`) or left it having seen it (`seen`). Saved at once, sent by the outbox;
   * a mark of the same kind for the same node still waiting there is replaced, so the outbox does not grow.
   */
  'interaction.mark': command<null>()(() =>
    z.object({ accountId, nodeId: id, kind: z.enum(['opened', 'seen']) }),
  ),
  /** Ids of the notebook's pages someone else changed since the user last opened or saw them. */
  'interaction.unread': command<string[]>()(() => z.object({ accountId, notebookId: id })),
} as const satisfies Record<string, CommandSpec<z.ZodType, unknown>>;

export const interactionEvents = {
  /**
   * Whether these pages are unread may have changed (the user marked them here or on another device, someone
   * else changed them): reload `interaction.unread`. `origin: 'local'` is a mark the outbox must send.
   */
  'interaction.changed': event<{
    accountId: string;
    notebookId: string;
    nodeIds: string[];
    origin: 'local' | 'sync';
  }>(),
} as const satisfies Record<string, EventSpec<unknown>>;
