import Inventory2Outlined from '@mui/icons-material/Inventory2Outlined';
import ManageSearchOutlined from '@mui/icons-material/ManageSearchOutlined';
import RestoreOutlined from '@mui/icons-material/RestoreOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { BackupSummary } from '../../../shared/domain/backup.ts';
import type { Repository } from '../../../shared/domain/repository.ts';
import type { FerryError } from '../../../shared/rpc/errors.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ListBody } from '../../components/ListBody.tsx';
import { LoadingCard } from '../../components/LoadingCard.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { refreshBackups, rescanRepository } from '../../connection/engine.ts';
import { formatCount, formatNumber } from '../../format/format.ts';
import { backupKey, useBackups } from '../../store/backups.ts';
import { useConnection } from '../../store/connection.ts';
import { notify } from '../../store/notifications.ts';
import { useRepositories } from '../../store/repositories.ts';
import { BackupList, type BackupGroup, KIND_LABEL, type WorkloadSelection } from './BackupList.tsx';
import { RestorePointTable } from './RestorePointTable.tsx';

const ALL = 'all';

/** Rescans repositories side by side and says what was found (and what failed). */
async function rescanAll(repositories: readonly Repository[]): Promise<void> {
  const results = await Promise.allSettled(repositories.map((repository) => rescanRepository(repository)));
  let found = 0;
  const failures: string[] = [];
  results.forEach((result, index) => {
    if (result.status === 'fulfilled') found += result.value.length;
    else failures.push(`“${repositories[index]!.name}”: ${(result.reason as FerryError).message}`);
  });
  const scanned = repositories.length - failures.length;
  if (scanned > 0) {
    notify(
      repositories.length === 1
        ? `Found ${formatCount(found, 'backup', 'backups')} in “${repositories[0]!.name}”`
        : `Found ${formatCount(found, 'backup', 'backups')} in ${formatCount(scanned, 'repository', 'repositories')}`,
    );
  }
  if (failures.length > 0) notify(`Could not rescan ${failures.join('; ')}`, 'error');
}

function groupByRepository(repositories: readonly Repository[], backups: readonly BackupSummary[]): BackupGroup[] {
  const groups: BackupGroup[] = [];
  for (const repository of repositories) {
    const own = backups.filter((backup) => backup.repositoryId === repository.id);
    if (own.length > 0) groups.push({ repository, backups: own });
  }
  return groups;
}

/** The selected workload if it is still listed, otherwise the first one that can be read. */
function effectiveSelection(selection: WorkloadSelection | null, groups: readonly BackupGroup[]): WorkloadSelection | null {
  const backups = groups.flatMap((group) => group.backups);
  if (selection) {
    const backup = backups.find((candidate) => backupKey(candidate) === selection.key);
    if (backup?.readable && backup.workloads.some((workload) => workload.name === selection.workload)) return selection;
  }
  for (const backup of backups) {
    const first = backup.readable ? backup.workloads[0] : undefined;
    if (first) return { key: backupKey(backup), workload: first.name };
  }
  return null;
}

