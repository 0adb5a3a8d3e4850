import { useState } from 'react';
import type { ReactionView } from '../../../shared/contract';
import { useApi } from '../../lib/client';
import { useLiveQuery } from '../../lib/live-query';
import { Icon } from '../../ui/icons';
import { Menu, menuBelow } from '../../ui/menu';
import { useToasts } from '../../ui/toast';

const CHOICES = ['👍', '❤️', '🎉', '😄', '🤔', '👀', '🚀', '✅'];

/**
 * A page's reactions: each emoji with its count, pressed when it is the user's own; a click toggles it. Saved
 * at once like any edit (the outbox sends it), so it works offline.
 */
export function ReactionBar({ accountId, nodeId }: { accountId: string; nodeId: string }) {
  const api = useApi();
  const { check } = useToasts();
  const [pickerAt, setPickerAt] = useState<{ x: number; y: number } | null>(null);
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
      <button
        type="button"
        className="reaction-add"
        aria-label="Add reaction"
        aria-haspopup="menu"
        aria-expanded={pickerAt !== null}
        onClick={(event) => setPickerAt(menuBelow(event.currentTarget))}
      >
        <Icon name="smile" size={15} />
      </button>
      {pickerAt ? (
        <Menu
          label="Add reaction"
          variant="grid"
          at={pickerAt}
          onClose={() => setPickerAt(null)}
          items={CHOICES.map((reaction) => ({
            label: reaction,
            onSelect: () => set(reaction, !reactions.some((r) => r.reaction === reaction && r.mine)),
          }))}
        />
      ) : null}
    </div>
  );
}
