/**
 * What the parts of one account's sync share while it runs: whether it is stopped (work that was awaiting the
 * network must never touch a closed replica), the error shown in the Sync panel, and how to publish a status
 * change. Owned by the engine, handed to the outbox pump, the notebook-list reconciliation and the socket
 * session instead of the engine itself.
 */
export class SyncRun {
  /** Aborted while stopped. */
  private controller = stoppedController();
  lastError: string | null = null;

  constructor(private readonly onPublish: () => void) {}

  get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  begin(): void {
    this.controller = new AbortController();
  }

  end(): void {
    this.controller.abort();
  }

  /** Publishes the account's status (`sync.status`), never once stopped. */
  publish(): void {
    if (!this.stopped) this.onPublish();
  }
}

function stoppedController(): AbortController {
  const controller = new AbortController();
  controller.abort();
  return controller;
}
