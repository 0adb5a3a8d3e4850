import { Menu } from './menu';

const EMOJI = [
  '📄',
  '📝',
  '📌',
  '💡',
  '✅',
  '📚',
  '🗂️',
  '🎯',
  '🚀',
  '🧪',
  '🛠️',
  '📅',
  '💬',
  '⭐',
  '🔒',
  '🌱',
];

export interface EmojiPickerProps {
  at: { x: number; y: number };
  hasIcon: boolean;
  onPick(icon: string | null): void;
  onClose(): void;
}

/** A short list of icons for pages and sections; the contract stores any short string. */
export function EmojiPicker({ at, hasIcon, onPick, onClose }: EmojiPickerProps) {
  return (
    <Menu
      label="Choose an icon"
      variant="grid"
      at={at}
      onClose={onClose}
      items={[
        ...EMOJI.map((emoji) => ({ label: emoji, onSelect: () => onPick(emoji) })),
        ...(hasIcon
          ? [
              'separator' as const,
              { label: 'Remove icon', icon: 'close' as const, onSelect: () => onPick(null) },
            ]
          : []),
      ]}
    />
  );
}
