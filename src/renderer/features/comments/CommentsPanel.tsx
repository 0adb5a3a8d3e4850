import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { CommentAnchorInput } from '../../../shared/api/comments';
import type { CommentThreadView, CommentView, MemberView } from '../../../shared/contract';
import type { Result } from '../../../shared/lib/result';
import { useApi } from '../../lib/client';
import { shortcutLabel } from '../../lib/platform';
import { EmptyState } from '../../ui/empty-state';
import { Icon } from '../../ui/icons';
import { useToasts } from '../../ui/toast';
import { entryTime } from '../sync/outbox-entry';
import { Composer } from './Composer';
import { mentionParts } from './mentions';
import { ReanchorControl } from './ReanchorControl';
import type { AnchorPlaces } from './use-comments';
import './comments.css';

type TextRange = Extract<CommentAnchorInput, { type: 'text-range' }>;

export interface CommentsPanelProps {
  accountId: string;
  nodeId: string;
  threads: readonly CommentThreadView[] | undefined;
  /** Where each anchored thread is in the page now (null: its text is gone). */
  places: AnchorPlaces;
  /** The permission table lets the user comment here: otherwise nothing that writes is offered. */
  canComment: boolean;
  /** The notebook's members (for @mentions; empty on the Local account). */
  members: readonly MemberView[];
  /** The user may moderate the page's comments (move or delete others' threads). */
  canModerate: boolean;
  /** The page's current selection as an anchor, for re-anchoring a detached thread. */
  selectionAnchor(): TextRange | null;
  /** A new thread on this selection is being written. */
  draft: TextRange | null;
  onDraftDone(): void;
  active: string | null;
  onActivate(threadId: string | null): void;
  onClose(): void;
}

const authorName = (comment: CommentView): string =>
  comment.mine ? 'You' : comment.createdByName || 'Someone';

/** A comment's text with mentions of the notebook's members marked (one of the user: `me`). */
function CommentText({ content, members }: { content: string; members: readonly MemberView[] }) {
  return (
    <p className="comment-text">
      {mentionParts(content, members).map((part, index) =>
        'member' in part ? (
          <span
            key={index}
            className={`comment-mention${part.member.isMe ? ' me' : ''}`}
            title={part.member.name || part.member.username}
          >
            {part.text}
          </span>
        ) : (
          part.text
        ),
      )}
    </p>
  );
}

function CommentBody(props: {
  comment: CommentView;
  members: readonly MemberView[];
  editing: boolean;
  onEdit(text: string): Promise<boolean>;
  onStopEditing(): void;
}) {
  const { comment } = props;
  return (
    <div className="comment">
      <div className="comment-meta">
        <span className="comment-author">{authorName(comment)}</span>
        <time dateTime={comment.createdAt}>{entryTime(comment.createdAt)}</time>
        {comment.pending ? <span className="comment-state">Sending…</span> : null}
      </div>
      {props.editing ? (
        <Composer
          label="Edit comment"
          submitLabel="Save"
          initial={comment.content}
          members={props.members.filter((m) => !m.isMe)}
          onSubmit={async (text) => {
            const ok = await props.onEdit(text);
            if (ok) props.onStopEditing();
            return ok;
          }}
          onCancel={props.onStopEditing}
        />
      ) : (
        <CommentText content={comment.content} members={props.members} />
      )}
      {comment.refused ? (
        <p className="comment-refused" role="alert">
          <Icon name="alert" size={13} /> Not accepted by the server: {comment.refused}. Kept here as written.
        </p>
      ) : null}
    </div>
  );
}

/**
 * The comments side panel of a page: its threads in document order (open or resolved), each with the text it
 * is about, replies, and — where the role allows — reply, resolve/reopen and, on one's own, edit and delete.
 * Everything is offline-first (main keeps it and sends it later); what the server refused is shown.
 */
