import * as z from 'zod';
import { command, type CommandSpec } from './define';
import { accountId, id } from './schemas';

/** Emoji reactions on nodes. */

/** One emoji on a node: how many people chose it, and whether the user is one of them. */
export interface ReactionView {
  reaction: string;
  count: number;
  mine: boolean;
}

export const reactionCommands = {
  'reaction.list': command<ReactionView[]>()(() => z.object({ accountId, nodeId: id })),
  /** Adds (`on: true`) or removes the user's reaction; saved at once, sent to the server by the outbox. */
  'reaction.set': command<ReactionView[]>()(() =>
    z.object({ accountId, nodeId: id, reaction: z.string().trim().min(1).max(64), on: z.boolean() }),
  ),
} as const satisfies Record<string, CommandSpec<z.ZodType, unknown>>;
