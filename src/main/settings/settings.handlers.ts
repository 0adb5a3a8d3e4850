import type { settingsCommands } from '../../shared/contract/settings';
import type { DomainHandlers } from '../ipc/router';
import type { EventBus } from '../lib/events';
import type { AppStore } from './app-store.repository';

export interface SettingsHandlerDeps {
  store: Pick<AppStore, 'settings' | 'updateSettings'>;
  events: EventBus;
}

export const settingsHandlers = ({ store, events }: SettingsHandlerDeps) =>
  ({
    'settings.get': () => store.settings(),
    'settings.update': (patch) => {
      const settings = store.updateSettings(patch);
      events.emit('settings.changed', settings);
      return settings;
    },
  }) satisfies DomainHandlers<typeof settingsCommands>;
