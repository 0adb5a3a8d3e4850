import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useApi, useConnectionState } from '../../lib/client';
import { DocumentSession, type SaveState } from './document-session';

export type SessionState =
  { kind: 'loading' } | { kind: 'ready'; session: DocumentSession } | { kind: 'failed'; message: string };

/** Opens a page's document for as long as the page is shown; closes it (and its Y.Doc) afterwards. */
export function useDocumentSession(accountId: string, documentId: string): SessionState {
  const api = useApi();
  const connection = useConnectionState();
  const [state, setState] = useState<SessionState & { documentId: string }>({ kind: 'loading', documentId });

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
        setState({ kind: 'failed', message: result.error.message, documentId });
        return;
      }
      try {
        session = new DocumentSession(api, accountId, documentId, result.value.state);
        session.ensureFirstBlock();
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
  }, [api, accountId, documentId]);

  const session = state.kind === 'ready' ? state.session : null;
  const wasConnected = useRef(connection === 'connected');
  useEffect(() => {
    const reconnected = connection === 'connected' && !wasConnected.current;
    wasConnected.current = connection === 'connected';
    if (reconnected) void session?.resync();
  }, [session, connection]);

  if (state.documentId !== documentId) return { kind: 'loading' };
  return state;
}

const SAVED: SaveState = { kind: 'saved', savedAt: null };

export function useSaveState(session: DocumentSession | null): SaveState {
  return useSyncExternalStore(
    (onChange) => session?.onSaveState(onChange) ?? (() => undefined),
    () => session?.saveState() ?? SAVED,
  );
}
