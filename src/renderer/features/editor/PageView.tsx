import type { Editor } from '@tiptap/react';
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { flushSync } from 'react-dom';
import type { MemberView, NodeView } from '../../../shared/contract';
import type { SearchTerm } from '../../../shared/search/terms';
import { fileUrl } from '../../api';
import { useApi, useConnectionState } from '../../lib/client';
import { useLatest } from '../../lib/latest';
import type { FileContext } from '../files/file-context';
import { OPEN_FILE_PICKER_EVENT, openFilePicker } from '../files/file-picker';
import { shortcutLabel } from '../../lib/platform';
import { anchorOfSelection } from '../comments/comment-anchors';
import { CommentsPanel } from '../comments/CommentsPanel';
import { OPEN_COMMENTS_EVENT } from '../comments/open-comments';
import { useCommentAnchors, useComments } from '../comments/use-comments';
import { useMembers } from '../sharing/use-members';
import { HistoryPanel } from '../history/HistoryPanel';
import { OPEN_HISTORY_EVENT } from '../history/open-history';
import { usePageExport } from '../export/use-page-export';
import { applyKey, typeAhead as pendingTypeAhead } from '../../lib/type-ahead';
import { Icon } from '../../ui/icons';
import { Menu, menuBelow } from '../../ui/menu';
import type { NodeActions } from '../nodes/use-node-actions';
import type { Access } from '../sharing/use-access';
import { ViewOnlyNotice } from '../sharing/ViewOnlyNotice';
import { usePageRefusals } from '../sync/use-page-refusals';
import { ReactionBar } from '../reactions/ReactionBar';
import { displayName } from '../sidebar/tree-model';
import { DocumentEditor } from './DocumentEditor';
import { FindBar, type FindRequest } from './FindBar';
import { OPEN_FIND_EVENT, selectedText } from './open-find';
import { focusEditorNow, typeText } from './focus';
import { PageTitle, type PageTitleHandle } from './PageTitle';
import { PresenceChannel } from './presence';
import { SaveIndicator } from './SaveIndicator';
import { useDocumentSession } from './use-document-session';
import { ViewerList } from './ViewerList';

export interface PageViewProps {
  accountId: string;
  node: NodeView;
  /** Section and parent pages above this page, outermost first. */
  path: readonly NodeView[];
  actions: NodeActions;
  /** What the user's role allows here: what it does not is not offered. */
  access: Access;
  /** Opens the Share dialog (offered when the role may manage who has access). */
  onShare(): void;
  /** Opened from a search: its matches are highlighted and the first one scrolled to. */
  found?: { query: string; terms: readonly SearchTerm[] } | undefined;
  /** Shown between the title and the document (a record's fields). */
  aboveDocument?: ReactNode;
}

/** One page: breadcrumb, save state, title and the live document editor. */
/** The Local account has no members to mention (one array: the panel's memo stays valid). */
const NO_MEMBERS: readonly MemberView[] = [];

