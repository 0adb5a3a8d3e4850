import type { ConnectionState } from '../../api';
import { useConnectionState } from '../../lib/client';
import { Icon } from '../../ui/icons';

type Shown = Exclude<ConnectionState, 'connected'>;

const MESSAGES: Record<Shown, string> = {
  connecting: 'Connecting to the Hoody Notes core…',
  disconnected:
    'Reconnecting to the app core… You can keep writing on this page: what you type stays in this tab and is saved when the core is back.',
  'no-key':
    'This address has no access key. Open the full link the Hoody Notes core printed (it ends in #k=…).',
  'key-refused':
    'The Hoody Notes core on this address no longer accepts this tab’s access key (it was started with a new one). Copy what you still need, then open the new link it printed.',
};

/** Existing banner tones: warning (no class) while it heals by itself, `error` when the person must act. */
const TONE: Record<Shown, string> = {
  connecting: 'banner info',
  disconnected: 'banner',
  'no-key': 'banner error',
  'key-refused': 'banner error',
};

/** Browser mode talks to the core over a socket; when it is down, say so plainly (and that edits are kept). */
export function ConnectionBanner() {
  const state = useConnectionState();
  if (state === 'connected') return null;
  const healing = state === 'connecting' || state === 'disconnected';
  return (
    <div className={TONE[state]} role="alert" data-connection={state}>
      <Icon name={healing ? 'sync' : 'alert'} size={16} className={healing ? 'spin' : undefined} />
      <span>{MESSAGES[state]}</span>
    </div>
  );
}
