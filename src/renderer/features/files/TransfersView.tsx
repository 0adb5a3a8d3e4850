import { useEffect, useState } from 'react';
import type { TransferView } from '../../../shared/contract';
import { useApi, useConnectionState } from '../../lib/client';
import { Dialog } from '../../ui/dialog';
import { Icon } from '../../ui/icons';
import { useToasts } from '../../ui/toast';
import { percentDone, transferStatusText } from './transfer-text';

/** An account's uploads and downloads, live: loaded once (and after a reconnect), then each pushed list. */
export function useTransfers(accountId: string): readonly TransferView[] | undefined {
  const api = useApi();
  const connection = useConnectionState();
  const [transfers, setTransfers] = useState<readonly TransferView[] | undefined>(undefined);
  useEffect(() => {
    if (connection !== 'connected') return undefined;
    let alive = true;
    // A pushed list is newer than the answer to a request sent before it.
    let pushed = false;
    const off = api.subscribe('file.transfersChanged', (event) => {
      if (event.accountId !== accountId) return;
      pushed = true;
      setTransfers(event.transfers);
    });
    void api.invoke('file.transfers', { accountId }).then((result) => {
      if (alive && !pushed && result.ok) setTransfers(result.value);
    });
    return () => {
      alive = false;
      off();
    };
  }, [api, accountId, connection]);
  return transfers;
}

/**
 * The Transfers part of the Sync panel: every upload not done yet and every download running or failed, with
 * progress, speed and time left, and what may be done with each (pause, resume, retry, cancel).
 */
export function TransfersView({ accountId }: { accountId: string }) {
  const transfers = useTransfers(accountId);
  const api = useApi();
  const { check } = useToasts();
  const [cancelling, setCancelling] = useState<TransferView | null>(null);
  if (transfers === undefined) return null;

  const act = async (
    name: 'file.pause' | 'file.resume' | 'file.cancel' | 'file.cancelDownload',
    t: TransferView,
    what: string,
  ): Promise<void> => {
    check(await api.invoke(name, { accountId, fileId: t.fileId }), what);
  };
  const retryDownload = async (t: TransferView): Promise<void> => {
    // A failure is shown on its line again (and kept in the list); the toast would say it twice.
    await api.invoke('file.download', {
      accountId,
      notebookId: t.notebookId,
      fileId: t.fileId,
      name: t.name,
      size: t.size,
    });
  };

  return (
    <div className="outbox transfers">
      <div className="outbox-head">
        <h3>
          Transfers <span className="count">{transfers.length}</span>
        </h3>
      </div>
      {transfers.length === 0 ? (
        <p className="sync-empty">
          <Icon name="check" size={14} /> No files moving: every file added on this device is on the server.
        </p>
      ) : (
        <>
          <p className="outbox-hint">
            Files are saved on this device first; uploads resume where they stopped, also after a restart.
          </p>
          <ul className="outbox-list" aria-label="Transfers">
            {transfers.map((t) => {
              const upload = t.direction === 'upload';
              const verb = upload ? 'upload' : 'download';
              return (
                <li
                  key={`${t.direction}:${t.fileId}`}
                  className={`outbox-entry transfer ${t.status}`}
                  aria-label={`${upload ? 'Upload' : 'Download'} of ${t.name}`}
                >
                  <Icon name={upload ? 'upload' : 'download'} size={16} />
                  <div className="outbox-text">
                    <span className="outbox-name">{t.name}</span>
                    {t.status === 'failed' ? null : (
                      <progress
                        max={100}
                        value={percentDone(t.doneBytes, t.size)}
                        aria-label={`${upload ? 'Uploading' : 'Downloading'} ${t.name}`}
                      />
                    )}
                    <span className="outbox-meta">{transferStatusText(t)}</span>
                    {t.error ? <span className="outbox-reason">{t.error}</span> : null}
                  </div>
                  <div className="outbox-actions">
                    {upload && (t.status === 'active' || t.status === 'waiting') ? (
                      <button
                        type="button"
                        className="button small"
                        aria-label={`Pause upload of ${t.name}`}
                        onClick={() => void act('file.pause', t, 'pause the upload')}
                      >
                        Pause
                      </button>
                    ) : null}
                    {upload && (t.status === 'paused' || t.status === 'failed') ? (
                      <button
                        type="button"
                        className="button small"
                        aria-label={`${t.status === 'paused' ? 'Resume' : 'Retry'} upload of ${t.name}`}
                        onClick={() => void act('file.resume', t, 'resume the upload')}
                      >
                        {t.status === 'paused' ? 'Resume' : 'Retry'}
                      </button>
                    ) : null}
                    {!upload && t.status === 'failed' ? (
                      <button
                        type="button"
                        className="button small"
                        aria-label={`Retry download of ${t.name}`}
                        onClick={() => void retryDownload(t)}
                      >
                        Retry
                      </button>
                    ) : null}
                    <button
                      type="button"
                      className="button small danger-outline"
                      aria-label={`${!upload && t.status === 'failed' ? 'Dismiss' : 'Cancel'} ${verb} of ${t.name}`}
                      onClick={() =>
                        upload ? setCancelling(t) : void act('file.cancelDownload', t, 'cancel the download')
                      }
                    >
                      {!upload && t.status === 'failed' ? 'Dismiss' : upload ? 'Cancel…' : 'Cancel'}
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      )}
      {cancelling ? (
        <Dialog
          title={`Cancel the upload of “${cancelling.name}”?`}
          confirmLabel="Cancel upload"
          cancelLabel="Keep it"
          danger
          onConfirm={() => void act('file.cancel', cancelling, 'cancel the upload')}
          onClose={() => setCancelling(null)}
        >
          <p>
            The file is removed from this device and from the server, and its block on the page shows it as
            missing. Add the file again to attach it.
          </p>
        </Dialog>
      ) : null}
    </div>
  );
}
