import type { AppInfoView, appCommands } from '../../shared/contract/app';
import type { DomainHandlers } from '../ipc/router';
import { isoNow, type Clock } from '../lib/clock';
import type { AppStore } from './app-store.repository';

export interface AppHandlerDeps {
  info: AppInfoView;
  store: Pick<AppStore, 'notices' | 'dismissNotice'>;
  clock: Clock;
}

export const appHandlers = ({ info, store, clock }: AppHandlerDeps) =>
  ({
    'app.info': () => info,
    'app.notices': () => store.notices(),
    'app.dismissNotice': ({ id }) => {
      store.dismissNotice(id, isoNow(clock));
      return null;
    },
  }) satisfies DomainHandlers<typeof appCommands>;
