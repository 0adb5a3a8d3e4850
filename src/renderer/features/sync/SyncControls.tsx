import { useEffect, useState } from 'react';
import type { AccountView } from '../../../shared/contract';
import { AccountsDialog } from '../accounts/AccountsDialog';
import { SyncIndicator } from './SyncIndicator';
import { SyncPanel } from './SyncPanel';
import { useSyncStatuses } from './use-sync';

/** Window event other parts of the app dispatch to open the Sync panel or Settings → Accounts. */
export const OPEN_SYNC_EVENT = 'hoody:open-sync';
export const OPEN_ACCOUNTS_EVENT = 'hoody:open-accounts';

export interface SyncControlsProps {
  accounts: readonly AccountView[];
  account: AccountView;
  onSelectAccount(accountId: string): void;
}

/** The sidebar footer's sync indicator, and the Sync panel and Accounts settings it opens. */
export function SyncControls({ accounts, account, onSelectAccount }: SyncControlsProps) {
  const statuses = useSyncStatuses();
  const [open, setOpen] = useState<'sync' | 'accounts' | null>(null);
  useEffect(() => {
    const openSync = (): void => setOpen('sync');
    const openAccounts = (): void => setOpen('accounts');
    window.addEventListener(OPEN_SYNC_EVENT, openSync);
    window.addEventListener(OPEN_ACCOUNTS_EVENT, openAccounts);
    return () => {
      window.removeEventListener(OPEN_SYNC_EVENT, openSync);
      window.removeEventListener(OPEN_ACCOUNTS_EVENT, openAccounts);
    };
  }, []);
  return (
    <>
      <SyncIndicator account={account} status={statuses.get(account.id)} onOpen={() => setOpen('sync')} />
      {open === 'sync' ? (
        <SyncPanel
          accounts={accounts}
          statuses={statuses}
          onManageAccounts={() => setOpen('accounts')}
          onClose={() => setOpen(null)}
        />
      ) : null}
      {open === 'accounts' ? (
        <AccountsDialog
          accounts={accounts}
          statuses={statuses}
          currentAccountId={account.id}
          onOpenAccount={(accountId) => {
            setOpen(null);
            onSelectAccount(accountId);
          }}
          onClose={() => setOpen(null)}
        />
      ) : null}
    </>
  );
}
