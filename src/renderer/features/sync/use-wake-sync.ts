import { useEffect } from 'react';
import { useApi } from '../../lib/client';

/** Focus, visibility and online often fire together (or in bursts): one wake-up per this is enough. */
const WAKE_EVERY_MS = 1_000;

/**
 * Tells the core when the network came back or the user looks at the app (the window is shown or focused):
 * a server connection waiting out its backoff then retries at once instead of seconds later. The core only
 * learns this from a window (browser mode has no OS events of its own), so every window reports it.
 */
export function useWakeSync(): void {
  const api = useApi();
  useEffect(() => {
    let last = 0;
    const wake = (): void => {
      const now = Date.now();
      if (now - last < WAKE_EVERY_MS) return;
      last = now;
      void api.invoke('sync.wake', {});
    };
    const onVisibility = (): void => {
      if (document.visibilityState === 'visible') wake();
    };
    window.addEventListener('online', wake);
    window.addEventListener('focus', wake);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('online', wake);
      window.removeEventListener('focus', wake);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [api]);
}
