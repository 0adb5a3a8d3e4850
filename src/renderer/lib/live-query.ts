import { useCallback, useEffect, useRef, useState } from 'react';
import { useLatest } from './latest';
import type { Api } from '../../shared/contract/transport';
import type { Result } from '../../shared/lib/result';
import { useApi, useConnectionState } from './client';

export interface LiveQuery<T> {
  data: T | undefined;
  error: string | null;
  reload(): void;
}

/**
 * A query that stays fresh: it runs when `key` changes, whenever `subscribe` says the data changed (contract
 * events) and after the connection to the core comes back. Stale answers from a previous key are dropped.
 */
export function useLiveQuery<T>(
  key: string | null,
  load: (api: Api) => Promise<Result<T>>,
  subscribe: (api: Api, refresh: () => void) => () => void,
): LiveQuery<T> {
  const api = useApi();
  const connection = useConnectionState();
  const [state, setState] = useState<{ key: string | null; data: T | undefined; error: string | null }>({
    key: null,
    data: undefined,
    error: null,
  });
  const loadRef = useLatest(load);
  const subscribeRef = useLatest(subscribe);
  const generation = useRef(0);

  const reload = useCallback(() => {
    const mine = ++generation.current;
    if (key === null) return;
    void loadRef.current(api).then((result) => {
      if (mine !== generation.current) return;
      setState(
        result.ok
          ? { key, data: result.value, error: null }
          : (prev) => ({ key, data: prev.key === key ? prev.data : undefined, error: result.error.message }),
      );
    });
  }, [api, key, loadRef]);

  useEffect(() => {
    if (connection === 'connected') reload();
  }, [reload, connection]);

  useEffect(() => {
    if (key === null) return;
    return subscribeRef.current(api, reload);
  }, [api, key, reload, subscribeRef]);

  const current = state.key === key;
  return { data: current ? state.data : undefined, error: current ? state.error : null, reload };
}
