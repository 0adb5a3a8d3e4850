import { useEffect, useState } from 'react';
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

/** After this long without the core, the banner also says what to do if it came back somewhere else. */
const LONG_AWAY_MS = 15_000;
const LONG_AWAY_HINT =
  ' Still not back: if the core was started again on another address, open the link it printed there.';

/** Browser mode talks to the core over a socket; when it is down, say so plainly (and that edits are kept). */
export function ConnectionBanner() {
  const state = useConnectionState();
  const [longAway, setLongAway] = useState(false);
  const [longAwayFor, setLongAwayFor] = useState(state);
  if (longAwayFor !== state) {
    setLongAwayFor(state);
    setLongAway(false);
  }
  useEffect(() => {
    if (state !== 'disconnected') return;
    const timer = setTimeout(() => setLongAway(true), LONG_AWAY_MS);
    return () => clearTimeout(timer);
  }, [state]);
  if (state === 'connected') return null;
  const healing = state === 'connecting' || state === 'disconnected';
  return (
    <div className={TONE[state]} role="alert" data-connection={state}>
      <Icon name={healing ? 'sync' : 'alert'} size={16} className={healing ? 'spin' : undefined} />
      <span>
        {MESSAGES[state]}
        {longAway ? LONG_AWAY_HINT : ''}
      </span>
    </div>
  );
}
