import { type MailSettings, mailSettings, type MailSettingsView } from '../../../shared/domain/after-run.ts';
import { fieldErrorsFromZod } from '../../../shared/rpc/dispatch.ts';
import { type FieldErrors, wholeNumber } from '../../wizard/fields/text.ts';
import type { Checked } from './checked.ts';

/** The SMTP form as typed: every text kept as it is until Save. */
export interface MailDraft {
  enabled: boolean;
  host: string;
  port: string;
  security: MailSettings['security'];
  user: string;
  /** Empty: keep the stored password (if any). Never filled from the engine. */
  password: string;
  sender: string;
  /** One address per line, or separated by commas or semicolons. */
  recipients: string;
}

/** The port each kind of connection usually takes. */
export const DEFAULT_PORT: Record<MailSettings['security'], number> = { none: 25, starttls: 587, tls: 465 };

export const EMPTY_MAIL: MailDraft = {
  enabled: true,
  host: '',
  port: String(DEFAULT_PORT.starttls),
  security: 'starttls',
  user: '',
  password: '',
  sender: '',
  recipients: '',
};

export function mailDraftFrom(view: MailSettingsView | null): MailDraft {
  if (!view) return EMPTY_MAIL;
  return {
    enabled: view.enabled,
    host: view.host,
    port: String(view.port),
    security: view.security,
    user: view.user,
    password: '',
    sender: view.sender,
    recipients: view.recipients.join('\n'),
  };
}

export function splitRecipients(text: string): string[] {
  return text
    .split(/[\n,;]+/)
    .map((address) => address.trim())
    .filter(Boolean);
}

/**
 * The draft as `mail.set` takes it, checked with the engine's own schema. Field keys
 * are the schema's (`recipients.1` becomes `recipients`: the form has one box for them).
 */
export function mailFromDraft(draft: MailDraft): Checked<MailSettings & { password?: string }> {
  const port = wholeNumber(draft.port);
  const settings = {
    enabled: draft.enabled,
    host: draft.host,
    port,
    security: draft.security,
    user: draft.user.trim(),
    sender: draft.sender,
    recipients: splitRecipients(draft.recipients),
  };
  const parsed = mailSettings.safeParse(settings);
  const fields: FieldErrors = {};
  if (Number.isNaN(port)) fields.port = 'Enter a port number from 1 to 65535.';
  if (!parsed.success) {
    for (const [key, message] of Object.entries(fieldErrorsFromZod(parsed.error))) {
      const field = key.split('.')[0]!;
      if (field === 'recipients' && key !== 'recipients') {
        const address = settings.recipients[Number(key.split('.')[1])];
        fields.recipients ??= `${address} is not an email address.`;
      } else fields[field] ??= message;
    }
  }
  if (draft.password !== '' && settings.user === '') fields.user ??= 'Enter the user the password belongs to.';
  if (Object.keys(fields).length > 0 || !parsed.success) return { ok: false, fields };
  return { ok: true, value: { ...parsed.data, ...(draft.password === '' ? {} : { password: draft.password }) } };
}
