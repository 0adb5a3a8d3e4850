import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where server tokens live; never in SQLite. Electron encrypts with the OS keychain (desktop/safe-storage.ts). */
export interface SecretStore {
  /** False for the browser-mode file: the user is told that tokens are stored unencrypted. */
  readonly encrypted: boolean;
  get(key: string): string | null;
  set(key: string, secret: string): void;
  delete(key: string): void;
}

/** Encrypts/decrypts one secret (Electron's safeStorage); the file store below keeps the ciphertext. */
export interface SecretCipher {
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
}

/**
 * A JSON file readable only by this user (0600), written atomically. Without a cipher (browser mode) the
 * tokens are stored in plain text, which the app reports with a warning notice.
 */
export class FileSecretStore implements SecretStore {
  readonly encrypted: boolean;
  private readonly path: string;

  constructor(
    dataDir: string,
    private readonly cipher: SecretCipher | null = null,
  ) {
    this.path = join(dataDir, cipher ? 'secrets.enc.json' : 'secrets.json');
    this.encrypted = cipher !== null;
  }

  /** Null when absent or unreadable (e.g. the OS keychain changed): the account then asks to sign in again. */
  get(key: string): string | null {
    const stored = this.read()[key];
    if (stored === undefined) return null;
    try {
      return this.cipher ? this.cipher.decrypt(Buffer.from(stored, 'base64')) : stored;
    } catch {
      return null;
    }
  }

  set(key: string, secret: string): void {
    const stored = this.cipher ? this.cipher.encrypt(secret).toString('base64') : secret;
    this.write({ ...this.read(), [key]: stored });
  }

  delete(key: string): void {
    const { [key]: _removed, ...rest } = this.read();
    this.write(rest);
  }

  private read(): Record<string, string> {
    if (!existsSync(this.path)) return {};
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, string>;
    } catch {
      return {}; // a damaged file must not stop the app from starting; its accounts ask to sign in again
    }
  }

  private write(secrets: Record<string, string>): void {
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, JSON.stringify(secrets), { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, this.path);
  }
}
