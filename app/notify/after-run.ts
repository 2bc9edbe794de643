import type { MailReportSpec } from '../../shared/domain/after-run.ts';
import type { SessionResult } from '../../shared/domain/job.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { FinishedRun } from '../jobs/job-service.ts';
import type { RpoMonitor } from '../jobs/rpo.ts';
import { getSession } from '../jobs/sessions.ts';
import type { MailService } from './mail.ts';
import { sessionReport } from './report.ts';

/** A stopped run is no failure: it is reported with the warnings (it did not finish: someone may want to know). */
function wantsReport(spec: MailReportSpec, result: SessionResult): boolean {
  switch (result) {
    case 'success':
      return spec.onSuccess;
    case 'warning':
    case 'stopped':
      return spec.onWarning;
    case 'failed':
      return spec.onFailure;
  }
}

/**
 * What the engine does once a session has ended: the mail report (when the job asks for
 * it for this result and mail is set up), then the RPO check. Never rejects: a report
 * that cannot be sent is a warning line in the session it reports, and in the engine log.
 */
export function afterRunActions(options: {
  catalog: Catalog;
  mail: MailService;
  rpo: RpoMonitor;
  log: (message: string) => void;
}): (run: FinishedRun) => Promise<void> {
  const { catalog, mail, rpo, log } = options;
  return async (run) => {
    if (wantsReport(run.definition.mailReport, run.result) && mail.enabled()) {
      try {
        const { recipients } = await mail.send(sessionReport(getSession(catalog, run.sessionId)));
        run.log('info', `Mail report sent to ${recipients.join(', ')}.`);
      } catch (error) {
        run.log('warning', `The mail report could not be sent: ${(error as Error).message}`);
        log(`job ${run.definition.name}: the mail report could not be sent: ${(error as Error).message}`);
      }
    }
    try {
      rpo.check();
    } catch (error) {
      log(`RPO check failed: ${(error as Error).message}`);
    }
  };
}
