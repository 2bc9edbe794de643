import AddOutlined from '@mui/icons-material/AddOutlined';
import ScheduleOutlined from '@mui/icons-material/ScheduleOutlined';
import WorkHistoryOutlined from '@mui/icons-material/WorkHistoryOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import type { GridRowSelectionModel } from '@mui/x-data-grid';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { JobSummary } from '../../../shared/domain/job.ts';
import type { FerryError } from '../../../shared/rpc/errors.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ListBody } from '../../components/ListBody.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useNow } from '../../components/useNow.ts';
import { refreshJobs, refreshSessions, request } from '../../connection/engine.ts';
import { formatCount } from '../../format/format.ts';
import { hrefFor } from '../../shell/router.ts';
import { useConnection } from '../../store/connection.ts';
import { dropJob, liveSessionOfJob, useJobs } from '../../store/jobs.ts';
import { notify } from '../../store/notifications.ts';
import { useRepositories } from '../../store/repositories.ts';
import { lastResultOf, useSessions } from '../../store/sessions.ts';
import { DeleteJobDialog } from './DeleteJobDialog.tsx';
import { JobGrid, type JobRow } from './JobGrid.tsx';
import { JobListToolbar } from './JobListToolbar.tsx';
import { type JobFilter, matchesFilter } from './rows.ts';
import { LiveSessionDrawer } from './LiveSessionDrawer.tsx';
import { listStatusOf } from './status.ts';
import { JobWizard, type JobWizardRequest } from '../../wizard/JobWizard.tsx';

const COPY_JOBS_NOTE = (
  <Box component="span" sx={{ display: 'block', maxWidth: 460, mx: 'auto' }}>
    A folder backup job writes restore points into a repository. Once it has some, a backup copy job can keep a second
    chain of them on another repository.
  </Box>
);

const NO_SELECTION: GridRowSelectionModel = { type: 'include', ids: new Set() };

type Pending = Record<string, 'starting' | 'stopping'>;

/** Starting and stopping jobs, each at most once at a time: a second click while one is under way does nothing. */
function useStartStop() {
  const [pending, setPending] = useState<Pending>({});
  const busy = useRef(new Set<string>());
  const jobs = useJobs((s) => s.items);

  const mark = useCallback((id: string, action: 'starting' | 'stopping' | null) => {
    if (action) busy.current.add(id);
    else busy.current.delete(id);
    setPending((current) => {
      const next = { ...current };
      if (action) next[id] = action;
      else delete next[id];
      return next;
    });
  }, []);

  // A stop is confirmed by the job no longer running.
  useEffect(() => {
    for (const [id, action] of Object.entries(pending)) {
      if (action === 'stopping' && !jobs.some((job) => job.id === id && job.running)) mark(id, null);
    }
  }, [jobs, pending, mark]);

  /** Starts the jobs not running; one notice says what happened to all of them. */
  const start = useCallback(
    async (targets: readonly JobSummary[]) => {
      const chosen = targets.filter((job) => !job.running && !busy.current.has(job.id));
      if (chosen.length === 0) return;
      for (const job of chosen) mark(job.id, 'starting');
      const outcomes = await Promise.all(
        chosen.map((job) =>
          request('jobs.start', { id: job.id }).then(
            () => null,
            (error: unknown) => `“${job.name}”: ${(error as FerryError).message}`,
          ),
        ),
      );
      for (const job of chosen) mark(job.id, null);
      const failures = outcomes.filter((outcome): outcome is string => outcome !== null);
      const started = chosen.length - failures.length;
      const [only] = chosen;
      if (failures.length === 0) notify(chosen.length === 1 && only ? `Job “${only.name}” started` : `${formatCount(started, 'job', 'jobs')} started`, 'info');
      else if (chosen.length === 1) notify(`Could not start ${failures.join('')}`, 'error');
      else notify(`${formatCount(started, 'job', 'jobs')} started; could not start ${failures.join('; ')}`, 'error');
    },
    [mark],
  );

  /** Asks the running jobs to stop; their sessions end "Stopped" with what they moved. */
  const stop = useCallback(
    async (targets: readonly JobSummary[]) => {
      const chosen = targets.filter((job) => job.running && !busy.current.has(job.id));
      for (const job of chosen) mark(job.id, 'stopping');
      await Promise.all(
        chosen.map((job) =>
          request('jobs.stop', { id: job.id }).then(
            ({ stopping }) => {
              if (!stopping) mark(job.id, null);
            },
            (error: unknown) => {
              mark(job.id, null);
              notify(`Could not stop “${job.name}”: ${(error as FerryError).message}`, 'error');
            },
          ),
        ),
      );
    },
    [mark],
  );

  return { pending, start, stop };
}

