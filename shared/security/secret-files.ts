/**
 * The engine's secrets and their key, all in the data folder so they never live apart
 * (docs/architecture.md, "Secrets"). One key seals `secrets.sealed`; the hosts keep it as:
 */

/** The sealed secrets (S3 secret keys, job passwords); it records the id of its key. */
export const SECRETS_FILE = 'secrets.sealed';
/** The key as 64 hex digits, readable only by its owner: `ferry serve`, the CLI, and the desktop app without a keychain. */
export const PLAIN_KEY_FILE = 'secret.key';
/** The key sealed with the OS keychain (Electron's safeStorage): the desktop app's form. */
export const KEYCHAIN_KEY_FILE = 'secret.key.safe';
/** The desktop app's switch that writes PLAIN_KEY_FILE from KEYCHAIN_KEY_FILE, so `ferry serve` can share the secrets. */
export const EXPORT_KEY_SWITCH = '--export-secret-key';

/** A key is 32 bytes, written as 64 hexadecimal digits. */
export function parseHexKey(text: string): Uint8Array | undefined {
  const trimmed = text.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(trimmed)) return undefined;
  return Uint8Array.from(trimmed.match(/../g)!, (pair) => Number.parseInt(pair, 16));
}
