import { useEffect, useRef, useState } from 'react';
import type { AccountView, NotebookMoveView, NotebookView } from '../../../shared/contract';
import { useApi } from '../../lib/client';
import { Dialog } from '../../ui/dialog';
import { useToasts } from '../../ui/toast';

export interface MoveNotebookProps {
  notebook: NotebookView;
  target: AccountView;
  /** Opens the target account once the move is done. */
  onOpenAccount(accountId: string): void;
  onClose(): void;
}

/** "Move to <server>…": asks first, then shows the upload until the server confirmed everything. */
export function MoveNotebook({ notebook, target, onOpenAccount, onClose }: MoveNotebookProps) {
  const api = useApi();
  const { check } = useToasts();
  const [move, setMove] = useState<NotebookMoveView | null>(null);
  // The confirmation's dialog closes itself after "Move": only Cancel/Escape close the whole flow.
  const confirmed = useRef(false);

  useEffect(
    () =>
      api.subscribe('notebook.move', (view) => {
        if (view.notebookId === notebook.id) setMove(view);
      }),
    [api, notebook.id],
  );

  if (!move) {
    return (
      <Dialog
        key="confirm"
        title={`Move “${notebook.name}” to ${target.name}?`}
        confirmLabel="Move notebook"
        onConfirm={() => {
          confirmed.current = true;
          void api
            .invoke('notebook.moveToAccount', {
              accountId: notebook.accountId,
              notebookId: notebook.id,
              targetAccountId: target.id,
            })
            .then((result) => {
              const started = check(result, 'move the notebook');
              if (started) setMove(started);
              else onClose();
            });
        }}
        onClose={() => {
          if (!confirmed.current) onClose();
        }}
      >
        <p>
          Its sections and pages are uploaded to {target.serverUrl ?? 'the server'} and sync from then on. The
          copy on this device is removed only once the server has everything, so nothing is lost if the
          connection drops or the app closes: the move continues later.
        </p>
      </Dialog>
    );
  }

  const done = move.phase === 'done';
  return (
    <Dialog
      key="progress"
      title={done ? `“${move.name}” is on ${target.name}` : `Moving “${move.name}”…`}
      confirmLabel={done ? 'Open notebook' : 'Continue in background'}
      cancelLabel={null}
      onConfirm={() => {
        if (done) onOpenAccount(target.id);
      }}
      onClose={onClose}
    >
      <div className="move-progress" role="status">
        <progress
          value={done ? 1 : move.confirmed}
          max={done ? 1 : Math.max(1, move.total)}
          aria-label="Move progress"
        />
        <p>
          {move.phase === 'creating'
            ? 'Creating the notebook on the server…'
            : done
              ? 'Everything is on the server; the copy on this device was removed.'
              : move.phase === 'failed'
                ? (move.error ?? 'The move stopped.')
                : `${move.confirmed.toLocaleString()} of ${move.total.toLocaleString()} changes confirmed by the server`}
        </p>
        {move.error && !done && move.phase !== 'failed' ? (
          <p className="move-error">{move.error} — it will keep trying.</p>
        ) : null}
      </div>
    </Dialog>
  );
}
