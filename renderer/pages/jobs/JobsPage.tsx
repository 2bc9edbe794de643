import AddOutlined from '@mui/icons-material/AddOutlined';
import ScheduleOutlined from '@mui/icons-material/ScheduleOutlined';
import WorkHistoryOutlined from '@mui/icons-material/WorkHistoryOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { useEffect, useState } from 'react';
import type { JobSummary } from '../../../shared/domain/job.ts';
import type { FerryError } from '../../../shared/rpc/errors.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ListBody } from '../../components/ListBody.tsx';
import { ListToolbar } from '../../components/ListToolbar.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useHighlight } from '../../components/useHighlight.ts';
import { useNow } from '../../components/useNow.ts';
import { refreshJobs, refreshSessions, request } from '../../connection/engine.ts';
import { hrefFor } from '../../shell/router.ts';
import { useConnection } from '../../store/connection.ts';
import { dropJob, useJobs } from '../../store/jobs.ts';
import { notify } from '../../store/notifications.ts';
import { useRepositories } from '../../store/repositories.ts';
import { useSessions } from '../../store/sessions.ts';
import { DeleteJobDialog } from './DeleteJobDialog.tsx';
import { describeJobs, JobTable } from './JobTable.tsx';
import { JobWizard, type JobWizardRequest } from '../../wizard/JobWizard.tsx';


const COPY_JOBS_NOTE = (
  <Box component="span" sx={{ display: 'block', maxWidth: 460, mx: 'auto' }}>
    A folder backup job writes restore points into a repository. Once it has some, a backup copy job can keep a second
    chain of them on another repository.
  </Box>
);

export function JobsPage() {
  const connection = useConnection((s) => s.state);
  const jobs = useJobs((s) => s.items);
  const status = useJobs((s) => s.status);
  const live = useJobs((s) => s.live);
  const repositories = useRepositories((s) => s.items);
  const sessions = useSessions((s) => s.items);
  const [wizard, setWizard] = useState<JobWizardRequest | null>(null);
  const [deleting, setDeleting] = useState<JobSummary | null>(null);
  const [pending, setPending] = useState<Record<string, 'starting' | 'stopping'>>({});
  const [highlightId, setHighlightId] = useHighlight();
  const now = useNow();
  const connected = connection === 'connected';

  // A stop is confirmed by the job no longer running.
  useEffect(() => {
    setPending((current) => {
      const next = Object.fromEntries(
        Object.entries(current).filter(([id, action]) => action !== 'stopping' || jobs.some((job) => job.id === id && job.running)),
      );
      return Object.keys(next).length === Object.keys(current).length ? current : next;
    });
  }, [jobs]);

  const setAction = (id: string, action: 'starting' | 'stopping' | null) =>
    setPending((current) => {
      const next = { ...current };
      if (action) next[id] = action;
      else delete next[id];
      return next;
    });

  const start = async (job: JobSummary) => {
    setAction(job.id, 'starting');
    try {
      await request('jobs.start', { id: job.id });
      notify(`Job “${job.name}” started`, 'info');
    } catch (error) {
      notify(`Could not start “${job.name}”: ${(error as FerryError).message}`, 'error');
    } finally {
      setAction(job.id, null);
    }
  };

  const stop = async (job: JobSummary) => {
    setAction(job.id, 'stopping');
    try {
      const { stopping } = await request('jobs.stop', { id: job.id });
      if (!stopping) setAction(job.id, null);
    } catch (error) {
      setAction(job.id, null);
      notify(`Could not stop “${job.name}”: ${(error as FerryError).message}`, 'error');
    }
  };

  const newJobButton = (
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
      {newJobButton}
      {repositories.length === 0 ? (
        <Button variant="outlined" href={hrefFor('repositories')}>
          Add a repository
        </Button>
      ) : null}
    </>
  );

  const noJobs = (
    <EmptyState icon={WorkHistoryOutlined} badge={ScheduleOutlined} title="No jobs yet" actions={firstSteps} footnote={COPY_JOBS_NOTE}>
      Jobs back up the folders you choose into a repository, whenever you start them. Each job is listed here with its
      status, progress, last result and last run; a running job opens a live view of its session.
    </EmptyState>
  );

  const body = (
    <ListBody what="the jobs" store={useJobs} onRetry={refreshJobs} empty={jobs.length === 0 ? noJobs : null}>
      <ListToolbar
        summary={status === 'ready' ? describeJobs(jobs) : 'Loading jobs…'}
        refreshTitle="Reload the jobs and their results"
        onRefresh={() => {
          void refreshJobs();
          void refreshSessions();
        }}
        disabled={!connected}
      />
      <JobTable
        jobs={jobs}
        repositories={repositories}
        sessions={sessions}
        live={live}
        loading={status !== 'ready'}
        disabled={!connected}
        pending={pending}
        onStart={(job) => void start(job)}
        onStop={(job) => void stop(job)}
        onDelete={setDeleting}
        highlightId={highlightId}
        now={now}
      />
    </ListBody>
  );

  const hasJobs = status === 'ready' && jobs.length > 0;

  return (
    <>
      <PageHeader
        title="Jobs"
        description="Folder backup and backup copy jobs with their status, last result and last run. Start one to see its progress live."
        actions={hasJobs && connection !== 'disconnected' ? newJobButton : undefined}
      />
      {body}
      <JobWizard
        request={wizard}
        onClose={() => setWizard(null)}
        onSaved={({ mode, job, sessionId, startError }) => {
          setWizard(null);
          setHighlightId(job.id);
          const done = mode === 'edit' ? 'saved' : 'created';
          if (startError) notify(`Job “${job.name}” ${done}, but it could not start: ${startError}`, 'warning');
          else notify(sessionId ? `Job “${job.name}” ${done} and started` : `Job “${job.name}” ${done}`);
        }}
      />
      <DeleteJobDialog
        job={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={(job) => {
          setDeleting(null);
          dropJob(job.id);
          notify(`Job “${job.name}” deleted; its backups stay in the repository`);
        }}
      />
    </>
  );
}
