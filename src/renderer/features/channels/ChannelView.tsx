import { useEffect, useMemo, useRef, useState } from 'react';
import type { MessageView, NodeView } from '../../../shared/contract';
import { fromMarkdown } from '../../../shared/markdown/from-markdown';
import { toMarkdown } from '../../../shared/markdown/to-markdown';
import { useApi } from '../../lib/client';
import { useLiveQuery } from '../../lib/live-query';
import { Icon } from '../../ui/icons';
import { useToasts } from '../../ui/toast';
import { ReactionPicker } from '../reactions/ReactionPicker';
import { displayName } from '../sidebar/tree-model';
import { MessageContent } from './MessageContent';
import './channels.css';

export interface ChannelViewProps {
  accountId: string;
  node: NodeView;
  path: readonly NodeView[];
}

const PAGE = 50;
const time = (iso: string): string => {
  const date = new Date(iso);
  const today = new Date().toDateString() === date.toDateString();
  return today
    ? date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
};

/**
 * A channel: its messages (newest at the bottom, older ones on request), arriving live, and a composer that
 * takes Markdown (Enter sends, Shift+Enter breaks the line, ↑ in an empty box edits one's last message, Esc
 * cancels an edit). Sending works offline: the message is saved at once and shown as sending. Only what the
 * permission table allows is offered.
 */
export function ChannelView({ accountId, node, path }: ChannelViewProps) {
  const api = useApi();
  const { check } = useToasts();
  const channelId = node.id;
  const [limit, setLimit] = useState(PAGE);
  const shown = useRef<ReadonlySet<string>>(new Set());
  const channel = useLiveQuery(
    `${accountId}/${channelId}`,
    (a) => a.invoke('channel.get', { accountId, channelId }),
    (a, refresh) =>
      a.subscribe('channel.changed', (event) => {
        if (event.accountId === accountId && event.channelId === channelId) refresh();
      }),
  );
  const messages = useLiveQuery(
    `${accountId}/${channelId}/${limit}`,
    (a) => a.invoke('channel.messages', { accountId, channelId, limit }),
    (a, refresh) => {
      const offs = [
        a.subscribe('channel.changed', (event) => {
          if (event.accountId === accountId && event.channelId === channelId) refresh();
        }),
        // A message deleted here or elsewhere is gone from the replica: its id is all the event says.
        a.subscribe('node.changed', (event) => {
          if (event.accountId === accountId && event.nodeIds.some((id) => shown.current.has(id))) refresh();
        }),
      ];
      return () => offs.forEach((off) => off());
    },
  );
  const list = useMemo(() => messages.data?.messages ?? [], [messages.data]);
  useEffect(() => {
    shown.current = new Set(list.map((m) => m.id));
  }, [list]);

  // The "new messages" line: above the first message someone else wrote since the user last read the channel,
  // as it stood when the channel opened (it stays there while they read; what arrives meanwhile is seen).
  const [firstUnread, setFirstUnread] = useState<string | null | undefined>(undefined);
  if (firstUnread === undefined && channel.data && messages.data) {
    const readAt = channel.data.readAt;
    setFirstUnread(messages.data.messages.find((m) => !m.mine && m.createdAt > readAt)?.id ?? null);
  }

  // Opening the channel reads it; so does each message arriving while it is open.
  const newest = list.at(-1)?.id;
  useEffect(() => {
    void api.invoke('interaction.mark', { accountId, nodeId: channelId, kind: 'opened' });
  }, [api, accountId, channelId]);
  useEffect(() => {
    if (newest) void api.invoke('interaction.mark', { accountId, nodeId: channelId, kind: 'seen' });
  }, [api, accountId, channelId, newest]);

  // Keep the newest message in view as messages arrive (unless older ones were just loaded above).
  const logRef = useRef<HTMLDivElement>(null);
  const loadingOlder = useRef(false);
  useEffect(() => {
    const log = logRef.current;
    if (!log || loadingOlder.current) {
      loadingOlder.current = false;
      return;
    }
    log.scrollTop = log.scrollHeight;
  }, [newest, list.length]);

  const [draft, setDraft] = useState('');
  const [editing, setEditing] = useState<MessageView | null>(null);
  const composer = useRef<HTMLTextAreaElement>(null);

  const submit = async (): Promise<void> => {
    const text = draft.trim();
    if (text === '') return;
    const doc = fromMarkdown(text);
    const body = {
      type: 'doc' as const,
      content: (doc.content ?? []) as unknown as Record<string, unknown>[],
    };
    const result = editing
      ? await api.invoke('message.edit', { accountId, messageId: editing.id, body })
      : await api.invoke('message.send', { accountId, channelId, body });
    check(result, editing ? 'edit the message' : 'send the message');
    if (!result.ok) return;
    setDraft('');
    setEditing(null);
    messages.reload();
  };

  const startEdit = (message: MessageView): void => {
    setEditing(message);
    setDraft(toMarkdown(message.content).trim());
    composer.current?.focus();
  };

  const remove = async (message: MessageView): Promise<void> => {
    const result = await api.invoke('message.delete', { accountId, messageId: message.id });
    check(result, 'delete the message');
    if (result.ok) messages.reload();
    composer.current?.focus();
  };

  const name = displayName(node);
  const can = channel.data?.can;
  return (
    <article className="page-view channel-view" aria-label={name}>
      <header className="page-header">
        <nav className="breadcrumb" aria-label="Location">
          {path.map((ancestor) => (
            <span key={ancestor.id} className="crumb" title={displayName(ancestor)}>
              <span className="crumb-name">{displayName(ancestor)}</span>
              <Icon name="chevronRight" size={12} className="crumb-separator" />
            </span>
          ))}
          <span className="crumb current" title={name}>
            <span className="crumb-name"># {name}</span>
          </span>
        </nav>
      </header>
      <div className="channel-head">
        <h1 className="channel-title" title={name}>
          <span aria-hidden="true"># </span>
          {name}
        </h1>
        <p className="channel-meta">
          {channel.data ? `${channel.data.messageCount.toLocaleString()} messages` : ''}
        </p>
      </div>
      <div className="channel-log" ref={logRef} role="log" aria-label={`Messages in ${name}`}>
        {messages.data?.hasMore ? (
          <button
            type="button"
            className="button channel-older"
            onClick={() => {
              loadingOlder.current = true;
              setLimit((n) => n + PAGE);
            }}
          >
            Load older messages
          </button>
        ) : null}
        {messages.data && list.length === 0 ? (
          <div className="channel-empty">
            <Icon name="message" size={28} />
            <p className="channel-empty-title">No messages yet</p>
            <p>{can?.post ? 'Start the conversation: write below.' : 'Nothing has been said here yet.'}</p>
          </div>
        ) : null}
        {list.map((message) => (
          <Message
            key={message.id}
            message={message}
            accountId={accountId}
            unreadLine={message.id === firstUnread}
            editing={editing?.id === message.id}
            onEdit={() => startEdit(message)}
            onDelete={() => void remove(message)}
          />
        ))}
      </div>
      {can && !can.post ? (
        <p className="channel-readonly" role="note">
          You can read this channel but not post in it.
        </p>
      ) : (
        <form
          className="channel-composer"
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          {editing ? (
            <p className="channel-editing">
              Editing your message · <kbd>Esc</kbd> to cancel
            </p>
          ) : null}
          <div className="channel-compose-row">
            <textarea
              ref={composer}
              className="channel-input"
              aria-label={editing ? 'Edit message' : `Message #${name}`}
              placeholder="Write a message (Markdown: **bold**, `code`, - lists). Enter sends, Shift+Enter adds a line"
              title="Enter sends, Shift+Enter adds a line, ↑ edits your last message"
              rows={Math.min(8, Math.max(1, draft.split('\n').length))}
              value={draft}
              onChange={(event) => setDraft(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
                  event.preventDefault();
                  void submit();
                } else if (event.key === 'Escape' && editing) {
                  event.preventDefault();
                  setEditing(null);
                  setDraft('');
                } else if (event.key === 'ArrowUp' && draft === '') {
                  const last = [...list].reverse().find((m) => m.can.edit && m.mine);
                  if (last) {
                    event.preventDefault();
                    startEdit(last);
                  }
                }
              }}
            />
            <button type="submit" className="button primary" disabled={draft.trim() === ''}>
              {editing ? 'Save' : 'Send'}
            </button>
          </div>
        </form>
      )}
    </article>
  );
}

