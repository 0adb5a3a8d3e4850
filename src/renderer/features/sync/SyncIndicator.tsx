import type { AccountView, SyncStatusView } from '../../../shared/contract';
import { summarize, useNow } from './use-sync';
import './sync.css';

export interface SyncIndicatorProps {
  account: AccountView;
  status: SyncStatusView | undefined;
  onOpen(): void;
}

/** Always in the sidebar footer: how the open account syncs, its pending changes and the last confirmed sync. */
export function SyncIndicator({ account, status, onOpen }: SyncIndicatorProps) {
  const now = useNow();
  const summary = summarize(account, status, now);
  return (
    <button
      type="button"
      className={`sync-indicator tone-${summary.tone}`}
      aria-label={`Sync: ${summary.title}. ${summary.detail}. Open the Sync panel`}
      title="Open the Sync panel"
      onClick={onOpen}
    >
      <span className="sync-dot" aria-hidden="true" />
      <span className="sync-text">
        <span className="sync-title">{summary.title}</span>
        <span className="sync-detail">{summary.detail}</span>
      </span>
    </button>
  );
}
