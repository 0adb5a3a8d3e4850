import { useState } from 'react';
import { Icon } from '../../ui/icons';
import { Menu, menuBelow } from '../../ui/menu';

/** The reactions offered, in the picker's order. */
export const REACTION_CHOICES = ['👍', '❤️', '🎉', '😄', '🤔', '👀', '🚀', '✅'] as const;

export interface ReactionPickerProps {
  /** The button's accessible name ("Add reaction", or naming what it reacts to). */
  label: string;
  /** Whether the user has already reacted with `reaction` (choosing it again takes it back). */
  isMine(reaction: string): boolean;
  onToggle(reaction: string, on: boolean): void;
}

/**
 * A button that opens the reactions as a grid menu: from the keyboard, Enter or Space opens it, the arrows
 * move, Enter picks, Escape closes, and the focus comes back to the button either way (the menu's rules).
 */
export function ReactionPicker({ label, isMine, onToggle }: ReactionPickerProps) {
  const [at, setAt] = useState<{ x: number; y: number } | null>(null);
  return (
    <>
      <button
        type="button"
        className="reaction-add"
        aria-label={label}
        title="Add reaction"
        aria-haspopup="menu"
        aria-expanded={at !== null}
        onClick={(event) => setAt(menuBelow(event.currentTarget))}
      >
        <Icon name="smile" size={15} />
      </button>
      {at ? (
        <Menu
          label="Add reaction"
          variant="grid"
          at={at}
          onClose={() => setAt(null)}
          items={REACTION_CHOICES.map((reaction) => ({
            label: reaction,
            onSelect: () => onToggle(reaction, !isMine(reaction)),
          }))}
        />
      ) : null}
    </>
  );
}