export function JobsPage() {
  const connection = useConnection((s) => s.state);
  const jobs = useJobs((s) => s.items);
  const status = useJobs((s) => s.status);
  const live = useJobs((s) => s.live);
  const repositories = useRepositories((s) => s.items);
  const sessions = useSessions((s) => s.items);
  const [wizard, setWizard] = useState<JobWizardRequest | null>(null);
  const [deleting, setDeleting] = useState<JobSummary | null>(null);
  const [watching, setWatching] = useState<JobSummary | null>(null);
  const [selection, setSelection] = useState<GridRowSelectionModel>(NO_SELECTION);
  const [filter, setFilter] = useState<JobFilter>({ text: '', show: 'all' });
  const { pending, start, stop } = useStartStop();
  const now = useNow();
  const connected = connection === 'connected';

  const rows = useMemo<JobRow[]>(
    () =>
      jobs.map((job) => ({
        id: job.id,
        job,
        targetName: job.repositoryMissing ? null : job.targetName,
        status: listStatusOf(job),
        result: lastResultOf(job, sessions),
        sources: job.sources,
        live: liveSessionOfJob(live, job.id),
        pending: pending[job.id],
      })),
    [jobs, sessions, live, pending],
  );
  const shown = useMemo(() => rows.filter((row) => matchesFilter(row, filter)), [rows, filter]);

  // The selection holds only jobs that exist and are shown.
  const selected = useMemo(() => {
    const ids = selection.ids;
    return shown.filter((row) => (selection.type === 'include' ? ids.has(row.id) : !ids.has(row.id))).map((row) => row.job);
  }, [selection, shown]);

  const setEnabled = useCallback(async (targets: JobSummary[], enabled: boolean) => {
    try {
      await request('jobs.setEnabled', { ids: targets.map((job) => job.id), enabled });
      const [only] = targets;
      const what = targets.length === 1 && only ? `Job “${only.name}”` : formatCount(targets.length, 'job', 'jobs');
      notify(`${what} ${enabled ? 'enabled: it runs on its schedule again' : 'disabled: it runs only when started'}`);
    } catch (error) {
      notify(`Could not ${enabled ? 'enable' : 'disable'} the jobs: ${(error as FerryError).message}`, 'error');
    }
  }, []);

  const onStart = useCallback((job: JobSummary) => void start([job]), [start]);
  const onStop = useCallback((job: JobSummary) => void stop([job]), [stop]);
  const onSetEnabled = useCallback((targets: JobSummary[], enabled: boolean) => void setEnabled(targets, enabled), [setEnabled]);
  const onEdit = useCallback((job: JobSummary) => setWizard({ kind: job.kind, mode: 'edit', jobId: job.id }), []);
  const onClone = useCallback((job: JobSummary) => setWizard({ kind: job.kind, mode: 'clone', jobId: job.id }), []);

  const newButtons = (
    <>
      <Button variant="contained" startIcon={<AddOutlined />} onClick={() => setWizard({ kind: 'folder-backup', mode: 'new' })} disabled={!connected}>
        New folder backup job
      </Button>
      <Button variant="outlined" startIcon={<AddOutlined />} onClick={() => setWizard({ kind: 'backup-copy', mode: 'new' })} disabled={!connected}>
        New backup copy job
      </Button>
    </>
  );
  const firstSteps = (
    <>
      {newButtons}
      {repositories.length === 0 ? (
        <Button variant="outlined" href={hrefFor('repositories')}>
          Add a repository
        </Button>
      ) : null}
    </>
  );

  const noJobs = (
    <EmptyState icon={WorkHistoryOutlined} badge={ScheduleOutlined} title="No jobs yet" actions={firstSteps} footnote={COPY_JOBS_NOTE}>
      Jobs back up the folders you choose into a repository, on a schedule or when you start them. Each job is listed here
      with its status, progress, last result and next run; a running job opens a live view of its session.
    </EmptyState>
  );

  const hasJobs = status === 'ready' && jobs.length > 0;

  return (
    <>
      <PageHeader
        title="Jobs"
        description="Folder backup and backup copy jobs with their status, last result and next run."
        actions={hasJobs && connection !== 'disconnected' ? newButtons : undefined}
      />
      <ListBody what="the jobs" store={useJobs} onRetry={refreshJobs} empty={jobs.length === 0 ? noJobs : null}>
        <JobListToolbar
          jobs={jobs}
          shown={shown.length}
          loading={status !== 'ready'}
          filter={filter}
          onFilterChange={setFilter}
          selected={selected}
          offline={!connected}
          onStart={() => void start(selected)}
          onStop={() => void stop(selected)}
          onSetEnabled={(enabled) => void setEnabled(selected, enabled)}
          onClearSelection={() => setSelection(NO_SELECTION)}
          onRefresh={() => {
            void refreshJobs();
            void refreshSessions();
          }}
        />
        <JobGrid
          rows={shown}
          loading={status !== 'ready'}
          offline={!connected}
          selection={selection}
          onSelectionChange={setSelection}
          now={now}
          noMatch="No job matches this filter."
          onStart={onStart}
          onStop={onStop}
          onOpenLive={setWatching}
          onEdit={onEdit}
          onClone={onClone}
          onSetEnabled={onSetEnabled}
          onDelete={setDeleting}
        />
      </ListBody>
      <JobWizard
        request={wizard}
        onClose={() => setWizard(null)}
        onSaved={({ mode, job, sessionId, startError }) => {
          setWizard(null);
          const done = mode === 'edit' ? 'saved' : 'created';
          if (startError) notify(`Job “${job.name}” ${done}, but it could not start: ${startError}`, 'warning');
          else notify(sessionId ? `Job “${job.name}” ${done} and started` : `Job “${job.name}” ${done}`);
        }}
      />
      <LiveSessionDrawer job={watching} onClose={() => setWatching(null)} onStop={onStop} stopping={watching ? pending[watching.id] === 'stopping' : false} />
      <DeleteJobDialog
        job={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={(job, withBackups) => {
          setDeleting(null);
          dropJob(job.id);
          notify(withBackups ? `Job “${job.name}” and its backups deleted` : `Job “${job.name}” deleted; its backups stay in the repository`);
        }}
      />
    </>
  );
}
