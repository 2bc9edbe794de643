import ContentCopyOutlined from '@mui/icons-material/ContentCopyOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Skeleton from '@mui/material/Skeleton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import type { BackupSummary, RestorePointSummary } from '../../../shared/domain/backup.ts';
import type { Repository } from '../../../shared/domain/repository.ts';
import type { FerryError } from '../../../shared/rpc/errors.ts';
import { request } from '../../connection/engine.ts';
import { formatBytes, formatCount, formatDateTimeSeconds, formatNumber } from '../../format/format.ts';
import { MONO_FONT_STACK } from '../../theme/theme.ts';

type PointsState =
  | { status: 'loading' }
  | { status: 'ready'; points: RestorePointSummary[] }
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
      (points) => {
        if (!current) return;
        setState({ status: 'ready', points: [...points].sort((a, b) => b.created.localeCompare(a.created)) });
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

export function RestorePointTable({ backup, workload, backups, repositories }: RestorePointTableProps) {
  const { state, reload } = useRestorePoints(backup, workload);

  if (state.status === 'error') {
    return (
      <Alert
        severity="error"
        sx={{ m: 2 }}
        action={
          <Button color="inherit" size="small" onClick={reload}>
            Try again
          </Button>
        }
      >
        Could not list the restore points: {state.message}
      </Alert>
    );
  }

  const points = state.status === 'ready' ? state.points : [];
  return (
    <>
      <Typography variant="body2" sx={{ color: 'text.secondary', px: 2.5, pb: 1.5 }} aria-live="polite">
        {state.status === 'ready' ? formatCount(points.length, 'restore point', 'restore points') : 'Loading restore points…'}
      </Typography>
      <TableContainer>
        <Table
          aria-label="Restore points"
          size="small"
          sx={{
            minWidth: 620,
            '& td, & th': { px: 1.25, py: 1 },
            '& td:first-of-type, & th:first-of-type': { pl: 2.5 },
            '& td:last-of-type, & th:last-of-type': { pr: 2.5 },
          }}
        >
          <TableHead>
            <TableRow>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>Created</TableCell>
              <TableCell align="right" sx={{ width: 60 }}>
                Files
              </TableCell>
              <TableCell align="right" sx={{ width: 76 }}>
                Size
              </TableCell>
              <TableCell align="right" sx={{ width: 88, whiteSpace: 'nowrap' }}>
                New data
              </TableCell>
              <TableCell sx={{ width: 92 }}>GFS</TableCell>
              <TableCell sx={{ width: '30%', minWidth: 150 }}>Lineage</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {state.status === 'loading'
              ? [0, 1].map((row) => (
                  <TableRow key={row} aria-hidden>
                    {[0, 1, 2, 3, 4, 5].map((cell) => (
                      <TableCell key={cell}>
                        <Skeleton variant="text" />
                      </TableCell>
                    ))}
                  </TableRow>
                ))
              : null}
            {state.status === 'ready' && points.length === 0 ? (
              <TableRow>
                <TableCell colSpan={6} sx={{ color: 'text.secondary', py: 3, textAlign: 'center' }}>
                  No restore points of this workload.
                </TableCell>
              </TableRow>
            ) : null}
            {points.map((point) => (
              <TableRow key={point.id} hover data-point-id={point.id} sx={{ '&:last-child td': { borderBottom: 0 } }}>
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
                <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                  {formatNumber(point.files)}
                </TableCell>
                <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
                  {formatBytes(point.bytes)}
                </TableCell>
                <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
                  <Tooltip title={`${formatBytes(point.bytesStored)} stored after compression`}>
                    <span>{formatBytes(point.bytesNew)}</span>
                  </Tooltip>
                </TableCell>
                <TableCell>
                  <GfsBadges gfs={point.gfs} />
                </TableCell>
                <TableCell>
                  <LineageCell lineage={point.lineage} backups={backups} repositories={repositories} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    </>
  );
}
