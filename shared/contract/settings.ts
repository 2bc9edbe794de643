import { z } from 'zod';
import { command } from '../rpc/contract.ts';
import { trafficRule } from '../domain/job.ts';
import { none } from './common.ts';
import { mailSettings, mailSettingsView } from '../domain/after-run.ts';

/** The engine's own settings (traffic rules between repositories; mail and scheduler settings join them here). */
/** How the engine's scheduler shares repositories and watches sources. */
export const schedulerSettings = z.object({
  /** Runs at once per target repository; the others are queued. */
  slotsPerRepository: z.number().int('Enter a whole number.').min(1, 'At least 1 run at a time.').max(64, 'At most 64 runs at a time.'),
  /** How often immediate copy jobs read their source repositories again, for points other machines wrote. */
  rescanMinutes: z.number().int('Enter a whole number of minutes.').min(1, 'At least every minute.').max(1440, 'At most once a day (1440 minutes).'),
});
export type SchedulerSettings = z.infer<typeof schedulerSettings>;

export const settingCommands = {
  'traffic.list': command('The global traffic rules between repositories.', none, z.array(trafficRule)),
  'traffic.set': command(
    'Replace the global traffic rules; running copies follow the new limits at once.',
    z.object({ rules: z.array(trafficRule).max(100) }).strict(),
    z.array(trafficRule),
  ),
  'mail.get': command('The SMTP settings of mail reports (null before any); whether a password is stored, never the password.', none, mailSettingsView.nullable()),
  'mail.set': command(
    'Save the SMTP settings. A password given goes to the secret store and replaces the stored one; without one it stays; an empty user drops it.',
    mailSettings.extend({ password: z.string().min(1).max(1024).optional() }).strict(),
    mailSettingsView,
  ),
  'mail.test': command(
    'Send a test mail with the saved settings; a failure names the field the server points at.',
    none,
    z.object({ recipients: z.array(z.string()) }),
  ),
  'scheduler.getSettings': command('The scheduler\'s settings: slots per repository, the rescan interval of immediate copy jobs.', none, schedulerSettings),
  'scheduler.setSettings': command('Change the scheduler\'s settings; they apply at once.', schedulerSettings.strict(), schedulerSettings),
};
