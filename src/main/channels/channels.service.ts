import type * as Y from 'yjs';
import type { ChannelView, MessagePageView, MessageView } from '../../shared/contract';
import type { TiptapDoc } from '../../shared/crdt/document';
import { jsonDepth } from '../../shared/lib/json-depth';
import { AppError, ErrorCode, badRequest, notFound } from '../../shared/lib/result';
import { NodeAction, canOnNode } from '../../shared/model/permissions';
import type { NodeRole } from '../../shared/model/roles';
import { documentConversion } from '../documents/conversion';
import type { DocumentsService } from '../documents/documents.service';
import { isoNow, type Clock } from '../lib/clock';
import { isEvent, type EventBus } from '../lib/events';
import type { NodesService } from '../nodes/nodes.service';
import type { ReactionsService } from '../reactions/reactions.service';
import type { Replica } from '../replica/replica';
import { ChannelsRepository, type MessageRow } from './channels.repository';

/** What a message may hold: more is refused with a readable answer, never cut. */
export const MAX_MESSAGE_CHARACTERS = 100_000;
const MAX_MESSAGE_DEPTH = 48;

export interface ChannelsServiceDeps {
  replica: Replica;
  events: EventBus;
  clock: Clock;
  nodes: Pick<NodesService, 'get' | 'create' | 'editAttributes' | 'purge' | 'roleOn'>;
  documents: Pick<DocumentsService, 'applyLocalChange' | 'content' | 'reloadFromStoredUpdates'>;
  reactions: Pick<ReactionsService, 'list'>;
  /** A server account: messages not yet confirmed are shown as sending (the Local account has no server). */
  synced: boolean;
}

/**
 * Channels and their messages (docs/decisions/0012). A message is a `message` node under its channel, its
 * text the node's document, so sending is one local transaction (node create + document update + their
 * outbox mutations) that the outbox delivers in order once online, and a message arrives through the same
 * streams as a page. Who may post, edit and delete is the shared permission table's answer.
 */
