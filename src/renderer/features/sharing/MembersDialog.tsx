import { useState } from 'react';
import type { MemberView, NotebookView } from '../../../shared/contract';
import { NotebookAction, canOnNotebook } from '../../../shared/model/permissions';
import { NotebookStatus, type NotebookRole } from '../../../shared/model/roles';
import { useApi } from '../../lib/client';
import { FormError } from '../../ui/form-error';
import { Icon } from '../../ui/icons';
import { useShowModal } from '../sync/use-sync';
import { InviteForm } from './InviteForm';
import { PersonAvatar } from './PersonAvatar';
import { useMembers } from './use-members';
import '../sync/sync.css';
import './sharing.css';

export interface MembersDialogProps {
  accountId: string;
  notebook: NotebookView;
  onClose(): void;
}

/** Notebook roles an admin can give from here (owner is granted on the server by an owner, not offered). */
const MEMBER_ROLES: readonly { value: Exclude<NotebookRole, 'owner' | 'none'>; label: string }[] = [
  { value: 'admin', label: 'Admin' },
  { value: 'collaborator', label: 'Collaborator' },
  { value: 'guest', label: 'Guest' },
];

const roleName = (role: NotebookRole): string => role[0]!.toUpperCase() + role.slice(1);

/**
 * A server notebook's members (notebook menu → Members…): who is in it with their role; owners and admins
 * invite people, change roles and remove members (online: the server decides, its reason is shown); anyone
 * may leave (the last owner cannot).
 */
export function MembersDialog({ accountId, notebook, onClose }: MembersDialogProps) {
  const api = useApi();
  const ref = useShowModal();
  const members = useMembers(accountId, notebook.id);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const canManage = canOnNotebook(
    notebook.role,
    NotebookStatus.active,
    NotebookAction.updateUserRole,
  ).allowed;
  // Only an owner changes an owner's role (the server's rule, so not offered to admins).
  const manages = (member: MemberView): boolean =>
    canManage && !member.isMe && (member.role !== 'owner' || notebook.role === 'owner');

  const setRole = async (member: MemberView, role: Exclude<NotebookRole, 'owner'>): Promise<void> => {
    setError(null);
    setBusy(member.userId);
    const result = await api.invoke('sharing.setMemberRole', {
      accountId,
      notebookId: notebook.id,
      userId: member.userId,
      role,
    });
    setBusy(null);
    const what = role === 'none' ? 'was not removed' : 'keeps their role';
    if (!result.ok) setError(`${member.name || member.username} ${what}: ${result.error.message}`);
    else members.reload();
  };

  const leave = async (): Promise<void> => {
    setError(null);
    setBusy('leave');
    const result = await api.invoke('sharing.leave', { accountId, notebookId: notebook.id });
    setBusy(null);
    if (result.ok) onClose();
    else {
      setConfirmLeave(false);
      setError(`You are still in “${notebook.name}”: ${result.error.message}`);
    }
  };

  return (
    <dialog ref={ref} className="dialog wide share-dialog" aria-labelledby="members-title" onClose={onClose}>
      <header className="panel-head">
        <h2 id="members-title" className="dialog-title" title={notebook.name}>
          Members of “{notebook.name}”
        </h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>
      <div className="panel-body">
        {(error ?? members.error) ? <FormError>{error ?? members.error}</FormError> : null}
        <h3 className="share-heading">
          {members.data
            ? `${members.data.length} ${members.data.length === 1 ? 'member' : 'members'}`
            : 'Members'}
        </h3>
        {members.data?.length === 1 ? (
          <p className="share-empty">
            Only you are in this notebook.{canManage ? ' Invite people below.' : ''}
          </p>
        ) : null}
        <ul className="share-people" aria-label="Members">
          {members.data?.map((member) => (
            <li key={member.userId} className="share-person" aria-label={member.name || member.username}>
              <PersonAvatar person={member} />
              <span className="share-person-text">
                <strong title={member.name}>
                  {member.name || member.username}
                  {member.isMe ? ' (you)' : ''}
                </strong>
                <span className="share-person-meta" title={`@${member.username} · ${roleName(member.role)}`}>
                  @{member.username} · {roleName(member.role)}
                </span>
              </span>
              {manages(member) ? (
                <span className="members-actions">
                  <select
                    className="share-select"
                    aria-label={`Notebook role of ${member.name || member.username}`}
                    value={member.role}
                    disabled={busy === member.userId}
                    onChange={(event) =>
                      void setRole(member, event.target.value as (typeof MEMBER_ROLES)[number]['value'])
                    }
                  >
                    {member.role === 'owner' ? <option value="owner">Owner</option> : null}
                    {MEMBER_ROLES.map((r) => (
                      <option key={r.value} value={r.value}>
                        {r.label}
                      </option>
                    ))}
                  </select>
                  <button
                    type="button"
                    className="button"
                    disabled={busy === member.userId}
                    aria-label={`Remove ${member.name || member.username}`}
                    onClick={() => void setRole(member, 'none')}
                  >
                    Remove
                  </button>
                </span>
              ) : null}
            </li>
          ))}
        </ul>
        {!canManage ? (
          <p className="share-hint">
            Only the notebook’s owners and admins can invite people or change roles.
          </p>
        ) : null}
        {canManage ? <InviteForm accountId={accountId} notebookId={notebook.id} /> : null}
        <div className="members-leave">
          {confirmLeave ? (
            <>
              <span>
                Leave “{notebook.name}”? It goes from this device; pages with changes not sent yet are kept in
                the notebooks on this device.
              </span>
              <button type="button" className="button" onClick={() => setConfirmLeave(false)}>
                Stay
              </button>
              <button
                type="button"
                className="button danger"
                disabled={busy === 'leave'}
                onClick={() => void leave()}
              >
                {busy === 'leave' ? 'Leaving…' : 'Leave'}
              </button>
            </>
          ) : (
            <button type="button" className="button danger" onClick={() => setConfirmLeave(true)}>
              Leave notebook…
            </button>
          )}
        </div>
      </div>
    </dialog>
  );
}
