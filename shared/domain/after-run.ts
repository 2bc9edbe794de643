import { z } from 'zod';

/**
 * What happens around a run besides the work itself: scripts before and after it,
 * the mail report, and (copy jobs) the recovery point objective.
 */

/** Absolute on every system the engine runs on: `/…`, `C:\…`, `\\server\…`. */
const absolutePath = /^(\/|[A-Za-z]:[\\/]|\\\\)/;

export const jobScript = z.object({
  path: z
    .string()
    .trim()
    .min(1, 'Enter the path of the script.')
    .max(4096)
    .regex(absolutePath, 'Enter an absolute path: the engine does not run scripts from a working folder.'),
  /** Passed as they are, without a shell: no quoting, no expansion. */
  args: z.array(z.string().max(4096)).max(64).default([]),
  /** A script still running after this is killed with its process group, and the run goes on with a warning. */
  timeoutSeconds: z.number().int().min(1, 'Allow at least 1 second.').max(86_400, 'Allow at most 24 hours.').default(600),
});
export type JobScript = z.infer<typeof jobScript>;

export const jobScripts = z.object({
  before: jobScript.nullable().default(null),
  /** Runs whatever the result, with `FERRY_RESULT` set. */
  after: jobScript.nullable().default(null),
});
export type JobScripts = z.infer<typeof jobScripts>;

/** Which results of this job send the mail report (when mail is set up). */
export const mailReportSpec = z.object({
  onSuccess: z.boolean().default(false),
  onWarning: z.boolean().default(true),
  onFailure: z.boolean().default(true),
});
export type MailReportSpec = z.infer<typeof mailReportSpec>;

/** Hours after which a workload's newest copy is too old: a warning event, and the job shows it. */
export const rpoHours = z.number().int().min(1, 'Enter at least 1 hour.').max(8760, 'Enter at most 8760 hours (a year).');

/** A copy job's workloads whose newest copy is older than its RPO (or that have none after it). */
export const rpoStatus = z.object({
  hours: z.number().int(),
  late: z.array(z.object({ workload: z.string(), newestCopy: z.string().nullable() })),
});
export type RpoStatus = z.infer<typeof rpoStatus>;

const emailAddress = z.string().trim().email('Enter an email address.').max(254);

/** The SMTP server reports go through. The password is not part of it: it lives in the secret store. */
export const mailSettings = z.object({
  enabled: z.boolean().default(true),
  host: z
    .string()
    .trim()
    .min(1, 'Enter the SMTP server.')
    .max(253)
    .regex(/^[A-Za-z0-9.:[\]-]+$/, 'Enter a host name or an IP address.'),
  port: z.number().int('Enter a port number.').min(1, 'Enter a port from 1 to 65535.').max(65535, 'Enter a port from 1 to 65535.'),
  /** none: plain text; starttls: upgrade required (refused if the server cannot); tls: TLS from the first byte (port 465). */
  security: z.enum(['none', 'starttls', 'tls']),
  /** Empty: no authentication. */
  user: z.string().max(256).default(''),
  sender: emailAddress,
  recipients: z.array(emailAddress).min(1, 'Add at least one recipient.').max(50, 'Add at most 50 recipients.'),
});
export type MailSettings = z.infer<typeof mailSettings>;

/** The settings as the console sees them: whether a password is stored, never the password. */
export const mailSettingsView = mailSettings.extend({ passwordStored: z.boolean() });
export type MailSettingsView = z.infer<typeof mailSettingsView>;
