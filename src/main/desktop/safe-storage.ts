import { safeStorage } from 'electron';
import { FileSecretStore, type SecretStore } from '../accounts/secret-store';

/** Server tokens encrypted with the OS keychain (Electron safeStorage); falls back to the plain file store. */
export function safeStorageSecretStore(dataDir: string): SecretStore {
  if (!safeStorage.isEncryptionAvailable()) return new FileSecretStore(dataDir);
  return new FileSecretStore(dataDir, {
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (cipher) => safeStorage.decryptString(cipher),
  });
}
