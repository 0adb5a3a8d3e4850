import { useEffect, useRef, useState } from 'react';
import type { AccountView, SettingsView } from '../../shared/contract';
import { useAppliedTheme } from '../features/settings/use-theme';
import { ConnectionBanner } from '../features/status/ConnectionBanner';
import { useWakeSync } from '../features/sync/use-wake-sync';
import { useApi } from '../lib/client';
import { useLiveQuery } from '../lib/live-query';
import { startPlace, type Place } from './start-place';
import { Workspace, type Found } from './Workspace';

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
  const start = useStartPlace(accounts.data, settings.data);
  // The account picked in this session; until then the one the start place is in.
  const [accountId, setAccountId] = useState<string | null>(null);
  // A search hit in another account: that account's workspace starts at it.
  const [jump, setJump] = useState<{ place: Place; found: Found } | null>(null);
  useAppliedTheme(settings.data?.theme ?? 'system');
  useWakeSync();

  const shownId = accountId ?? start?.accountId;
  const account = accounts.data?.find((a) => a.id === shownId) ?? accounts.data?.[0];
  if (!account || !settings.data || !accounts.data || start === undefined) {
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
      start={
        jump?.place.accountId === account.id
          ? jump.place
          : accountId === null && start?.accountId === account.id
            ? start
            : null
      }
      startFound={jump?.place.accountId === account.id ? jump.found : undefined}
      onSelectAccount={(id) => {
        setJump(null);
        setAccountId(id);
      }}
      onOpenInAccount={(place, found) => {
        setJump({ place, found });
        setAccountId(place.accountId);
      }}
    />
  );
}

/** The place to come back to (src/renderer/app/start-place.ts), worked out once; undefined until then. */
function useStartPlace(
  accounts: readonly AccountView[] | undefined,
  settings: SettingsView | undefined,
): Place | null | undefined {
  const api = useApi();
  const [place, setPlace] = useState<Place | null | undefined>(undefined);
  const asked = useRef(false);
  useEffect(() => {
    if (!accounts || !settings || asked.current) return;
    asked.current = true;
    const notebookOf = async (accountId: string, nodeId: string): Promise<string | null> => {
      const result = await api.invoke('node.get', { accountId, nodeId });
      return result.ok ? result.value.notebookId : null;
    };
    void startPlace(
      accounts.map((a) => a.id),
      settings,
      notebookOf,
    ).then(setPlace);
  }, [api, accounts, settings]);
  return place;
}
