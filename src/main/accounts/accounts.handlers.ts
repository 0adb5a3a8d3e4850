import type { accountCommands } from '../../shared/contract/accounts';
import type { DomainHandlers } from '../ipc/router';
import type { AppStore } from '../settings/app-store.repository';
import { toAccountView, type AccountsService } from './accounts.service';

export interface AccountHandlerDeps {
  store: Pick<AppStore, 'accounts'>;
  accounts(): AccountsService;
}

export const accountHandlers = ({ store, accounts }: AccountHandlerDeps) =>
  ({
    'account.list': () => store.accounts().map(toAccountView),
    'account.add': ({ serverUrl, token }) => accounts().add(serverUrl, token),
    'account.remove': ({ accountId, force }) => {
      accounts().remove(accountId, force ?? false);
      return null;
    },
  }) satisfies DomainHandlers<typeof accountCommands>;
