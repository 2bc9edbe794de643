import nodemailer from 'nodemailer';
import { type MailSettings, mailSettings, type MailSettingsView } from '../../shared/domain/after-run.ts';
import { FerryError, fieldError } from '../../shared/rpc/errors.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { SecretStore } from '../secrets/secret-store.ts';

const MAIL_SETTING = 'mail.settings';
const PASSWORD_SECRET = 'mail/password';

/** A mail server that does not answer must not hold a report (or the test button) for minutes. */
const TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 } as const;

export interface MailMessage {
  subject: string;
  text: string;
}

/** The field of the settings a failure of the server points at, for the form. */
function fieldOf(code: string | undefined): keyof MailSettings | 'password' {
  switch (code) {
    case 'EAUTH':
    case 'ENOAUTH':
      return 'password';
    case 'ETLS':
      return 'security';
    case 'EENVELOPE':
      return 'recipients';
    default:
      return 'host';
  }
}

/**
 * What went wrong, in words an admin acts on: a connection that failed says what to check
 * (never a bare errno such as ECONNREFUSED); an answer of the server is quoted.
 */
export function describeSmtpFailure(code: string | undefined, message: string, host: string, port: number): string {
  const where = `${host}:${port}`;
  if (/ECONNREFUSED/.test(message)) return `Nothing accepts connections at ${where}: check the server and the port.`;
  if (code === 'EDNS' || /ENOTFOUND|EAI_AGAIN/.test(message)) return `The server name ${host} is not known: check its spelling, or enter its IP address.`;
  if (code === 'ETIMEDOUT' || /ETIMEDOUT|timeout/i.test(message)) return `${where} did not answer in time: check the server, the port and any firewall on the way.`;
  if (/ECONNRESET|EHOSTUNREACH|ENETUNREACH|EPIPE/.test(message)) return `The connection to ${where} broke off: check that this computer can reach the server, and the Security choice.`;
  return `The mail server ${where} did not take the message: ${message}`;
}

/**
 * The SMTP server reports go through: its settings in the catalog, its password in the
 * secret store (never in the catalog, never answered back), and sending.
 */
export class MailService {
  private readonly catalog: Catalog;
  private readonly secrets: SecretStore;
  /** Extra trust anchors (PEM) for servers with a private CA; tests use it for their self-signed server. */
  private readonly ca: string | undefined;

  constructor(options: { catalog: Catalog; secrets: SecretStore; ca?: string }) {
    this.catalog = options.catalog;
    this.secrets = options.secrets;
    this.ca = options.ca;
  }

  /** The saved settings, or null before any; a setting that no longer parses counts as none. */
  private settings(): MailSettings | null {
    return this.catalog.getJsonSetting(MAIL_SETTING, mailSettings) ?? null;
  }

  async get(): Promise<MailSettingsView | null> {
    const settings = this.settings();
    if (!settings) return null;
    return { ...settings, passwordStored: settings.user !== '' && (await this.secrets.get(PASSWORD_SECRET)) !== undefined };
  }

  /** Saves the settings; a password given replaces the stored one, none keeps it, no user drops it. */
  async set(settings: MailSettings, password: string | undefined): Promise<MailSettingsView> {
    if (settings.user === '' && password !== undefined) throw fieldError({ user: 'Enter the user the password belongs to.' });
    if (settings.user === '') await this.secrets.delete(PASSWORD_SECRET);
    else if (password !== undefined) await this.secrets.set(PASSWORD_SECRET, password);
    this.catalog.setSetting(MAIL_SETTING, JSON.stringify(settings));
    return (await this.get())!;
  }

  /** Whether reports are sent at all (settings saved and enabled). */
  enabled(): boolean {
    return this.settings()?.enabled === true;
  }

  /**
   * Sends a message to the recipients. Fails with `invalid_input` at the field the
   * server's answer points at (host, security, password, recipients) and its words.
   */
  async send(message: MailMessage): Promise<{ recipients: string[] }> {
    const settings = this.settings();
    if (!settings) throw new FerryError('not_found', 'Mail is not set up: enter the SMTP server under Settings → Mail.');
    const password = settings.user === '' ? undefined : await this.secrets.get(PASSWORD_SECRET);
    if (settings.user !== '' && password === undefined) throw fieldError({ password: `No password is stored for ${settings.user}: enter it again.` });
    const transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.security === 'tls',
      requireTLS: settings.security === 'starttls',
      ignoreTLS: settings.security === 'none',
      ...(password === undefined ? {} : { auth: { user: settings.user, pass: password } }),
      ...TIMEOUTS,
      tls: { minVersion: 'TLSv1.2', ...(this.ca === undefined ? {} : { ca: this.ca }) },
    });
    try {
      await transport.sendMail({ from: settings.sender, to: settings.recipients, subject: message.subject, text: message.text });
    } catch (error) {
      const { code, message: words } = error as { code?: string; message: string };
      throw fieldError({ [fieldOf(code)]: describeSmtpFailure(code, words, settings.host, settings.port) });
    } finally {
      transport.close();
    }
    return { recipients: settings.recipients };
  }
}
