import { useState, type FormEvent } from 'react';
import { useApi } from '../../lib/client';
import { FormError } from '../../ui/form-error';

const INVITE_ROLES = [
  { value: 'guest', label: 'Guest: only what is shared with them' },
  { value: 'collaborator', label: 'Collaborator: edits every section' },
  { value: 'admin', label: 'Admin: manages the notebook' },
] as const;

/** Invites one or several people to a notebook by username, with one notebook role; per-user errors shown. */
export function InviteForm({ accountId, notebookId }: { accountId: string; notebookId: string }) {
  const api = useApi();
  const [usernames, setUsernames] = useState('');
  const [role, setRole] = useState<(typeof INVITE_ROLES)[number]['value']>('guest');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ invited: string[]; errors: string[] } | null>(null);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setOutcome(null);
    const result = await api.invoke('sharing.invite', { accountId, notebookId, usernames, role });
    setBusy(false);
    if (!result.ok) {
      // Input refused by the contract: its field's own words ("not a username: …"), not the envelope's.
      const details = result.error.details.map((d) => d.message);
      setOutcome({ invited: [], errors: details.length > 0 ? details : [result.error.message] });
      return;
    }
    setOutcome({
      invited: result.value.invited.map((m) => m.name || m.username),
      errors: result.value.errors.map((e) => `${e.username}: ${e.message}`),
    });
    if (result.value.errors.length === 0) setUsernames('');
  };

  return (
    <form
      className="share-invite"
      aria-label="Invite to the notebook"
      onSubmit={(event) => void submit(event)}
    >
      <h3 className="share-heading">Invite to the notebook</h3>
      <div className="share-invite-row">
        <label className="field">
          <span>Usernames</span>
          <input
            className="text-input"
            required
            autoComplete="off"
            placeholder="e.g. sam, lee"
            value={usernames}
            onChange={(event) => setUsernames(event.target.value)}
          />
        </label>
        <label className="field">
          <span>Notebook role</span>
          <select
            className="share-select"
            value={role}
            onChange={(event) => setRole(event.target.value as typeof role)}
          >
            {INVITE_ROLES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Inviting…' : 'Invite'}
        </button>
      </div>
      {outcome?.invited.length ? (
        <p className="share-pending" role="status">
          Invited {outcome.invited.join(', ')}.
        </p>
      ) : null}
      {outcome?.errors.length ? (
        <FormError>
          <strong>Not invited:</strong> {outcome.errors.join('; ')}
        </FormError>
      ) : null}
    </form>
  );
}
