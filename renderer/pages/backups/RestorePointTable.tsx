import ContentCopyOutlined from '@mui/icons-material/ContentCopyOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import TableCell from '@mui/material/TableCell';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import type { BackupSummary, DamagedItem, RestorePointSummary } from '../../../shared/domain/backup.ts';
import type { Repository } from '../../../shared/domain/repository.ts';
import type { FerryError } from '../../../shared/rpc/errors.ts';
import { type Column, DataRow, DataTable, NewBytes, NumberCell } from '../../components/DataTable.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { request } from '../../connection/engine.ts';
import { formatBytes, formatCount, formatDateTimeSeconds, formatNumber } from '../../format/format.ts';
import { MONO_FONT_STACK } from '../../theme/theme.ts';

type PointsState =
  | { status: 'loading' }
  | { status: 'ready'; points: RestorePointSummary[]; damaged: DamagedItem[] }
  | { status: 'error'; message: string };

/**
 * The restore points of one workload of a backup, newest first. Reloaded whenever the
 * backup's summary changes (a rescan, a job writing a new point); the caller keys the
 * component by backup and workload, so another workload starts afresh.
 */
export function useRestorePoints(backup: BackupSummary, workload: string): { state: PointsState; reload: () => void } {
  const [state, setState] = useState<PointsState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    setState((previous) => (previous.status === 'ready' ? previous : { status: 'loading' }));
    request('points.list', { repositoryId: backup.repositoryId, folder: backup.folder, workload }).then(
      ({ points, damaged }) => {
        if (!current) return;
        setState({ status: 'ready', points: [...points].sort((a, b) => b.created.localeCompare(a.created)), damaged });
      },
      (error: unknown) => {
        if (current) setState({ status: 'error', message: (error as FerryError).message });
      },
    );
    return () => {
      current = false;
    };
  }, [backup, workload, attempt]);

  return { state, reload: () => setAttempt((n) => n + 1) };
}

const GFS_FLAGS = [
  { key: 'weekly', letter: 'W', label: 'Weekly' },
  { key: 'monthly', letter: 'M', label: 'Monthly' },
  { key: 'yearly', letter: 'Y', label: 'Yearly' },
] as const;

function GfsBadges({ gfs }: { gfs: RestorePointSummary['gfs'] }) {
  const flags = GFS_FLAGS.filter((flag) => gfs[flag.key]);
  if (flags.length === 0) {
    return (
      <Typography variant="body2" component="span" sx={{ color: 'text.disabled' }}>
        —
      </Typography>
    );
  }
  return (
    <Box sx={{ display: 'flex', gap: 0.5 }}>
      {flags.map((flag) => (
        <Tooltip key={flag.key} title={`${flag.label} GFS point: kept by the ${flag.label.toLowerCase()} retention`}>
          <Chip
            label={flag.letter}
            aria-label={flag.label}
            size="small"
            color="secondary"
            variant="outlined"
            sx={{ height: 20, minWidth: 24, fontSize: '0.6875rem', fontWeight: 700, '& .MuiChip-label': { px: 0.75 } }}
          />
        </Tooltip>
      ))}
    </Box>
  );
}

function LineageCell({
  lineage,
  backups,
  repositories,
}: {
  lineage: RestorePointSummary['lineage'];
  backups: readonly BackupSummary[];
  repositories: readonly Repository[];
}) {
  if (!lineage) {
    return (
      <Typography variant="body2" component="span" sx={{ color: 'text.secondary' }}>
        Original
      </Typography>
    );
  }
  const source = backups.find((backup) => backup.backupId === lineage.backupId);
  const repository = source ? repositories.find((repo) => repo.id === source.repositoryId) : undefined;
  const from = source
    ? `“${source.name}”${repository ? ` in ${repository.name}` : ''}`
    : `backup ${lineage.backupId.slice(0, 8)}`;
  return (
    <Tooltip title={`Source point ${lineage.pointId} of backup ${lineage.backupId}`}>
      <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 0.75, minWidth: 0 }}>
        <ContentCopyOutlined sx={{ fontSize: 14, mt: '3px', color: 'text.secondary', flexShrink: 0 }} />
        <Typography variant="body2" component="span" sx={{ overflowWrap: 'break-word', minWidth: 0 }}>
          Copied from {from}
        </Typography>
      </Box>
    </Tooltip>
  );
}

export interface RestorePointTableProps {
  backup: BackupSummary;
  workload: string;
  /** Every known backup and repository, to name a copied point's source. */
  backups: readonly BackupSummary[];
  repositories: readonly Repository[];
}

const COLUMNS: readonly Column[] = [
  { label: 'Created' },
  { label: 'Files', width: 60, align: 'right' },
  { label: 'Size', width: 76, align: 'right' },
  { label: 'New data', width: 88, align: 'right' },
  { label: 'GFS', width: 92 },
  { label: 'Lineage', width: '30%', minWidth: 150 },
];

export function RestorePointTable({ backup, workload, backups, repositories }: RestorePointTableProps) {
  const { state, reload } = useRestorePoints(backup, workload);

  if (state.status === 'error') {
    return (
      <LoadError onRetry={reload} sx={{ m: 2 }}>
        Could not list the restore points: {state.message}
      </LoadError>
    );
  }

  const points = state.status === 'ready' ? state.points : [];
  const damaged = state.status === 'ready' ? state.damaged : [];
  return (
    <>
      {damaged.length > 0 ? (
        <Alert severity="warning" sx={{ mx: 2, mb: 1.5 }}>
          {formatCount(damaged.length, 'restore point file cannot be read', 'restore point files cannot be read')}; the points below are
          intact.
          {damaged.map((item) => (
            <Box key={item.key} component="span" sx={{ display: 'block', fontFamily: MONO_FONT_STACK, fontSize: '0.75rem', overflowWrap: 'anywhere' }}>
              {item.key}: {item.message}
            </Box>
          ))}
        </Alert>
      ) : null}
      <Typography variant="body2" sx={{ color: 'text.secondary', px: 2.5, pb: 1.5 }} aria-live="polite">
        {state.status === 'ready' ? formatCount(points.length, 'restore point', 'restore points') : 'Loading restore points…'}
      </Typography>
      <DataTable
        label="Restore points"
        columns={COLUMNS}
        minWidth={620}
        dense
        loading={state.status === 'loading'}
        empty={points.length === 0 ? 'No restore points of this workload.' : null}
      >
        {points.map((point) => (
          <DataRow key={point.id} hover data-point-id={point.id}>
            <TableCell>
              <Tooltip
                title={
                  <Box component="span" sx={{ fontFamily: MONO_FONT_STACK, fontSize: '0.75rem' }}>
                    {point.id}
                  </Box>
                }
              >
                <Typography variant="body2" component="span" sx={{ whiteSpace: 'nowrap' }}>
                  {formatDateTimeSeconds(point.created)}
                </Typography>
              </Tooltip>
            </TableCell>
            <NumberCell>{formatNumber(point.files)}</NumberCell>
            <NumberCell>{formatBytes(point.bytes)}</NumberCell>
            <NumberCell>
              <NewBytes bytes={point.bytesNew} stored={point.bytesStored} />
            </NumberCell>
            <TableCell>
              <GfsBadges gfs={point.gfs} />
            </TableCell>
            <TableCell>
              <LineageCell lineage={point.lineage} backups={backups} repositories={repositories} />
            </TableCell>
          </DataRow>
        ))}
      </DataTable>
    </>
  );
}
