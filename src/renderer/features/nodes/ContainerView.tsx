import type { NodeView } from '../../../shared/contract';
import { useLiveQuery } from '../../lib/live-query';
import { typeIcon } from '../sidebar/type-icon';
import { Icon } from '../../ui/icons';
import { displayName, isUnknownType, typeLabel } from '../sidebar/tree-model';
import { describeContents } from './contents';
import './nodes.css';

export interface ContainerViewProps {
  accountId: string;
  node: NodeView;
  path: readonly NodeView[];
  /** Its children in the tree (a type this app cannot show keeps them reachable here and in the sidebar). */
  children: readonly NodeView[];
  onOpen(node: NodeView): void;
}

/**
 * A node this app has no view of its own for (a section opened by a link, or a type made by a newer app):
 * what it is, what is inside it, and its children to open. Never "No page open": nothing synced is hidden.
 */
export function ContainerView({ accountId, node, path, children, onOpen }: ContainerViewProps) {
  const contents = useLiveQuery(
    `${accountId}/${node.id}/contents`,
    (api) => api.invoke('node.contents', { accountId, nodeId: node.id }),
    (api, refresh) =>
      api.subscribe('node.changed', (event) => {
        if (event.accountId === accountId && event.notebookId === node.notebookId) refresh();
      }),
  );
  const unknown = isUnknownType(node);
  const inside = contents.data ? describeContents(contents.data) : '';
  return (
    <article className="page-view container-view" aria-label={displayName(node)}>
      <header className="page-header">
        <nav className="breadcrumb" aria-label="Location">
          {path.map((ancestor) => (
            <span key={ancestor.id} className="crumb" title={displayName(ancestor)}>
              <span className="crumb-name">{displayName(ancestor)}</span>
              <Icon name="chevronRight" size={12} className="crumb-separator" />
            </span>
          ))}
          <span className="crumb current" title={displayName(node)}>
            <span className="crumb-name">{displayName(node)}</span>
          </span>
        </nav>
      </header>
      <div className="page-scroll">
        <div className="page-column">
          <div className="page-icon">{node.icon ?? <Icon name={typeIcon(node)} size={40} />}</div>
          <h1 className="page-title static">{displayName(node)}</h1>
          <p className="container-kind">{typeLabel(node)}</p>
          {unknown ? (
            <p className="container-note" role="note">
              This item was made by a newer version of Hoody Notes, which this app cannot show. It is kept as
              it is and keeps syncing unchanged; what is inside it stays reachable below and in the sidebar.
            </p>
          ) : null}
          <p className="container-note">{inside ? `Inside: ${inside}.` : 'Nothing inside yet.'}</p>
          {children.length > 0 ? (
            <ul className="container-children" aria-label="Inside">
              {children.map((child) => (
                <li key={child.id}>
                  <button type="button" className="container-child" onClick={() => onOpen(child)}>
                    <span className="node-icon static">{child.icon ?? <Icon name={typeIcon(child)} />}</span>
                    <span className="node-name">{displayName(child)}</span>
                    {child.type !== 'page' ? <span className="type-badge">{typeLabel(child)}</span> : null}
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      </div>
    </article>
  );
}
