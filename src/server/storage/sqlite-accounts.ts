import type { NotebookRole } from '../../shared/model/roles';
import type { AccountRow, MemberRow, MemberWithAccount, NotebookRow, TokenRow } from './repository';
import { SqliteRepositoryBase } from './sqlite-base';
import { NOTEBOOK_COLUMNS, MEMBER_COLUMNS } from './sqlite-columns';

/** The SQLite repository's accounts, tokens, notebooks and notebook members. */
export abstract class SqliteAccountsRepository extends SqliteRepositoryBase {
  getAccount(id: string): AccountRow | undefined {
    return this.get(`SELECT id, username, name, avatar, created_at AS createdAt FROM accounts WHERE id = ?`, [
      id,
    ]);
  }
  findAccountByUsername(username: string): AccountRow | undefined {
    return this.get(
      `SELECT id, username, name, avatar, created_at AS createdAt FROM accounts WHERE username = ?`,
      [username],
    );
  }
  insertAccount(row: AccountRow): void {
    this.run(`INSERT INTO accounts (id, username, name, avatar, created_at) VALUES (?, ?, ?, ?, ?)`, [
      row.id,
      row.username,
      row.name,
      row.avatar,
      row.createdAt,
    ]);
  }

  insertToken(row: TokenRow): void {
    this.run(`INSERT INTO tokens (id, account_id, hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?)`, [
      row.id,
      row.accountId,
      row.hash,
      row.createdAt,
      row.revokedAt,
    ]);
  }
  findTokenByHash(hash: string): TokenRow | undefined {
    return this.get(
      `SELECT id, account_id AS accountId, hash, created_at AS createdAt, revoked_at AS revokedAt
       FROM tokens WHERE hash = ?`,
      [hash],
    );
  }
  listTokens(): (TokenRow & { username: string })[] {
    return this.all(
      `SELECT t.id, t.account_id AS accountId, t.hash, t.created_at AS createdAt, t.revoked_at AS revokedAt,
         a.username FROM tokens t JOIN accounts a ON a.id = t.account_id ORDER BY t.created_at, t.id`,
    );
  }
  revokeToken(idOrHash: string, at: string): boolean {
    return (
      this.run(`UPDATE tokens SET revoked_at = ? WHERE (id = ? OR hash = ?) AND revoked_at IS NULL`, [
        at,
        idOrHash,
        idOrHash,
      ]) > 0
    );
  }

  getNotebook(id: string): NotebookRow | undefined {
    return this.get(`SELECT ${NOTEBOOK_COLUMNS} FROM notebooks n WHERE n.id = ?`, [id]);
  }
  findDefaultNotebook(accountId: string): NotebookRow | undefined {
    return this.get(`SELECT ${NOTEBOOK_COLUMNS} FROM notebooks n WHERE n.is_default_for = ?`, [accountId]);
  }
  insertNotebook(row: NotebookRow): void {
    this.run(
      `INSERT INTO notebooks (id, name, description, avatar, status, max_file_size, is_default_for, created_at,
         created_by, updated_at)
       VALUES (@id, @name, @description, @avatar, @status, @maxFileSize, @isDefaultFor, @createdAt, @createdBy,
         @updatedAt)`,
      { ...row },
    );
  }
  updateNotebook(row: NotebookRow): void {
    this.run(
      `UPDATE notebooks SET name = @name, description = @description, avatar = @avatar, status = @status,
         max_file_size = @maxFileSize, updated_at = @updatedAt WHERE id = @id`,
      { ...row },
    );
  }
  deleteNotebook(id: string): void {
    this.run(`DELETE FROM notebooks WHERE id = ?`, [id]);
    this.forgetRows();
  }
  listNotebooksOf(userId: string): (NotebookRow & { role: NotebookRole })[] {
    return this.all(
      `SELECT ${NOTEBOOK_COLUMNS}, m.role FROM notebooks n JOIN notebook_users m ON m.notebook_id = n.id
       WHERE m.user_id = ? ORDER BY n.created_at, n.id`,
      [userId],
    );
  }

  getMember(notebookId: string, userId: string): MemberWithAccount | undefined {
    return this.get(
      `SELECT ${MEMBER_COLUMNS}, a.username, a.name, a.avatar FROM notebook_users m
       JOIN accounts a ON a.id = m.user_id WHERE m.notebook_id = ? AND m.user_id = ?`,
      [notebookId, userId],
    );
  }
  upsertMember(row: MemberRow): void {
    this.run(
      `INSERT INTO notebook_users (notebook_id, user_id, role, custom_name, custom_avatar, created_at, updated_at,
         revision)
       VALUES (@notebookId, @userId, @role, @customName, @customAvatar, @createdAt, @updatedAt, @revision)
       ON CONFLICT (notebook_id, user_id) DO UPDATE SET role = excluded.role, custom_name = excluded.custom_name,
         custom_avatar = excluded.custom_avatar, updated_at = excluded.updated_at, revision = excluded.revision`,
      { ...row },
    );
  }
  listMembers(notebookId: string): MemberRow[] {
    return this.all(`SELECT ${MEMBER_COLUMNS} FROM notebook_users m WHERE m.notebook_id = ?`, [notebookId]);
  }
}
