import { useSyncExternalStore } from 'react';
import type { PresenceViewerView } from '../../../shared/contract';
import { colorClass, type PresenceChannel } from './presence';

const SHOWN = 5;

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters =
    words.length > 1 ? [words[0]!, words.at(-1)!].map((w) => w[0]) : [...(words[0] ?? '?')].slice(0, 2);
  return letters.join('').toUpperCase();
}

/**
 * One avatar per person (a user on two devices is one viewer here), in the order they arrived; this device's
 * other windows are one more ("You (other window)"), apart from the same user's other devices.
 */
const personOf = (viewer: PresenceViewerView): string => (viewer.local ? 'local' : `user:${viewer.userId}`);

function people(viewers: readonly PresenceViewerView[]): PresenceViewerView[] {
  const seen = new Map<string, PresenceViewerView>();
  for (const viewer of viewers) if (!seen.has(personOf(viewer))) seen.set(personOf(viewer), viewer);
  return [...seen.values()];
}

/** "Who is viewing": the other people on this page right now, as coloured initials. */
export function ViewerList({ channel }: { channel: PresenceChannel }) {
  const viewers = people(useSyncExternalStore(channel.subscribe, channel.viewers));
  if (viewers.length === 0) return null;
  const hidden = viewers.slice(SHOWN);
  const label = `Also viewing: ${viewers.map((v) => v.name).join(', ')}`;
  return (
    <ul className="viewer-list" aria-label={label} title={label}>
      {viewers.slice(0, SHOWN).map((viewer) => (
        <li
          key={personOf(viewer)}
          className={`viewer-avatar ${colorClass(viewer)}`}
          aria-label={viewer.name}
          title={viewer.name}
        >
          {initials(viewer.name)}
        </li>
      ))}
      {hidden.length > 0 ? (
        <li
          className="viewer-avatar viewer-more"
          aria-label={`${hidden.length} more`}
          title={hidden.map((v) => v.name).join(', ')}
        >
          +{hidden.length}
        </li>
      ) : null}
    </ul>
  );
}
