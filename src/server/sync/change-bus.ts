import type { StreamType } from '../../shared/api/sync-protocol';

/**
 * Committed changes, announced after the write transaction so a woken stream always finds its rows. Parked
 * socket inputs listen here and re-query their stream when a change could concern them.
 */
export interface Change {
  notebookId: string;
  stream: StreamType;
  /** Set for root-scoped streams. */
  rootId?: string;
  /** Set for `collaborations` (the user whose access changed). */
  userId?: string;
}

type Listener = (change: Change) => void;

export class ChangeBus {
  private readonly listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(changes: readonly Change[]): void {
    for (const change of dedupe(changes)) for (const listener of this.listeners) listener(change);
  }
}

function dedupe(changes: readonly Change[]): Change[] {
  const seen = new Map<string, Change>();
  for (const change of changes) {
    seen.set(`${change.notebookId}|${change.stream}|${change.rootId ?? ''}|${change.userId ?? ''}`, change);
  }
  return [...seen.values()];
}
