import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { formatBytes, formatCount } from '../../format/format.ts';
import { describeSchedule } from '../../pages/jobs/describe.ts';
import { useRepositories } from '../../store/repositories.ts';
import { RunNowField, SummaryList, SummaryRow } from '../Summary.tsx';
import type { StepProps } from '../WizardDialog.tsx';
import { describeHealthCheck } from '../fields/advanced.ts';
import { dayName, weekOrder } from '../fields/days.ts';
import { describeCompression } from '../fields/storage.ts';
import { describeWindow } from '../fields/window.ts';
import { type CopyDraft, copyDefinitionOf, passwordToSend } from './draft.ts';
import { useSourceNames } from './ObjectsStep.tsx';
import { describeSource } from './sources.ts';

/** Summary: the whole job in words, each part with a way back to its step. */
export function SummaryStep(step: StepProps<CopyDraft>) {
  const { draft, disabled, goToStep } = step;
  const names = useSourceNames();
  const repository = useRepositories((s) => s.items.find((r) => r.id === draft.repositoryId));
  const row = { onEdit: goToStep, disabled };
  // The numbers as the job will store them (the draft keeps them as typed).
  const definition = copyDefinitionOf(draft);
  const { retention, storage, dataPath, schedule } = definition;
  const advanced = definition;
  const gfs = retention.gfs;
  const gfsWords = gfs
    ? [
        gfs.weekly ? formatCount(gfs.weekly, 'weekly point', 'weekly points') : null,
        gfs.monthly ? formatCount(gfs.monthly, 'monthly point', 'monthly points') : null,
        gfs.yearly ? formatCount(gfs.yearly, 'yearly point', 'yearly points') : null,
      ].filter(Boolean)
    : [];
  const mail = [advanced.mailReport.onSuccess && 'success', advanced.mailReport.onWarning && 'warning', advanced.mailReport.onFailure && 'failure'].filter(Boolean);

  return (
    <Stack spacing={2}>
      <SummaryList>
        <SummaryRow title="Job" step="Job" {...row}>
          <Typography variant="body2" sx={{ fontWeight: 600 }}>
            “{draft.name.trim()}”, a backup copy job{draft.enabled ? '' : ' (disabled)'}
          </Typography>
          <Typography variant="body2" sx={{ color: 'text.secondary', whiteSpace: 'pre-line' }}>
            {draft.description.trim() || 'No description.'}
          </Typography>
        </SummaryRow>
        <SummaryRow title="Objects" step="Objects" {...row}>
          <Stack component="ul" spacing={0.5} sx={{ m: 0, pl: 2.5 }}>
            {draft.sources.map((source) => {
              const words = describeSource(source, names);
              return (
                <li key={source.key}>
                  <strong>{words.title}</strong>: {words.detail}
                </li>
              );
            })}
          </Stack>
          {draft.exclusions.length > 0 ? <div>Never copied: {draft.exclusions.map((w) => `“${w}”`).join(', ')}.</div> : null}
        </SummaryRow>
        <SummaryRow title="Target" step="Target" {...row}>
          Copies go to <strong>{repository?.name ?? 'an unknown repository'}</strong>. The newest{' '}
          {formatCount(retention.keepPoints, 'restore point', 'restore points')} of each workload are kept
          {gfsWords.length > 0 ? `, and ${gfsWords.join(', ')} (taken on ${dayName(gfs?.weekday ?? 0)}s)` : ''}.
        </SummaryRow>
        <SummaryRow title="Map backup" step="Map backup" {...row}>
          {draft.mapping ? `Continues the backup in the folder “${draft.mapping}”.` : 'Starts a new backup named after the job.'}
        </SummaryRow>
        <SummaryRow title="Advanced" step="Advanced" {...row}>
          Compression level {storage.compressionLevel} ({describeCompression(storage.compressionLevel)});{' '}
          {storage.encrypted ? (passwordToSend(draft) === undefined ? 'encrypted with the stored password' : 'encrypted with a password') : 'not encrypted'}
          {draft.allowPlaintext ? ', encrypted sources stored unencrypted' : ''}.{' '}
          {advanced.healthCheck.enabled ? `Health check ${describeHealthCheck(advanced.healthCheck)}` : 'No scheduled health check'}. Points of a
          removed workload are kept {formatCount(advanced.removeDeletedWorkloadsAfterDays, 'day', 'days')}. Mail on {mail.length > 0 ? mail.join(', ') : 'nothing'}.{' '}
          {advanced.scripts.before || advanced.scripts.after ? 'Runs scripts around the copy. ' : ''}A workload is late after{' '}
          {formatCount(advanced.rpoHours, 'hour', 'hours')} without a new copy.
        </SummaryRow>
        <SummaryRow title="Data path" step="Data path" {...row}>
          {dataPath.throttleBytesPerSecond === null ? 'No throttle of its own' : `Reads at most ${formatBytes(dataPath.throttleBytesPerSecond)}/s`};{' '}
          {formatCount(dataPath.parallelWorkloads, 'workload', 'workloads')} at once.
        </SummaryRow>
        <SummaryRow title="Schedule" step="Schedule" {...row}>
          {describeSchedule(schedule)}
          {schedule.mode === 'periodic' ? (schedule.lookForward ? ', looking forward' : ', looking back') : ''}.{' '}
          {definition.window ? `Transfers only in these hours: ${describeWindow(definition.window, weekOrder(), (day) => dayName(day))}` : 'Transfers at any hour.'}
          {definition.window && definition.terminateOnWindowClose ? ' The session ends when the window closes.' : ''} A failed workload is tried{' '}
          {formatCount(definition.retries.count, 'more time', 'more times')}, {formatCount(definition.retries.intervalMinutes, 'minute', 'minutes')} apart.
        </SummaryRow>
      </SummaryList>
      <RunNowField {...step} />
    </Stack>
  );
}