interface MessageProps {
  message: MessageView;
  accountId: string;
  unreadLine: boolean;
  editing: boolean;
  onEdit(): void;
  onDelete(): void;
}

function Message({ message, accountId, unreadLine, editing, onEdit, onDelete }: MessageProps) {
  const api = useApi();
  const label = `${message.authorName}, ${time(message.createdAt)}`;
  const react = (reaction: string, on: boolean): void => {
    void api.invoke('reaction.set', { accountId, nodeId: message.id, reaction, on });
  };
  return (
    <>
      {unreadLine ? (
        <div className="channel-unread-line" role="separator" aria-label="New messages">
          <span>New messages</span>
        </div>
      ) : null}
      <article
        className={`message${message.mine ? ' mine' : ''}${editing ? ' editing' : ''}`}
        aria-label={label}
      >
        <header className="message-header">
          <span className="message-author" title={message.authorName}>
            {message.authorName}
          </span>
          <time className="message-time" dateTime={message.createdAt}>
            {time(message.createdAt)}
          </time>
          {message.editedAt ? (
            <span className="message-edited" title={`Edited ${time(message.editedAt)}`}>
              (edited)
            </span>
          ) : null}
          {message.delivery === 'sending' ? <span className="message-state">Sending…</span> : null}
          {message.delivery === 'refused' ? (
            <span className="message-state refused">Not sent: refused by the server (see Sync)</span>
          ) : null}
          <span className="message-actions">
            <ReactionPicker
              label={`Add reaction to ${label}`}
              isMine={(reaction) => message.reactions.some((r) => r.reaction === reaction && r.mine)}
              onToggle={react}
            />
            {message.can.edit ? (
              <button type="button" className="icon-button" aria-label={`Edit ${label}`} onClick={onEdit}>
                <Icon name="pencil" size={14} />
              </button>
            ) : null}
            {message.can.delete ? (
              <button type="button" className="icon-button" aria-label={`Delete ${label}`} onClick={onDelete}>
                <Icon name="trash" size={14} />
              </button>
            ) : null}
          </span>
        </header>
        <MessageContent doc={message.content} />
        {message.reactions.length > 0 ? (
          <div className="message-reactions" role="group" aria-label="Reactions">
            {message.reactions.map((r) => (
              <button
                key={r.reaction}
                type="button"
                className={`reaction-chip${r.mine ? ' mine' : ''}`}
                aria-pressed={r.mine}
                aria-label={`${r.reaction} ${r.count}`}
                onClick={() => react(r.reaction, !r.mine)}
              >
                {r.reaction} {r.count}
              </button>
            ))}
          </div>
        ) : null}
      </article>
    </>
  );
}
