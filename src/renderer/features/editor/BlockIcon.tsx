import { Icon } from '../../ui/icons';
import type { BlockCommand } from './block-commands';

/** Headings and plain text read better as letters than as pictograms. */
export function BlockIcon({ icon }: { icon: BlockCommand['icon'] }) {
  if (icon === 'H1' || icon === 'H2' || icon === 'H3' || icon === 'Aa') {
    return <span className="glyph">{icon}</span>;
  }
  return <Icon name={icon} />;
}
