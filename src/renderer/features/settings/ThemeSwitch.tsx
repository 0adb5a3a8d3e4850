import type { Theme } from '../../../shared/contract';
import { Icon, type IconName } from '../../ui/icons';

const OPTIONS: readonly { theme: Theme; icon: IconName; label: string }[] = [
  { theme: 'light', icon: 'sun', label: 'Light theme' },
  { theme: 'dark', icon: 'moon', label: 'Dark theme' },
  { theme: 'system', icon: 'monitor', label: 'Match the system theme' },
];

export function ThemeSwitch({ theme, onChange }: { theme: Theme; onChange(theme: Theme): void }) {
  return (
    <div className="segmented" role="radiogroup" aria-label="Theme">
      {OPTIONS.map((option) => (
        <button
          key={option.theme}
          type="button"
          role="radio"
          aria-checked={theme === option.theme}
          aria-label={option.label}
          title={option.label}
          className={theme === option.theme ? 'segment active' : 'segment'}
          onClick={() => onChange(option.theme)}
        >
          <Icon name={option.icon} size={14} />
        </button>
      ))}
    </div>
  );
}
