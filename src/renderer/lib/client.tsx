import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { Api } from '../../shared/contract/transport';
import type { Client, ConnectionState } from '../api';

const ClientContext = createContext<Client | null>(null);

export function ClientProvider({ client, children }: { client: Client; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

function useClient(): Client {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside <ClientProvider>');
  return client;
}

export const useApi = (): Api => useClient().api;

export function useConnectionState(): ConnectionState {
  const { connection } = useClient();
  return useSyncExternalStore(
    (onChange) => connection.onChange(onChange),
    () => connection.state(),
  );
}
