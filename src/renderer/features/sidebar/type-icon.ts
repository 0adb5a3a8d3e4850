import type { NodeView } from '../../../shared/contract';
import type { IconName } from '../../ui/icons';

const TYPE_ICONS: Record<string, IconName> = {
  section: 'section',
  page: 'page',
  database: 'database',
  channel: 'hash',
  record: 'record',
  message: 'message',
};

/** A node type's icon; a type this app does not know gets the question mark. */
export const typeIcon = (node: Pick<NodeView, 'type'>): IconName => TYPE_ICONS[node.type] ?? 'unknown';
