import type { ReactionView } from '../../../shared/contract';
import { useApi } from '../../lib/client';
import { useLiveQuery } from '../../lib/live-query';
import { useToasts } from '../../ui/toast';
import { ReactionPicker } from './ReactionPicker';

/**
 * A page's reactions: each emoji with its count, pressed when it is the user's own; a click toggles it. Saved
 * at once like any edit (the outbox sends it), so it works offline.
 */
export function ReactionBar({ accountId, nodeId }: { accountId: string; nodeId: string }) {
  const api = useApi();
  const { check } = useToasts();
  const query = useLiveQuery<ReactionView[]>(
    `${accountId}/${nodeId}`,
    (a) => a.invoke('reaction.list', { accountId, nodeId }),
    (a, refresh) =>
      a.subscribe('node.changed', (event) => {
        if (event.accountId === accountId && event.nodeIds.includes(nodeId)) refresh();
      }),
  );
  const reactions = query.data ?? [];
  const set = (reaction: string, on: boolean): void => {
    void api.invoke('reaction.set', { accountId, nodeId, reaction, on }).then((result) => {
      check(result, 'react');
      query.reload();
    });
  };

  return (
    <div className="reaction-bar" role="group" aria-label="Reactions">
      {reactions.map((r) => (
        <button
          key={r.reaction}
          type="button"
          className={`reaction-chip${r.mine ? ' mine' : ''}`}
          aria-pressed={r.mine}
          aria-label={`${r.reaction} ${r.count}${r.mine ? ', including you' : ''}`}
          onClick={() => set(r.reaction, !r.mine)}
        >
          <span className="reaction-emoji">{r.reaction}</span>
          <span className="reaction-count">{r.count}</span>
        </button>
      ))}
      <ReactionPicker
        label="Add reaction"
        isMine={(reaction) => reactions.some((r) => r.reaction === reaction && r.mine)}
        onToggle={set}
      />
    </div>
  );
}
