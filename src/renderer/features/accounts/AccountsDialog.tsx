import { useEffect, useId, useState, type FormEvent } from 'react';
import type { AccountView, OutboxEntryView, SyncStatusView } from '../../../shared/contract';
import type { ErrorEnvelope } from '../../../shared/lib/result';
import { useApi } from '../../lib/client';
import { useLiveQuery } from '../../lib/live-query';
import { Dialog } from '../../ui/dialog';
import { FormError } from '../../ui/form-error';
import { Icon } from '../../ui/icons';
import { useToasts } from '../../ui/toast';
import { describeChange, entryName } from '../sync/outbox-entry';
import { summarize, useNodes, useNow, useShowModal } from '../sync/use-sync';
import '../sync/sync.css';

export interface AccountsDialogProps {
  accounts: readonly AccountView[];
  statuses: ReadonlyMap<string, SyncStatusView>;
  currentAccountId: string;
  onOpenAccount(accountId: string): void;
  onClose(): void;
}

/**
 * Why adding a server failed: a heading and what to do, each said once. The codes `account.add` maps; an
 * unreachable server's heading is the core's own line for it ("Can’t reach 127.0.0.1:9 — connection refused").
 */
function addFailure(error: ErrorEnvelope): { title: string; message: string } {
  const { code, message } = error;
  if (code === 'unavailable') {
    const reach = error.details.find((d) => d.path === 'serverUrl')?.message;
    if (reach?.startsWith('Can’t reach'))
      return { title: reach, message: 'Check the address and your connection.' };
    return { title: 'Can’t reach the server', message };
  }
  if (code === 'unauthorized') return { title: 'Token not accepted', message };
  if (code === 'bad_request')
    return {
      title: /not the Hoody Notes API/.test(message) ? 'Not a Hoody Notes server' : 'Check the address',
      message,
    };
  return { title: 'Could not add the server', message };
}

/** Settings → Accounts: the Local account and server accounts; add a server; sign out. */
export function AccountsDialog(props: AccountsDialogProps) {
  const { accounts, statuses } = props;
  const ref = useShowModal();
  const info = useLiveQuery(
    'app.info',
    (a) => a.invoke('app.info', {}),
    () => () => undefined,
  );
  const [signingOut, setSigningOut] = useState<AccountView | null>(null);
  const now = useNow();

  return (
    <dialog
      ref={ref}
      className="dialog wide accounts-dialog"
      aria-labelledby="accounts-title"
      onClose={props.onClose}
    >
      <header className="panel-head">
        <h2 id="accounts-title" className="dialog-title">
          Accounts
        </h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={props.onClose}>
          <Icon name="close" />
        </button>
      </header>
      <div className="panel-body">
        <ul className="account-list" aria-label="Accounts">
          {accounts.map((account) => {
            const status = statuses.get(account.id);
            const summary = summarize(account, status, now);
            return (
              <li key={account.id} className="account-row">
                <span className="account-badge" aria-hidden="true">
                  {account.kind === 'local' ? (
                    <Icon name="monitor" />
                  ) : (
                    account.name.slice(0, 1).toUpperCase()
                  )}
                </span>
                <div className="account-text">
                  <strong>{account.kind === 'local' ? 'This device' : account.name}</strong>
                  <span className="account-meta">
                    {account.kind === 'local'
                      ? 'Notebooks kept only on this computer'
                      : `${account.serverUrl ?? ''} · ${summary.title}`}
                  </span>
                  {status?.initialSync ? (
                    <span className="account-progress">
                      <progress
                        value={status.initialSync.done}
                        max={Math.max(1, status.initialSync.total)}
                        aria-label={`Downloading ${account.name}`}
                      />
                      {status.initialSync.done.toLocaleString()} of{' '}
                      {status.initialSync.total.toLocaleString()} items
                      {status.initialSync.stalledSince ? ' · paused, retrying' : null}
                    </span>
                  ) : null}
                </div>
                {account.id === props.currentAccountId ? (
                  <span className="account-current">In use</span>
                ) : (
                  <button
                    type="button"
                    className="button small"
                    onClick={() => props.onOpenAccount(account.id)}
                  >
                    Open notebooks
                  </button>
                )}
                {account.kind === 'server' ? (
                  <button
                    type="button"
                    className="button small danger-outline"
                    aria-label={`Sign out of ${account.name}`}
                    onClick={() => setSigningOut(account)}
                  >
                    Sign out
                  </button>
                ) : null}
              </li>
            );
          })}
        </ul>
        <AddServerForm onAdded={props.onOpenAccount} />
        {info.data?.mode === 'browser' ? (
          <p className="token-warning" role="note">
            <Icon name="alert" size={14} />
            <span>
              Browser mode stores server tokens <strong>unencrypted</strong> in a file only your user can read
              (secrets.json, permissions 0600), not in an encrypted keychain.
            </span>
          </p>
        ) : null}
      </div>
      {signingOut ? <SignOutDialog account={signingOut} onClose={() => setSigningOut(null)} /> : null}
    </dialog>
  );
}

