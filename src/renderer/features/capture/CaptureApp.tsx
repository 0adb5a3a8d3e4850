import { useState } from 'react';
import type { CaptureSavedView } from '../../../shared/contract';
import { useLiveQuery } from '../../lib/live-query';
import { ConnectionBanner } from '../status/ConnectionBanner';
import { useAppliedTheme } from '../settings/use-theme';
import { CaptureView } from './CaptureView';

/** `?view=capture`: the capture window of the desktop app, or a browser tab in browser mode. */
const ACCOUNT_KEY = 'hoody.capture.account';

export const isCaptureRoute = (): boolean =>
  new URLSearchParams(window.location.search).get('view') === 'capture';

export function CaptureApp() {
  const settings = useLiveQuery(
    'settings',
    (a) => a.invoke('settings.get', {}),
    (a, refresh) => a.subscribe('settings.changed', refresh),
  );
  const accounts = useLiveQuery(
    'accounts',
    (a) => a.invoke('account.list', {}),
    (a, refresh) => a.subscribe('account.changed', refresh),
  );
  const info = useLiveQuery(
    'info',
    (a) => a.invoke('app.info', {}),
    () => () => undefined,
  );
  const [saved, setSaved] = useState<CaptureSavedView | null>(null);
  useAppliedTheme(settings.data?.theme ?? 'system');
  const [chosen, setChosen] = useState<string | null>(() => localStorage.getItem(ACCOUNT_KEY));
  const account = accounts.data?.find((a) => a.id === chosen) ?? accounts.data?.[0];

  const close = (): void => {
    // The desktop capture window closes (main hides it); a browser tab cannot close itself, so it stays.
    if (info.data?.mode === 'electron') window.close();
  };

  return (
    <div className="capture-page">
      <ConnectionBanner />
      {account ? (
        <CaptureView
          key={account.id}
          accountId={account.id}
          accounts={accounts.data}
          onAccountChange={(id) => {
            localStorage.setItem(ACCOUNT_KEY, id);
            setChosen(id);
          }}
          notebookId={null}
          onSaved={(value) => {
            setSaved(value);
            if (info.data?.mode === 'electron') window.setTimeout(() => window.close(), 400);
          }}
          onClose={close}
        />
      ) : (
        <p className="capture-status">Opening…</p>
      )}
      {saved ? (
        <div className="capture-saved" role="status">
          Saved to {saved.pageName} at {new Date(saved.savedAt).toLocaleTimeString()}
        </div>
      ) : null}
    </div>
  );
}
