import { useEffect, useRef, useState } from 'react';
import { isBrowserMode } from '../../api';
import { useApi, useConnectionState } from '../../lib/client';
import { DocumentSession } from './document-session';

export type SessionState =
  | { kind: 'loading' }
  | { kind: 'ready'; session: DocumentSession }
  | { kind: 'failed'; message: string; code?: string };

/** Opens a page's document for as long as the page is shown; closes it (and its Y.Doc) afterwards. */
export function useDocumentSession(accountId: string, documentId: string): SessionState {
  const api = useApi();
  const connection = useConnectionState();
  const [state, setState] = useState<SessionState & { documentId: string }>({ kind: 'loading', documentId });
  /** Bumped to open again after an open that failed because the core could not be reached. */
  const [reopen, setReopen] = useState(0);

  useEffect(() => {
    let cancelled = false;
    let session: DocumentSession | null = null;
    void api.invoke('document.open', { accountId, documentId }).then((result) => {
      if (cancelled) {
        // Opened after the page was left (fast navigation, StrictMode's double mount): let the core forget it.
        if (result.ok) void api.invoke('document.close', { accountId, documentId });
        return;
      }
      if (!result.ok) {
        setState({ kind: 'failed', message: result.error.message, code: result.error.code, documentId });
        return;
      }
      try {
        // Its first paragraph is given by the page view, once it knows whether the user may edit it.
        session = new DocumentSession(api, accountId, documentId, result.value.state);
        setState({ kind: 'ready', session, documentId });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        setState({ kind: 'failed', message: `its saved state could not be read (${reason})`, documentId });
      }
    });
    return () => {
      cancelled = true;
      session?.close();
    };
  }, [api, accountId, documentId, reopen]);

  // Its refused changes were discarded: this Y.Doc still holds them, and edits built on them could never
  // sync. Open the page again (a new Y.Doc, a new Yjs client) from what the core now has.
  useEffect(
    () =>
      api.subscribe('document.reset', (event) => {
        if (event.accountId === accountId && event.documentId === documentId) setReopen((n) => n + 1);
      }),
    [api, accountId, documentId],
  );

  const session = state.kind === 'ready' ? state.session : null;
  const unreachable = state.kind === 'failed' && state.code === 'unavailable';
  // Back (browser mode: the core restarted or the socket healed): merge what changed meanwhile and send
  // what the core never acknowledged; a page that could not even be opened is opened now (decided while
  // rendering, as state that follows the connection).
  const [seenConnection, setSeenConnection] = useState(connection);
  const reconnected = connection === 'connected' && seenConnection !== 'connected';
  if (seenConnection !== connection) {
    setSeenConnection(connection);
    if (reconnected && !session && unreachable) setReopen((n) => n + 1);
  }
  const wasConnected = useRef(connection === 'connected');
  useEffect(() => {
    const back = connection === 'connected' && !wasConnected.current;
    wasConnected.current = connection === 'connected';
    if (back && session) void session.resync();
  }, [session, connection]);

  useUnsavedGuard(session);

  if (state.documentId !== documentId) return { kind: 'loading' };
  return state;
}

/**
 * Browser mode: while edits are not acknowledged (e.g. typed while the core was unreachable; they live only
 * in this tab until it is back), closing or reloading the tab asks first. Not in Electron, where it would
 * silently keep the window open.
 */
function useUnsavedGuard(session: DocumentSession | null): void {
  useEffect(() => {
    if (!session || !isBrowserMode()) return;
    const guard = (event: BeforeUnloadEvent): void => {
      if (session.saveState().kind !== 'saved') event.preventDefault();
    };
    window.addEventListener('beforeunload', guard);
    return () => window.removeEventListener('beforeunload', guard);
  }, [session]);
}
