import type { ConnectionState } from '../../api';
import { useConnectionState } from '../../lib/client';
import { Icon } from '../../ui/icons';

const MESSAGES: Record<Exclude<ConnectionState, 'connected'>, string> = {
  connecting: 'Connecting to the Hoody Notes core…',
  disconnected:
    'Disconnected from the Hoody Notes core. Changes cannot be saved until it is back; reconnecting…',
  'no-key':
    'This address has no access key. Open the full link the Hoody Notes core printed (it ends in #k=…).',
};

/** Browser mode talks to the core over a socket; when it is down, say so plainly (edits cannot be saved). */
export function ConnectionBanner() {
  const state = useConnectionState();
  if (state === 'connected') return null;
  return (
    <div className={`banner ${state}`} role="alert">
      <Icon name="alert" size={16} />
      {MESSAGES[state]}
    </div>
  );
}
