import { useState } from 'react';
import type { NodePersonView, NodeView } from '../../../shared/contract';
import type { NodeRole } from '../../../shared/model/roles';
import { useApi } from '../../lib/client';
import { useLiveQuery } from '../../lib/live-query';
import { FormError } from '../../ui/form-error';
import { Icon } from '../../ui/icons';
import { useShowModal } from '../sync/use-sync';
import { displayName } from '../sidebar/tree-model';
import { InviteForm } from './InviteForm';
import { PersonAvatar } from './PersonAvatar';
import '../sync/sync.css';
import './sharing.css';

export interface ShareDialogProps {
  accountId: string;
  node: NodeView;
  /** The user may invite people to the notebook (owner or admin). */
  canInvite: boolean;
  onClose(): void;
}

const GRANTS: readonly { value: NodeRole | ''; label: string }[] = [
  { value: '', label: 'Not granted here' },
  { value: 'viewer', label: 'Viewer: reads' },
  { value: 'collaborator', label: 'Collaborator: reads and comments' },
  { value: 'editor', label: 'Editor: edits' },
  { value: 'admin', label: 'Admin: edits, deletes, shares' },
];

/** Why a person has the access they have, in words. */
function because(person: NodePersonView): string {
  if (person.role === null) return 'No access';
  const role = person.role[0]!.toUpperCase() + person.role.slice(1);
  if (person.source === 'here') return `${role}, granted here`;
  if (person.source === 'inherited') return `${role}, from “${person.grantedOnName ?? 'a parent'}”`;
  return `${role}, as notebook ${person.notebookRole}`;
}

/**
 * Share a section, page or database: who has access and why, a role granted here per member (saved at once,
 * sent when online), and inviting people to the notebook by username (online).
 */
export function ShareDialog({ accountId, node, canInvite, onClose }: ShareDialogProps) {
  const api = useApi();
  const ref = useShowModal();
  const sharing = useLiveQuery(
    `${accountId}/${node.id}`,
    (a) => a.invoke('sharing.people', { accountId, nodeId: node.id }),
    (a, refresh) => {
      const offs = [
        a.subscribe('node.changed', (e) => e.accountId === accountId && refresh()),
        a.subscribe('sharing.changed', (e) => e.accountId === accountId && refresh()),
      ];
      return () => offs.forEach((off) => off());
    },
  );
  const [error, setError] = useState<string | null>(null);
  const view = sharing.data;
  const name = displayName(node);
  const others = view?.people.filter((p) => !p.isMe) ?? [];

  const grant = async (person: NodePersonView, role: NodeRole | null): Promise<void> => {
    setError(null);
    const result = await api.invoke('sharing.setRole', {
      accountId,
      nodeId: node.id,
      userId: person.userId,
      role,
    });
    if (!result.ok) setError(`${person.name}’s access was not changed: ${result.error.message}`);
    else sharing.reload();
  };

  return (
    <dialog ref={ref} className="dialog wide share-dialog" aria-labelledby="share-title" onClose={onClose}>
      <header className="panel-head">
        <h2 id="share-title" className="dialog-title" title={name}>
          Share “{name}”
        </h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>
      <div className="panel-body">
        {(error ?? sharing.error) ? <FormError>{error ?? sharing.error}</FormError> : null}
        {view?.refused ? (
          <FormError>
            <strong>The server refused a change of this {node.type}.</strong> {view.refused} It is kept:
            review it in the Sync panel.
          </FormError>
        ) : null}
        {view?.pending ? (
          <p className="share-pending" role="status">
            Changes are saved on this device and will reach the server when it can be reached.
          </p>
        ) : null}
        <h3 className="share-heading">People with access</h3>
        {view && others.length === 0 ? (
          <p className="share-empty">
            Only you are in this notebook.{' '}
            {canInvite ? 'Invite people below, then give them a role here.' : ''}
          </p>
        ) : null}
        <ul className="share-people" aria-label="People">
          {view?.people.map((person) => (
            <li key={person.userId} className="share-person">
              <PersonAvatar person={person} />
              <span className="share-person-text">
                <strong title={person.name}>
                  {person.name}
                  {person.isMe ? ' (you)' : ''}
                </strong>
                <span className="share-person-meta" title={`@${person.username} · ${because(person)}`}>
                  @{person.username} · {because(person)}
                </span>
              </span>
              {view.canShare && !person.isMe ? (
                <select
                  className="share-select"
                  aria-label={`Role of ${person.name} on ${name}`}
                  value={person.source === 'here' ? (person.role ?? '') : ''}
                  onChange={(event) => void grant(person, (event.target.value || null) as NodeRole | null)}
                >
                  {GRANTS.map((g) => (
                    <option key={g.value} value={g.value}>
                      {g.label}
                    </option>
                  ))}
                </select>
              ) : null}
            </li>
          ))}
        </ul>
        {!view?.canShare && view ? (
          <p className="share-hint">Only admins of this {node.type} can change who has access.</p>
        ) : null}
        {canInvite ? <InviteForm accountId={accountId} notebookId={node.notebookId} /> : null}
      </div>
    </dialog>
  );
}
