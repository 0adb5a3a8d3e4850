import { Icon } from '../../ui/icons';
import type { DocumentSession } from './document-session';
import { useSaveState } from './use-document-session';

/** "Saved" means the core acknowledged every edit; anything else says what is happening or went wrong. */
export function SaveIndicator({ session }: { session: DocumentSession | null }) {
  const state = useSaveState(session);
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