export function BackupsPage() {
  const connection = useConnection((s) => s.state);
  const repositories = useRepositories((s) => s.items);
  const repositoriesStatus = useRepositories((s) => s.status);
  const backups = useBackups((s) => s.items);
  const status = useBackups((s) => s.status);
  const scanning = useBackups((s) => s.scanning);
  const [filter, setFilter] = useState<string>(ALL);
  const [selection, setSelection] = useState<WorkloadSelection | null>(null);
  const connected = connection === 'connected';

  const filterRepository = filter === ALL ? undefined : repositories.find((repository) => repository.id === filter);
  const shownRepositories = filterRepository ? [filterRepository] : filter === ALL ? repositories : [];
  const groups = groupByRepository(shownRepositories, backups);
  const allGroups = groupByRepository(repositories, backups);
  const selected = effectiveSelection(selection, groups);
  const selectedBackup = selected ? groups.flatMap((group) => group.backups).find((b) => backupKey(b) === selected.key) : undefined;
  const selectedRepository = selectedBackup ? repositories.find((repository) => repository.id === selectedBackup.repositoryId) : undefined;

  const rescannable = shownRepositories.filter((repository) => repository.status === 'available');
  const anyScanning = shownRepositories.some((repository) => scanning[repository.id]);
  const rescanButton = (label: string, variant: 'contained' | 'outlined') => (
    <Button
      variant={variant}
      startIcon={<ManageSearchOutlined />}
      onClick={() => void rescanAll(rescannable)}
      loading={anyScanning}
      loadingPosition="start"
      disabled={!connected || rescannable.length === 0}
    >
      {label}
    </Button>
  );

  const backupCount = groups.reduce((sum, group) => sum + group.backups.length, 0);
  const pointCount = groups.reduce(
    (sum, group) => sum + group.backups.reduce((inner, backup) => inner + backup.workloads.reduce((n, w) => n + w.points, 0), 0),
    0,
  );
  const lockedCount = groups.reduce((sum, group) => sum + group.backups.filter((backup) => !backup.readable).length, 0);
  const loading = (status !== 'ready' && status !== 'error') || (repositoriesStatus !== 'ready' && repositories.length === 0);
  const unscanned = repositories.filter((repository) => repository.backupCount === undefined).length;

  const noBackups = (
    <EmptyState
      icon={Inventory2Outlined}
      badge={RestoreOutlined}
      title="No backups found"
      actions={rescanButton('Rescan repositories', 'contained')}
      footnote={unscanned > 0 ? `${formatCount(unscanned, 'repository has', 'repositories have')} not been scanned yet.` : undefined}
    >
      Run a backup, or rescan a repository where backups were copied by hand.
    </EmptyState>
  );

  const body = (
    <ListBody what="the backups" store={useBackups} onRetry={refreshBackups} empty={!loading && allGroups.length === 0 ? noBackups : null}>
      {loading ? (
        <LoadingCard />
      ) : (
        <>
          <Box sx={{ display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: 2, mb: 2 }}>
            <TextField
              select
              label="Repository"
              size="small"
              value={filterRepository ? filter : ALL}
              onChange={(event) => setFilter(event.target.value)}
              sx={{ minWidth: 260 }}
            >
              <MenuItem value={ALL}>All repositories</MenuItem>
              {repositories.map((repository) => (
                <MenuItem key={repository.id} value={repository.id}>
                  {repository.name}
                </MenuItem>
              ))}
            </TextField>
            <Typography variant="body2" sx={{ color: 'text.secondary', flex: 1, minWidth: 200 }} aria-live="polite">
              {formatCount(backupCount, 'backup', 'backups')} · {formatCount(pointCount, 'restore point', 'restore points')}
              {lockedCount > 0 ? ` · ${formatNumber(lockedCount)} locked` : ''}
            </Typography>
            {rescanButton(filterRepository ? 'Rescan repository' : 'Rescan repositories', 'outlined')}
          </Box>
          {groups.length === 0 ? (
            <EmptyState
              icon={Inventory2Outlined}
              title={`No backups found in “${filterRepository?.name ?? ''}”`}
              footnote={filterRepository?.backupCount === undefined ? 'This repository has not been scanned yet.' : undefined}
            >
              Run a backup into it, or rescan it if backups were copied into it by hand.
            </EmptyState>
          ) : (
            <Box
              sx={{
                display: 'grid',
                gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: '300px minmax(0, 1fr)' },
                gap: 2.5,
                alignItems: 'start',
              }}
            >
              <BackupList groups={groups} selection={selected} onSelect={setSelection} />
              <Paper variant="outlined" sx={{ borderRadius: 2.5, overflow: 'hidden', minWidth: 0 }}>
                {selected && selectedBackup ? (
                  <>
                    <Box sx={{ px: 2.5, pt: 2, pb: 0.5 }}>
                      <Typography variant="h6" component="h2" sx={{ overflowWrap: 'anywhere' }}>
                        Restore points of “{selected.workload}”
                      </Typography>
                      <Typography variant="body2" sx={{ color: 'text.secondary', overflowWrap: 'anywhere' }}>
                        {selectedBackup.name} · {KIND_LABEL[selectedBackup.kind]}
                        {selectedRepository ? ` · ${selectedRepository.name}` : ''}
                      </Typography>
                    </Box>
                    <RestorePointTable
                      key={`${selected.key}\u0000${selected.workload}`}
                      backup={selectedBackup}
                      workload={selected.workload}
                      backups={backups}
                      repositories={repositories}
                    />
                  </>
                ) : (
                  <EmptyState icon={RestoreOutlined} title="No restore points to show" bare>
                    {groups.some((group) => group.backups.some((backup) => !backup.readable))
                      ? 'The backups here cannot be read without their password.'
                      : 'Pick a workload on the left to list its restore points.'}
                  </EmptyState>
                )}
              </Paper>
            </Box>
          )}
        </>
      )}
    </ListBody>
  );

  return (
    <>
      <PageHeader
        title="Backups"
        description="Restore points by repository, backup and workload. Pick a workload to list its restore points."
      />
      {body}
    </>
  );
}
