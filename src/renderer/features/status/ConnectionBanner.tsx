import { useConnectionState } from '../../lib/client';
import { Icon } from '../../ui/icons';

/** Browser mode talks to the core over a socket; when it is down, say so plainly (edits cannot be saved). */
export function ConnectionBanner() {
  const state = useConnectionState();
  if (state === 'connected') return null;
  return (
    <div className={`banner ${state}`} role="alert">
      <Icon name="alert" size={16} />
      {state === 'connecting'
        ? 'Connecting to the Hoody Notes core…'
        : 'Disconnected from the Hoody Notes core. Changes cannot be saved until it is back; reconnecting…'}
    </div>
  );
}