export function CommentsPanel(props: CommentsPanelProps) {
  const { accountId, nodeId, threads, places, canComment } = props;
  const api = useApi();
  const { check } = useToasts();
  const [filter, setFilter] = useState<'open' | 'resolved'>('open');
  const [editing, setEditing] = useState<string | null>(null);
  const [replying, setReplying] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const base = { accountId, nodeId };
  const others = useMemo(() => props.members.filter((m) => !m.isMe), [props.members]);
  const run = async (result: Promise<Result<unknown>>, doing: string): Promise<boolean> =>
    check(await result, doing) !== undefined;

  const sorted = useMemo(() => {
    const at = (t: CommentThreadView): number => {
      const place = places.get(t.id);
      return place === undefined || place === null ? Number.MAX_SAFE_INTEGER : place;
    };
    return [...(threads ?? [])].sort((a, b) => at(a) - at(b) || a.createdAt.localeCompare(b.createdAt));
  }, [threads, places]);
  const open = sorted.filter((t) => t.resolvedAt === null);
  const resolved = sorted.filter((t) => t.resolvedAt !== null);
  const shown = filter === 'open' ? open : resolved;

  // Opened: the focus goes into the panel (a composer that took it keeps it), so Esc closes it from there.
  const root = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!root.current?.contains(document.activeElement)) root.current?.focus();
  }, []);
  const onKeyDown = (event: KeyboardEvent<HTMLElement>): void => {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      props.onClose();
    }
  };

  return (
    <aside ref={root} className="comments-panel" aria-label="Comments" tabIndex={-1} onKeyDown={onKeyDown}>
      <header className="comments-header">
        <h2>Comments</h2>
        <button type="button" className="icon-button" aria-label="Close comments" onClick={props.onClose}>
          <Icon name="close" size={16} />
        </button>
      </header>
      <div className="comments-filter" role="group" aria-label="Show">
        {(['open', 'resolved'] as const).map((kind) => (
          <button
            key={kind}
            type="button"
            className={filter === kind ? 'active' : ''}
            aria-pressed={filter === kind}
            onClick={() => setFilter(kind)}
          >
            {kind === 'open' ? `Open (${open.length})` : `Resolved (${resolved.length})`}
          </button>
        ))}
      </div>
      {props.draft && canComment ? (
        <div className="comment-thread new">
          <blockquote className="comment-quote">{props.draft.quote}</blockquote>
          <Composer
            label="New comment"
            submitLabel="Comment"
            members={others}
            onSubmit={async (content) => {
              const ok = await run(
                api.invoke('comment.create', { ...base, content, anchor: props.draft! }),
                'Commenting',
              );
              if (ok) {
                setFilter('open');
                props.onDraftDone();
              }
              return ok;
            }}
            onCancel={props.onDraftDone}
          />
        </div>
      ) : null}
      {!canComment ? (
        <p className="comments-note">Your role on this page lets you read comments, not write them.</p>
      ) : null}
      {threads === undefined ? null : shown.length === 0 && !props.draft ? (
        <EmptyState icon="message" title={filter === 'open' ? 'No open comments' : 'No resolved comments'}>
          {filter === 'open' && canComment
            ? `Select text in the page, then press ${shortcutLabel('Mod+Alt+M')} to comment on it.`
            : null}
        </EmptyState>
      ) : (
        <ol className="comment-threads" aria-label={filter === 'open' ? 'Open threads' : 'Resolved threads'}>
          {shown.map((thread) => {
            const orphaned = places.get(thread.id) === null || thread.anchorStatus === 'orphaned';
            const quote = thread.anchor?.type === 'text-range' ? thread.anchor.quote : undefined;
            return (
              <li
                key={thread.id}
                className={`comment-thread${props.active === thread.id ? ' active' : ''}`}
                aria-label={`Thread by ${authorName(thread)}`}
              >
                {quote !== undefined && !orphaned ? (
                  <button
                    type="button"
                    className="comment-quote"
                    title="Show in the page"
                    onClick={() => props.onActivate(thread.id)}
                  >
                    {quote}
                  </button>
                ) : quote !== undefined ? (
                  <blockquote className="comment-quote orphaned">{quote}</blockquote>
                ) : null}
                {orphaned ? <p className="comments-note">The commented text was deleted.</p> : null}
                {orphaned && canComment && (thread.mine || props.canModerate) ? (
                  <ReanchorControl
                    accountId={accountId}
                    nodeId={nodeId}
                    threadId={thread.id}
                    selectionAnchor={props.selectionAnchor}
                    run={run}
                  />
                ) : null}
                {[thread, ...thread.replies].map((comment) => (
                  <div key={comment.id} className="comment-item">
                    <CommentBody
                      comment={comment}
                      members={props.members}
                      editing={editing === comment.id}
                      onEdit={(content) =>
                        run(
                          api.invoke('comment.edit', { ...base, commentId: comment.id, content }),
                          'Editing',
                        )
                      }
                      onStopEditing={() => setEditing(null)}
                    />
                    {comment.mine && canComment && editing !== comment.id ? (
                      deleting === comment.id ? (
                        <div className="comment-actions" role="group" aria-label="Confirm delete">
                          <span>{comment === thread ? 'Delete the thread and its replies?' : 'Delete?'}</span>
                          <button type="button" className="button small" onClick={() => setDeleting(null)}>
                            Keep
                          </button>
                          <button
                            type="button"
                            className="button small danger"
                            onClick={() =>
                              void run(
                                api.invoke('comment.delete', { ...base, commentId: comment.id }),
                                'Deleting',
                              ).then(() => setDeleting(null))
                            }
                          >
                            Delete
                          </button>
                        </div>
                      ) : (
                        <div className="comment-actions">
                          <button
                            type="button"
                            className="link-button"
                            onClick={() => setEditing(comment.id)}
                          >
                            Edit
                          </button>
                          <button
                            type="button"
                            className="link-button"
                            onClick={() => setDeleting(comment.id)}
                          >
                            Delete
                          </button>
                        </div>
                      )
                    ) : null}
                  </div>
                ))}
                {canComment ? (
                  replying === thread.id ? (
                    <Composer
                      label={`Reply to ${authorName(thread)}`}
                      submitLabel="Reply"
                      members={others}
                      onSubmit={async (content) => {
                        const ok = await run(
                          api.invoke('comment.create', { ...base, content, parentId: thread.id }),
                          'Replying',
                        );
                        if (ok) setReplying(null);
                        return ok;
                      }}
                      onCancel={() => setReplying(null)}
                    />
                  ) : (
                    <div className="comment-actions thread-actions">
                      <button type="button" className="button small" onClick={() => setReplying(thread.id)}>
                        Reply
                      </button>
                      <button
                        type="button"
                        className="button small"
                        onClick={() =>
                          void run(
                            api.invoke(thread.resolvedAt === null ? 'comment.resolve' : 'comment.reopen', {
                              ...base,
                              commentId: thread.id,
                            }),
                            thread.resolvedAt === null ? 'Resolving' : 'Reopening',
                          )
                        }
                      >
                        {thread.resolvedAt === null ? (
                          <>
                            <Icon name="check" size={13} /> Resolve
                          </>
                        ) : (
                          'Reopen'
                        )}
                      </button>
                    </div>
                  )
                ) : null}
              </li>
            );
          })}
        </ol>
      )}
    </aside>
  );
}