export function PageView(props: PageViewProps) {
  const { accountId, node, path, actions, access, found, aboveDocument } = props;
  const canEdit = access.canOn(node, 'edit');
  const canDelete = access.canOn(node, 'delete');
  const session = useDocumentSession(accountId, node.id);
  const ready = session.kind === 'ready' ? session.session : null;
  const refused = usePageRefusals(accountId, node.id);
  // Before the editor binds (same render): an empty page's shared first paragraph, saved only by someone who
  // may edit (a viewer's would be refused); sent once the role allows it. Idempotent.
  if (ready && access.loaded) ready.ensureFirstBlock(canEdit);
  const api = useApi();
  const files = useMemo<FileContext>(
    () => ({
      api,
      accountId,
      notebookId: node.notebookId,
      nodeId: node.id,
      url: (fileId) => fileUrl(accountId, node.notebookId, fileId),
    }),
    [api, accountId, node.notebookId, node.id],
  );
  // Live presence lives as long as the open document; it reports this window's caret and lists the others.
  const presence = useMemo(
    () => (ready ? new PresenceChannel(api, accountId, ready.documentId) : null),
    [api, accountId, ready],
  );
  useEffect(() => {
    presence?.start();
    return () => presence?.stop();
  }, [presence]);
  const connected = useConnectionState() === 'connected';
  const wasConnected = useRef(connected);
  useEffect(() => {
    if (connected !== wasConnected.current) presence?.connectionChanged(connected);
    wasConnected.current = connected;
  }, [presence, connected]);
  const editorRef = useRef<Editor | null>(null);
  const [editor, setEditor] = useState<Editor | null>(null);
  // Each search that opens (or re-opens) this page shows its matches (state adjusted while rendering, as
  // React advises for state that follows a prop).
  const [findOpen, setFindOpen] = useState(false);
  const [findFor, setFindFor] = useState<typeof found | null>(null);
  const [findRequest, setFindRequest] = useState<FindRequest | null>(null);
  if (findFor !== found) {
    setFindFor(found);
    setFindOpen(found !== undefined && found.terms.length > 0);
    setFindRequest(null);
  }
  // Mod+F: the find bar opens (or takes the focus again), seeded with the selected text of one line.
  useEffect(() => {
    const open = (): void => {
      const selected = selectedText(editorRef.current);
      const seed = selected.trim() && selected.length <= 200 && !selected.includes('\n') ? selected : null;
      // Rendered (and the field focused, FindBar's layout effect) before this key event ends: letters typed
      // right after Mod+F go to the field, never into the page or before the old query is selected.
      flushSync(() => {
        setFindOpen(true);
        setFindRequest((previous) => ({ n: (previous?.n ?? 0) + 1, seed }));
      });
    };
    window.addEventListener(OPEN_FIND_EVENT, open);
    return () => window.removeEventListener(OPEN_FIND_EVENT, open);
  }, []);
  // The palette's "Insert image or file…" (offered only where the page may be edited).
  useEffect(() => {
    const pick = (): void => {
      if (editorRef.current) openFilePicker(editorRef.current);
    };
    window.addEventListener(OPEN_FILE_PICKER_EVENT, pick);
    return () => window.removeEventListener(OPEN_FILE_PICKER_EVENT, pick);
  }, []);
  const [menuAt, setMenuAt] = useState<{ x: number; y: number } | null>(null);
  const [historyOpen, setHistoryOpen] = useState(false);
  const exportAs = usePageExport(accountId, node.id);
  useEffect(() => {
    const open = (): void => setHistoryOpen(true);
    window.addEventListener(OPEN_HISTORY_EVENT, open);
    return () => window.removeEventListener(OPEN_HISTORY_EVENT, open);
  }, []);
  // Comments: highlighted in the editor whether or not the panel is open; Mod+Alt+M (or the header's button)
  // on a selection starts a thread on it.
  const comments = useComments(accountId, node.id);
  const members = useMembers(accountId, node.notebookId);
  const canComment = access.canOn(node, 'comment');
  const [commentsOpen, setCommentsOpen] = useState(false);
  const [activeThread, setActiveThread] = useState<string | null>(null);
  const [draft, setDraft] = useState<ReturnType<typeof anchorOfSelection>>(null);
  const places = useCommentAnchors(editor, comments.data, activeThread, (threadId) => {
    setActiveThread(threadId);
    setCommentsOpen(true);
  });
  const openComments = useLatest((): void => {
    setCommentsOpen(true);
    comments.reload(); // the server's latest, even if nothing announced it
    const anchor = editor && canComment ? anchorOfSelection(editor.state) : null;
    if (anchor) setDraft(anchor);
  });
  useEffect(() => {
    const open = (): void => openComments.current();
    window.addEventListener(OPEN_COMMENTS_EVENT, open);
    return () => window.removeEventListener(OPEN_COMMENTS_EVENT, open);
  }, [openComments]);
  const closeComments = (): void => {
    setCommentsOpen(false);
    setDraft(null);
    setActiveThread(null);
    if (editor) focusEditorNow(editor);
  };
  const openCount = (comments.data ?? []).filter((t) => t.resolvedAt === null).length;
  // Enter in the title moves into the body. While the document is still opening, the caret waits in the
  // body's placeholder, which keeps what is typed meanwhile and hands it to the editor once it is ready:
  // typing on must neither stay in the title nor be lost.
  const placeholder = useRef<HTMLDivElement>(null);
  const typedAhead = useRef<string | null>(null);
  const onReady = useCallback((ready: Editor) => {
    editorRef.current = ready;
    setEditor(ready);
    const typed = typedAhead.current;
    typedAhead.current = null;
    if (typed === null || !ready.isEditable) return;
    focusEditorNow(ready, 'start');
    typeText(ready, typed);
  }, []);
  const focusBody = (typed = ''): void => {
    if (editorRef.current) {
      focusEditorNow(editorRef.current, 'start');
      typeText(editorRef.current, typed);
    } else {
      typedAhead.current = typed;
      placeholder.current?.focus();
    }
  };
  // A new page takes the focus in the commit that shows it, with the keys typed since it was asked for
  // (src/renderer/lib/type-ahead.ts). Here, not in the title: the body's placeholder must be mounted too,
  // for an Enter typed ahead to move into it.
  const title = useRef<PageTitleHandle>(null);
  const isNew = useRef(node.name === '');
  useLayoutEffect(() => {
    if (isNew.current) title.current?.receive(pendingTypeAhead.claim() ?? '');
  }, []);
  const typeAhead = (event: KeyboardEvent<HTMLDivElement>): void => {
    const typed = typedAhead.current;
    // Shortcuts go on to the window (AltGr, which also sets Ctrl on Windows, types characters).
    const shortcut = (event.ctrlKey || event.metaKey) && !event.getModifierState('AltGraph');
    if (typed === null || shortcut) return;
    const next = applyKey(typed, event.key);
    if (next === undefined) return;
    typedAhead.current = next;
    event.preventDefault();
  };

  // Read state: opening the page marks it opened (once per open, not per edit); leaving it marks what was
  // on screen as seen, so changes that arrived live while it was open do not show it as unread afterwards.
  useEffect(() => {
    void api.invoke('interaction.mark', { accountId, nodeId: node.id, kind: 'opened' });
    return () => {
      void api.invoke('interaction.mark', { accountId, nodeId: node.id, kind: 'seen' });
    };
  }, [api, accountId, node.id]);

  useEffect(() => {
    document.title = `${displayName(node)} · Hoody Notes`;
    return () => {
      document.title = 'Hoody Notes';
    };
  }, [node]);

  // Leaving with edits the core has not acknowledged would lose them: ask first. The state is read when the
  // page is left, not subscribed to: that would render this view twice per keystroke (see SaveIndicator).
  useEffect(() => {
    if (!ready) return;
    const warn = (event: BeforeUnloadEvent): void => {
      if (ready.saveState().kind !== 'saved') event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [ready]);

  return (
    <article className="page-view" aria-label={displayName(node)}>
      <header className="page-header">
        <nav className="breadcrumb" aria-label="Location">
          {path.map((ancestor) => (
            <span key={ancestor.id} className="crumb" title={displayName(ancestor)}>
              <span className="crumb-icon">
                {ancestor.icon ?? <Icon name={ancestor.type === 'section' ? 'section' : 'page'} size={14} />}
              </span>
              <span className="crumb-name">{displayName(ancestor)}</span>
              <Icon name="chevronRight" size={12} className="crumb-separator" />
            </span>
          ))}
          <span className="crumb current" title={displayName(node)}>
            <span className="crumb-name">{displayName(node)}</span>
          </span>
        </nav>
        <div className="page-header-end">
          {presence ? <ViewerList channel={presence} /> : null}
          <SaveIndicator session={ready} refused={refused} />
          <button
            type="button"
            className={`button small${commentsOpen ? ' active' : ''}`}
            aria-label={openCount ? `Comments, ${openCount} open` : 'Comments'}
            aria-expanded={commentsOpen}
            title={`Comments (${shortcutLabel('Mod+Alt+M')})`}
            onClick={() => (commentsOpen ? closeComments() : openComments.current())}
          >
            <Icon name="message" size={14} /> {openCount || null}
          </button>
          {access.canOn(node, 'share') ? (
            <button type="button" className="button small" onClick={props.onShare}>
              <Icon name="users" size={14} /> Share
            </button>
          ) : null}
          <button
            type="button"
            className="icon-button"
            aria-label="Page actions"
            aria-haspopup="menu"
            aria-expanded={menuAt !== null}
            onClick={(event) => setMenuAt(menuBelow(event.currentTarget, 240))}
          >
            <Icon name="more" />
          </button>
        </div>
      </header>
      {menuAt ? (
        <Menu
          label="Page actions"
          at={menuAt}
          onClose={() => setMenuAt(null)}
          items={[
            {
              label: 'Version history',
              icon: 'restore',
              hint: shortcutLabel('Mod+Alt+H'),
              onSelect: () => setHistoryOpen(true),
            },
            'separator',
            { label: 'Export as Markdown', icon: 'download', onSelect: () => exportAs('markdown') },
            { label: 'Export as HTML', icon: 'download', onSelect: () => exportAs('html') },
            {
              label: 'Print or export as PDF…',
              icon: 'printer',
              hint: shortcutLabel('Mod+P'),
              onSelect: () => exportAs('pdf'),
            },
            ...(canDelete
              ? [
                  'separator' as const,
                  {
                    label: 'Move to trash',
                    icon: 'trash' as const,
                    danger: true,
                    onSelect: () => void actions.trash(node.id),
                  },
                ]
              : []),
          ]}
        />
      ) : null}
      {historyOpen && editor && ready ? (
        <HistoryPanel
          accountId={accountId}
          nodeId={node.id}
          pageName={displayName(node)}
          editor={editor}
          doc={ready.doc}
          onClose={() => setHistoryOpen(false)}
        />
      ) : null}
      {findOpen && editor ? (
        <FindBar
          key={found?.query ?? ''}
          editor={editor}
          initialQuery={found?.query ?? ''}
          request={findRequest}
          onClose={() => {
            setFindOpen(false);
            setFindRequest(null);
          }}
        />
      ) : null}
      <div className="page-body">
        <div className="page-scroll">
          <div className="page-column">
            {node.icon ? <div className="page-icon">{node.icon}</div> : null}
            <PageTitle
              ref={title}
              node={node}
              readOnly={access.loaded && !access.canOn(node, 'update')}
              onRename={(name) => void actions.rename(node.id, name)}
              onLeave={focusBody}
            />
            {access.loaded && !canEdit ? <ViewOnlyNotice node={node} path={path} access={access} /> : null}
            <ReactionBar accountId={accountId} nodeId={node.id} />
            {aboveDocument}
            {/* Until the role is known the placeholder keeps what is typed: never typed into a read-only page. */}
            {session.kind === 'ready' && presence && access.loaded ? (
              <DocumentEditor
                session={session.session}
                presence={presence}
                editable={canEdit}
                files={files}
                onReady={onReady}
              />
            ) : session.kind === 'failed' ? (
              <p className="page-error" role="alert">
                This page could not be opened: {session.message}
              </p>
            ) : (
              <div
                ref={placeholder}
                role="document"
                aria-label="Page loading"
                className="page-loading"
                aria-busy="true"
                tabIndex={-1}
                onKeyDown={typeAhead}
              />
            )}
          </div>
        </div>
        {commentsOpen ? (
          <CommentsPanel
            accountId={accountId}
            nodeId={node.id}
            threads={comments.data}
            places={places}
            canComment={canComment}
            canModerate={access.canOn(node, 'moderateComments')}
            members={members.data ?? NO_MEMBERS}
            selectionAnchor={() => (editor ? anchorOfSelection(editor.state) : null)}
            draft={draft}
            onDraftDone={() => setDraft(null)}
            active={activeThread}
            onActivate={(threadId) => {
              setActiveThread(threadId);
              // The thread's text is brought into view (the editor's selection stays where it was).
              const at = threadId === null ? undefined : places.get(threadId);
              if (editor && at !== undefined && at !== null) {
                const { node: dom } = editor.view.domAtPos(at);
                (dom instanceof Element ? dom : dom.parentElement)?.scrollIntoView({ block: 'center' });
              }
            }}
            onClose={closeComments}
          />
        ) : null}
      </div>
    </article>
  );
}
