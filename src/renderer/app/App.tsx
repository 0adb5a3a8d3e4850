import { useState } from 'react';
import { useAppliedTheme } from '../features/settings/use-theme';
import { ConnectionBanner } from '../features/status/ConnectionBanner';
import { useLiveQuery } from '../lib/live-query';
import { Workspace } from './Workspace';

/** Loads what every screen needs (accounts, settings), applies the theme, then shows the workspace. */
export function App() {
  const settings = useLiveQuery(
    'settings',
    (api) => api.invoke('settings.get', {}),
    (api, refresh) => api.subscribe('settings.changed', refresh),
  );
  const accounts = useLiveQuery(
    'accounts',
    (api) => api.invoke('account.list', {}),
    (api, refresh) => api.subscribe('account.changed', refresh),
  );
  const [accountId, setAccountId] = useState<string | null>(null);
  useAppliedTheme(settings.data?.theme ?? 'system');

  const account = accounts.data?.find((a) => a.id === accountId) ?? accounts.data?.[0];
  if (!account || !settings.data || !accounts.data) {
    const error = settings.error ?? accounts.error;
    return (
      <div className="splash">
        <ConnectionBanner />
        <div className="splash-mark" aria-hidden="true">
          H
        </div>
        <p>{error ? `Hoody Notes could not start: ${error}` : 'Opening your notes…'}</p>
      </div>
    );
  }
  return (
    <Workspace
      key={account.id}
      accounts={accounts.data}
      account={account}
      settings={settings.data}
      onSelectAccount={setAccountId}
    />
  );
}
