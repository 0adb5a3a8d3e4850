import { useLayoutEffect, useRef, useSyncExternalStore } from 'react';
import { Icon } from '../../ui/icons';
import { OPEN_SYNC_EVENT } from '../sync/SyncControls';
import type { DocumentSession, SaveState } from './document-session';

export interface SaveIndicatorProps {
  session: DocumentSession | null;
  /** The page's changes the server refused: kept here until the user retries or discards them in Sync. */
  refused: number;
}

const SAVED: SaveState = { kind: 'saved', savedAt: null };

/**
 * The save state's error, or null while it is saving or saved. Only this re-renders: every keystroke goes
 * Saved → Saving… → Saved, and each React commit while the editor has the focus costs a walk over the whole
 * contenteditable (React reads the selection's offsets around a commit): ~15 ms per commit on a
 * 10,000-paragraph page (issue 10). Those two flips are applied to the element directly instead.
 */
function useSaveError(session: DocumentSession | null): Extract<SaveState, { kind: 'error' }> | null {
  return useSyncExternalStore(
    (onChange) => session?.onSaveState(onChange) ?? (() => undefined),
    () => {
      const state = session?.saveState();
      return state?.kind === 'error' ? state : null;
    },
  );
}

/** Shows `state` (saving or saved) on the indicator's element: class, icon (by CSS), words and title. */
function paint(element: HTMLElement, state: SaveState): void {
  const kind = state.kind === 'saving' ? 'saving' : 'saved';
  element.className = `save-state ${kind}`;
  element.title =
    state.kind === 'saved'
      ? state.savedAt
        ? `Saved at ${new Date(state.savedAt).toLocaleTimeString()}`
        : 'Saved on this device'
      : '';
  const label = element.querySelector('.save-label');
  if (label) label.textContent = kind === 'saving' ? 'Saving…' : 'Saved';
}

/**
 * "Saved" means the core acknowledged every edit; anything else says what is happening or went wrong. A
 * refusal by the server outlasts the saves typed after it (they are refused too, or wait behind it), so it is
 * shown over "Saving…"/"Saved" until it is dealt with; only an edit not even saved here comes first.
 */
export function SaveIndicator({ session, refused }: SaveIndicatorProps) {
  const error = useSaveError(session);
  const status = useRef<HTMLSpanElement>(null);
  const showsStatus = error === null && refused === 0;
  useLayoutEffect(() => {
    const element = status.current;
    if (!showsStatus || !element) return;
    const show = (): void => paint(element, session?.saveState() ?? SAVED);
    show();
    return session?.onSaveState(show);
  }, [session, showsStatus]);

  if (error) {
    return (
      <span className="save-state error" role="alert">
        <Icon name="alert" size={14} /> Not saved: {error.message}
        <button type="button" className="link-button" onClick={() => session?.retry()}>
          Retry
        </button>
      </span>
    );
  }
  if (refused > 0) {
    return (
      <span className="save-state error" role="alert">
        <Icon name="alert" size={14} /> Saved here, refused by the server
        <button
          type="button"
          className="link-button"
          aria-label={`Review ${refused === 1 ? 'the refused change' : `${refused} refused changes`} in Sync`}
          onClick={() => window.dispatchEvent(new Event(OPEN_SYNC_EVENT))}
        >
          Review
        </button>
      </span>
    );
  }
  // Class, words and title are set by paint() (before the browser paints: a layout effect).
  return (
    <span ref={status} className="save-state saved" role="status" aria-live="polite">
      <Icon name="sync" size={14} className="spin save-icon-saving" />
      <Icon name="savedCircle" size={14} className="save-icon-saved" />
      <span className="save-label">Saved</span>
    </span>
  );
}