function AddServerForm({ onAdded }: { onAdded(accountId: string): void }) {
  const api = useApi();
  const { notify } = useToasts();
  const [serverUrl, setServerUrl] = useState('');
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ title: string; message: string } | null>(null);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await api.invoke('account.add', { serverUrl, token });
    setBusy(false);
    if (!result.ok) {
      setError(addFailure(result.error));
      return;
    }
    setServerUrl('');
    setToken('');
    notify(`Signed in to ${result.value.name}. Downloading its notebooks…`);
    onAdded(result.value.id);
  };

  return (
    <form className="add-server" aria-label="Add a server" onSubmit={(event) => void submit(event)}>
      <h3>Add a server</h3>
      <p className="outbox-hint">Sync notebooks through a Hoody Notes server with an access token from it.</p>
      <div className="add-server-fields">
        <TextField
          label="Server address"
          type="text"
          inputMode="url"
          placeholder="notes.example.com or 127.0.0.1:7420"
          hint="Without http:// or https://, this machine (127.0.0.1, localhost) means http://, anything else https://."
          value={serverUrl}
          onChange={setServerUrl}
        />
        <TextField label="Access token" type="password" value={token} onChange={setToken} />
      </div>
      {error ? (
        <FormError>
          <strong>{error.title}.</strong> {error.message}
        </FormError>
      ) : null}
      <div className="dialog-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Checking the server…' : 'Add server'}
        </button>
      </div>
    </form>
  );
}

function TextField(props: {
  label: string;
  type: 'text' | 'password';
  inputMode?: 'url';
  placeholder?: string;
  /** A line under the field, read with it (aria-describedby). */
  hint?: string;
  value: string;
  onChange(value: string): void;
}) {
  const hintId = useId();
  const field = (
    <label className="field">
      <span>{props.label}</span>
      <input
        className="text-input"
        type={props.type}
        inputMode={props.inputMode}
        required
        autoComplete="off"
        spellCheck={false}
        placeholder={props.placeholder}
        aria-describedby={props.hint ? hintId : undefined}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
      />
    </label>
  );
  if (!props.hint) return field;
  // Outside the label, so the field's name stays its label; the hint is its description.
  return (
    <div className="field-with-hint">
      {field}
      <span id={hintId} className="field-hint">
        {props.hint}
      </span>
    </div>
  );
}

/** Signing out deletes the account's data on this device: say which changes would be lost first. */
function SignOutDialog({ account, onClose }: { account: AccountView; onClose(): void }) {
  const api = useApi();
  const { check } = useToasts();
  const [unsynced, setUnsynced] = useState<OutboxEntryView[] | null>(null);
  const nodes = useNodes(account.id, unsynced ?? []);
  useEffect(() => {
    void api.invoke('sync.outbox', { accountId: account.id }).then((result) => {
      setUnsynced(result.ok ? result.value : []);
    });
  }, [api, account.id]);
  if (unsynced === null) return null;
  const force = unsynced.length > 0;
  return (
    <Dialog
      title={`Sign out of ${account.name}?`}
      confirmLabel={force ? 'Sign out anyway' : 'Sign out'}
      danger
      wide={force}
      onConfirm={() =>
        void api.invoke('account.remove', { accountId: account.id, force }).then((r) => check(r, 'sign out'))
      }
      onClose={onClose}
    >
      <p>Its notebooks are removed from this device. They stay on the server, and you can sign in again.</p>
      {force ? (
        <div className="signout-warning" role="alert">
          <p>
            <strong>
              {unsynced.length} change{unsynced.length === 1 ? ' is' : 's are'} not on the server yet and will
              be lost:
            </strong>
          </p>
          <ul>
            {unsynced.slice(0, 20).map((entry) => (
              <li key={entry.id}>
                {entryName(entry, nodes.get(entry.objectId))} — {describeChange(entry).toLowerCase()}
                {entry.status === 'rejected' ? ' (refused by the server)' : ''}
              </li>
            ))}
            {unsynced.length > 20 ? <li>and {unsynced.length - 20} more</li> : null}
          </ul>
        </div>
      ) : null}
    </Dialog>
  );
}