export class ChannelsService {
  private readonly channels: ChannelsRepository;
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: ChannelsServiceDeps) {
    this.channels = new ChannelsRepository(deps.replica.db);
    this.unsubscribe = deps.events.on((event) => {
      if (isEvent(event, 'node.changed') && event.payload.accountId === deps.replica.accountId)
        this.announce(event.payload.nodeIds);
    });
  }

  close(): void {
    this.unsubscribe();
  }

  /** A document changed elsewhere (its update committed): the channel of a message redraws it. */
  documentChanged(documentId: string): void {
    this.announce([documentId]);
  }

  get(channelId: string): ChannelView {
    const node = this.channel(channelId);
    const { userId } = this.deps.replica;
    const role = this.deps.nodes.roleOn(channelId);
    return {
      node,
      readAt: this.channels.readMark(channelId, userId),
      unread:
        this.channels.unreadPerChannel(node.notebookId, userId).find((c) => c.channelId === channelId)
          ?.unread ?? 0,
      messageCount: this.channels.count(node.notebookId, channelId),
      can: {
        post: this.allowed(role, NodeAction.createChild, 'message', ''),
        rename: this.allowed(role, NodeAction.update, 'channel', ''),
      },
    };
  }

  async messages(channelId: string, beforeId: string | undefined, limit: number): Promise<MessagePageView> {
    const channel = this.channel(channelId);
    let before: { index: string; id: string } | null = null;
    if (beforeId !== undefined) {
      const row = this.channels.message(beforeId);
      if (!row || row.parentId !== channelId) throw notFound('Message', beforeId);
      before = { index: row.index, id: row.id };
    }
    const rows = this.channels.newest(channel.notebookId, channelId, before, limit + 1);
    const page = rows.slice(0, limit).reverse();
    return { messages: await this.views(channelId, page), hasMore: rows.length > limit };
  }

  unread(notebookId: string): Record<string, number> {
    return Object.fromEntries(
      this.channels
        .unreadPerChannel(notebookId, this.deps.replica.userId)
        .map(({ channelId, unread }) => [channelId, unread]),
    );
  }

  async send(channelId: string, body: unknown): Promise<MessageView> {
    const channel = this.channel(channelId);
    if (channel.trashedAt !== null)
      throw badRequest('This channel is in the trash', [{ path: 'channelId', message: 'in the trash' }]);
    this.require(channelId, NodeAction.createChild, '');
    const { writeDocument, content } = await this.prepare(body);
    let messageId: string | null = null;
    try {
      this.deps.replica.db.transaction(() => {
        const message = this.deps.nodes.create({
          notebookId: channel.notebookId,
          type: 'message',
          parentId: channelId,
          name: '',
        });
        messageId = message.id;
        this.deps.documents.applyLocalChange(message.id, (doc) => writeDocument(doc, content), null);
      })();
    } catch (error) {
      this.rolledBack(messageId);
      throw error;
    }
    return this.message(messageId!);
  }

  async edit(messageId: string, body: unknown): Promise<MessageView> {
    const row = this.requireMessage(messageId);
    this.require(row.parentId, NodeAction.update, row.createdBy ?? '');
    const { writeDocument, content } = await this.prepare(body);
    const now = isoNow(this.deps.clock);
    try {
      this.deps.replica.db.transaction(() => {
        this.deps.documents.applyLocalChange(messageId, (doc) => writeDocument(doc, content), null);
        this.deps.nodes.editAttributes(messageId, (attributes) => ({ ...attributes, editedAt: now }));
      })();
    } catch (error) {
      this.rolledBack(messageId);
      throw error;
    }
    return this.message(messageId);
  }

  delete(messageId: string): null {
    const row = this.requireMessage(messageId);
    this.require(row.parentId, NodeAction.delete, row.createdBy ?? '');
    this.deps.nodes.purge(messageId);
    this.emit(row.notebookId, row.parentId);
    return null;
  }

  private async message(messageId: string): Promise<MessageView> {
    const row = this.requireMessage(messageId);
    const [view] = await this.views(row.parentId, [row]);
    return view!;
  }

  private async views(channelId: string, rows: readonly MessageRow[]): Promise<MessageView[]> {
    if (rows.length === 0) return [];
    const { userId } = this.deps.replica;
    const role = this.deps.nodes.roleOn(channelId);
    const ids = rows.map((r) => r.id);
    const names = this.channels.names([...new Set(rows.flatMap((r) => r.createdBy ?? []))]);
    const delivery = this.deps.synced
      ? this.channels.delivery(ids)
      : new Map<string, 'sending' | 'refused'>();
    const views: MessageView[] = [];
    for (const row of rows) {
      const author = row.createdBy ?? '';
      views.push({
        id: row.id,
        channelId,
        authorId: row.createdBy,
        authorName: author === userId ? 'You' : (names.get(author) ?? 'Someone'),
        mine: author === userId,
        createdAt: row.createdAt,
        editedAt: editedAt(row.attributes),
        content: await this.content(row),
        delivery: delivery.get(row.id) ?? 'sent',
        reactions: this.deps.reactions.list(row.id),
        can: {
          edit: this.allowed(role, NodeAction.update, 'message', author),
          delete: this.allowed(role, NodeAction.delete, 'message', author),
        },
      });
    }
    return views;
  }

  /** The stored JSON, or — changed since it was materialised — the document read from its Yjs rows. */
  private async content(row: MessageRow): Promise<TiptapDoc> {
    if (row.content !== null && row.contentStale === 0) {
      try {
        return JSON.parse(row.content) as TiptapDoc;
      } catch {
        // rebuilt below from the Yjs rows
      }
    }
    try {
      return await this.deps.documents.content(row.id);
    } catch {
      return { type: 'doc', content: [] };
    }
  }

  /** The body as the editor schema reads it, refused (400) when empty, too long or too deep. */
  private async prepare(body: unknown): Promise<{
    writeDocument: (doc: Y.Doc, content: TiptapDoc) => Uint8Array;
    content: TiptapDoc;
  }> {
    if (jsonDepth(body, MAX_MESSAGE_DEPTH + 2) > MAX_MESSAGE_DEPTH)
      throw badRequest('The message is nested too deeply', [{ path: 'body', message: 'too deep' }]);
    const { normalizeDocument, documentText, writeDocument } = await documentConversion();
    const content = normalizeDocument(body);
    const text = documentText(content);
    if (text.trim() === '')
      throw badRequest('Nothing to send: the message is empty', [{ path: 'body', message: 'empty' }]);
    if (text.length > MAX_MESSAGE_CHARACTERS)
      throw badRequest(
        `A message can hold at most ${MAX_MESSAGE_CHARACTERS.toLocaleString('en')} characters (this one has ${text.length.toLocaleString('en')}): split it, or put it in a page`,
        [{ path: 'body', message: 'too long' }],
      );
    return { writeDocument, content };
  }

  /** Main's copy of a document may hold a rolled-back update: rebuilt from the stored rows. */
  private rolledBack(messageId: string | null): void {
    if (messageId === null) return;
    try {
      this.deps.documents.reloadFromStoredUpdates(messageId, isoNow(this.deps.clock));
    } catch {
      // the message itself was rolled back: nothing to reload
    }
  }

  private channel(channelId: string) {
    const node = this.deps.nodes.get(channelId);
    if (node.type !== 'channel') throw notFound('Channel', channelId);
    return node;
  }

  private requireMessage(messageId: string): MessageRow & { parentId: string } {
    const row = this.channels.message(messageId);
    if (!row?.parentId) throw notFound('Message', messageId);
    return row;
  }

  private allowed(
    role: NodeRole | null,
    action: NodeAction,
    type: 'channel' | 'message',
    createdBy: string,
  ): boolean {
    return canOnNode(role, this.deps.replica.userId, { type, createdBy }, action).allowed;
  }

  /** `createdBy`: the message's author ('' for a new one); posting is checked on the channel's role. */
  private require(channelId: string, action: NodeAction, createdBy: string): void {
    if (!this.allowed(this.deps.nodes.roleOn(channelId), action, 'message', createdBy))
      throw new AppError(
        ErrorCode.forbidden,
        action === NodeAction.createChild
          ? 'You can read this channel but not post in it'
          : 'Only its author or a channel admin can change this message',
        [],
      );
  }

  private announce(nodeIds: readonly string[]): void {
    const channels = new Map<string, string>();
    for (const nodeId of nodeIds) {
      const found = this.channels.channelOf(nodeId);
      if (found) channels.set(found.channelId, found.notebookId);
    }
    for (const [channelId, notebookId] of channels) this.emit(notebookId, channelId);
  }

  private emit(notebookId: string, channelId: string): void {
    this.deps.events.emit('channel.changed', {
      accountId: this.deps.replica.accountId,
      notebookId,
      channelId,
    });
  }
}

function editedAt(attributes: string): string | null {
  try {
    const value = (JSON.parse(attributes) as { editedAt?: unknown }).editedAt;
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}
