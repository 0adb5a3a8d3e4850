import { createHash, randomBytes } from 'node:crypto';
import { IdPrefix, newId } from '../../shared/lib/ids';
import type { AccountRow, NotesRepository } from '../storage/repository';

/** Bearer tokens: random, shown once, stored only as a SHA-256 hash. */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export function ensureAccount(repo: NotesRepository, username: string, now: string): AccountRow {
  const existing = repo.findAccountByUsername(username);
  if (existing) return existing;
  const account: AccountRow = {
    id: newId(IdPrefix.user),
    username,
    name: username,
    avatar: null,
    createdAt: now,
  };
  repo.insertAccount(account);
  return account;
}

export function createToken(
  repo: NotesRepository,
  username: string,
): { id: string; token: string; userId: string } {
  const now = new Date().toISOString();
  return repo.transaction(() => {
    const account = ensureAccount(repo, username, now);
    const token = `hn_${randomBytes(32).toString('base64url')}`;
    const id = newId(IdPrefix.token);
    repo.insertToken({ id, accountId: account.id, hash: hashToken(token), createdAt: now, revokedAt: null });
    return { id, token, userId: account.id };
  });
}

/** Revokes by token id or by the token itself. */
export function revokeToken(repo: NotesRepository, idOrToken: string): boolean {
  const now = new Date().toISOString();
  return repo.transaction(
    () => repo.revokeToken(idOrToken, now) || repo.revokeToken(hashToken(idOrToken), now),
  );
}

export function authenticate(repo: NotesRepository, token: string): AccountRow | undefined {
  const row = repo.findTokenByHash(hashToken(token));
  if (!row || row.revokedAt !== null) return undefined;
  return repo.getAccount(row.accountId);
}
