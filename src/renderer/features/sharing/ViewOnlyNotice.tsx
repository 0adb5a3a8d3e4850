import type { NodeView } from '../../../shared/contract';
import { viewOnlyReason } from '../../../shared/model/access';
import { Icon } from '../../ui/icons';
import { displayName } from '../sidebar/tree-model';
import type { Access } from './use-access';
import './sharing.css';

/** Says that the page is read-only for this user, and why (their role and where it comes from). */
export function ViewOnlyNotice({
  node,
  path,
  access,
}: {
  node: NodeView;
  path: readonly NodeView[];
  access: Access;
}) {
  const grant = access.view?.nodes[node.id];
  const grantedOn = grant?.grantedOn ? [node, ...path].find((n) => n.id === grant.grantedOn) : undefined;
  return (
    <p className="view-only-notice" role="note" aria-label="View only">
      <Icon name="eye" size={14} />
      <strong>View only.</strong>{' '}
      {viewOnlyReason(grant?.role ?? null, grantedOn ? displayName(grantedOn) : null)}
    </p>
  );
}
