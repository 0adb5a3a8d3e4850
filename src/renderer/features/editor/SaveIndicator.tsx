import { Icon } from '../../ui/icons';
import { OPEN_SYNC_EVENT } from '../sync/SyncControls';
import type { DocumentSession } from './document-session';
import { useSaveState } from './use-document-session';

export interface SaveIndicatorProps {
  session: DocumentSession | null;
  /** The page's changes the server refused: kept here until the user retries or discards them in Sync. */
  refused: number;
}

/**
 * "Saved" means the core acknowledged every edit; anything else says what is happening or went wrong. A
 * refusal by the server outlasts the saves typed after it (they are refused too, or wait behind it), so it is
 * shown over "Saving…"/"Saved" until it is dealt with; only an edit not even saved here comes first.
 */
export function SaveIndicator({ session, refused }: SaveIndicatorProps) {
  const state = useSaveState(session);
  if (refused > 0 && state.kind !== 'error') {
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
  if (state.kind === 'saving') {
    return (
      <span className="save-state saving" role="status" aria-live="polite">
        <Icon name="sync" size={14} className="spin" /> Saving…
      </span>
    );
  }
  if (state.kind === 'error') {
    return (
      <span className="save-state error" role="alert">
        <Icon name="alert" size={14} /> Not saved: {state.message}
        <button type="button" className="link-button" onClick={() => session?.retry()}>
          Retry
        </button>
      </span>
    );
  }
  return (
    <span
      className="save-state saved"
      role="status"
      aria-live="polite"
      title={
        state.savedAt ? `Saved at ${new Date(state.savedAt).toLocaleTimeString()}` : 'Saved on this device'
      }
    >
      <Icon name="savedCircle" size={14} /> Saved
    </span>
  );
}
