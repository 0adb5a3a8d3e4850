import * as z from 'zod';
import type { TiptapDoc } from '../crdt/document';
import { command, event, type CommandSpec, type EventSpec } from './define';
import type { NodeView } from './nodes';
import type { ReactionView } from './reactions';
import { accountId, id } from './schemas';

/** Channels: a team's chat beside the pages. Each message is a `message` node under its channel, its text a document. */

export interface MessageView {
  id: string;
  channelId: string;
  authorId: string | null;
  /** The author as the notebook's members list names them ("You" for this user). */
  authorName: string;
  mine: boolean;
  createdAt: string;
  /** When its text was last changed after it was sent (null: never). */
  editedAt: string | null;
  content: TiptapDoc;
  /** `sending`: saved here, not yet confirmed by the server; `refused`: the server refused it (Sync panel). */
  delivery: 'sent' | 'sending' | 'refused';
  reactions: ReactionView[];
  /** What the permission table lets this user do with it. */
  can: { edit: boolean; delete: boolean };
}

export interface ChannelView {
  node: NodeView;
  /** The user's last read mark of the channel ('' when never): the "new messages" line goes after it. */
  readAt: string;
  unread: number;
  messageCount: number;
  /** What this user may do here (the permission table). */
  can: { post: boolean; rename: boolean };
}

export interface MessagePageView {
  /** Oldest first. */
  messages: MessageView[];
  /** Older messages exist before the first one. */
  hasMore: boolean;
}

/** A message's text: TipTap JSON (the renderer turns what is typed, Markdown, into it). */
const body = z.object({
  type: z.literal('doc'),
  content: z.array(z.record(z.string(), z.unknown())).min(1).max(2_000),
});

export const channelCommands = {
  'channel.get': command<ChannelView>()(() => z.object({ accountId, channelId: id })),
  /** The newest `limit` messages before the message `before` (the newest of all without it), oldest first. */
  'channel.messages': command<MessagePageView>()(() =>
    z.object({
      accountId,
      channelId: id,
      before: id.optional(),
      limit: z.number().int().min(1).max(500).default(50),
    }),
  ),
  /** Unread messages per channel of the notebook (channels with none are left out). */
  'channel.unread': command<Record<string, number>>()(() => z.object({ accountId, notebookId: id })),
  /** Posts a message: saved here at once (offline too), sent in order by the outbox. */
  'message.send': command<MessageView>()(() => z.object({ accountId, channelId: id, body })),
  /** Replaces the text of one's own message (or any, for a channel admin). */
  'message.edit': command<MessageView>()(() => z.object({ accountId, messageId: id, body })),
  /** Deletes a message for everyone (one's own, or any for a channel admin). */
  'message.delete': command<null>()(() => z.object({ accountId, messageId: id })),
} as const satisfies Record<string, CommandSpec<z.ZodType, unknown>>;

export const channelEvents = {
  /** Messages of the channel were added, changed, reacted to or deleted (here, on another device or by others). */
  'channel.changed': event<{ accountId: string; notebookId: string; channelId: string }>(),
} as const satisfies Record<string, EventSpec<unknown>>;
