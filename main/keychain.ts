import type { SafeStorage } from 'electron';

/**
 * Encryption with the OS keychain (Electron's safeStorage in the app; a fake in tests),
 * used only to seal the key of the engine's secrets file (main/engine-key.ts).
 */
export interface Keychain {
  /** undefined when the keychain is usable; else a sentence for the user saying why not. */
  unavailableReason(): Promise<string | undefined>;
  encrypt(plainText: string): Promise<Buffer>;
  decrypt(data: Buffer): Promise<string>;
}

/** Linux backends that are a real keyring; 'basic_text' is a hard-coded password, 'unknown' is "not ready". */
const REAL_LINUX_BACKENDS: ReadonlySet<string> = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

/**
 * Electron's safeStorage as a Keychain, through the asynchronous API (the synchronous
 * encryptString/decryptString are deprecated in Electron 45). On Linux only a real
 * keyring counts: without one (kwallet / libsecret) safeStorage "encrypts" with a
 * hard-coded password, which is plain text in disguise.
 */
export function safeStorageKeychain(safeStorage: SafeStorage, platform: NodeJS.Platform = process.platform): Keychain {
  return {
    async unavailableReason() {
      if (platform === 'linux') {
        const backend = safeStorage.getSelectedStorageBackend();
        if (!REAL_LINUX_BACKENDS.has(backend)) {
          return `no OS keyring is available (GNOME Keyring / libsecret or KWallet; Electron reports the "${backend}" backend)`;
        }
      }
      if (!(await safeStorage.isAsyncEncryptionAvailable())) return 'the OS keychain is not available to Ferry';
      return undefined;
    },
    encrypt: (plainText) => safeStorage.encryptStringAsync(plainText),
    // shouldReEncrypt (a rotated keychain key) is not acted on: the old form stays readable.
    decrypt: async (data) => (await safeStorage.decryptStringAsync(data)).result,
  };
}
