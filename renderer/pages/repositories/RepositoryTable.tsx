import CheckCircleOutlined from '@mui/icons-material/CheckCircleOutlined';
import CloudOutlined from '@mui/icons-material/CloudOutlined';
import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import ErrorOutlineOutlined from '@mui/icons-material/ErrorOutlineOutlined';
import FolderOutlined from '@mui/icons-material/FolderOutlined';
import ManageSearchOutlined from '@mui/icons-material/ManageSearchOutlined';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import TableCell from '@mui/material/TableCell';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { describeLocation, type Repository } from '../../../shared/domain/repository.ts';
import { BreakablePath } from '../../components/BreakablePath.tsx';
import { Dash } from '../../components/Dash.tsx';
import { ActionsCell, type Column, DataRow, DataTable, NumberCell } from '../../components/DataTable.tsx';
import { IconAction } from '../../components/IconAction.tsx';
import { IconLabel } from '../../components/IconLabel.tsx';
import { SpaceBar } from '../../components/SpaceBar.tsx';
import { formatBytes, formatDate, formatDateTime, formatNumber, formatPercent, usedShare } from '../../format/format.ts';
import { MONO_FONT_STACK } from '../../theme/theme.ts';

function StatusCell({ repository }: { repository: Repository }) {
  if (repository.status === 'available') {
    return (
      <IconLabel icon={CheckCircleOutlined} color="success.main">
        Available
      </IconLabel>
    );
  }
  return (
    <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 0.75, color: 'error.main', maxWidth: 280 }}>
      <ErrorOutlineOutlined sx={{ fontSize: 18, mt: '1px' }} />
      <Box sx={{ minWidth: 0 }}>
        <Typography variant="body2" sx={{ color: 'text.primary', fontWeight: 600 }}>
          Unavailable
        </Typography>
        {repository.statusMessage ? (
          <Typography variant="caption" color="textSecondary" component="div" sx={{ lineHeight: 1.4 }}>
            {repository.statusMessage}
          </Typography>
        ) : null}
      </Box>
    </Box>
  );
}

function LocationCell({ repository }: { repository: Repository }) {
  const s3 = repository.location.kind === 's3';
  const Icon = s3 ? CloudOutlined : FolderOutlined;
  return (
    <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 1, minWidth: 0 }}>
      <Tooltip title={s3 ? 'S3-compatible bucket' : 'Folder'}>
        <Icon
          role="img"
          aria-label={s3 ? 'S3-compatible bucket' : 'Folder'}
          aria-hidden={false}
          sx={{ color: 'text.secondary', fontSize: 18, flexShrink: 0, mt: '1px' }}
        />
      </Tooltip>
      <Typography
        variant="body2"
        sx={{ fontFamily: MONO_FONT_STACK, fontSize: '0.8125rem', overflowWrap: 'break-word', wordBreak: 'normal', minWidth: 0 }}
      >
        <BreakablePath path={describeLocation(repository.location)} />
      </Typography>
    </Box>
  );
}

function SpaceCell({ repository }: { repository: Repository }) {
  if (repository.space) {
    return (
      <Tooltip title={`${formatPercent(usedShare(repository.space))} used`} placement="top">
        <Box>
          <SpaceBar space={repository.space} label={repository.name} dense showPercent={false} />
        </Box>
      </Tooltip>
    );
  }
  if (repository.location.kind === 's3') {
    return (
      <Box>
        <Typography variant="body2">Object storage</Typography>
        <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }}>
          {repository.usedBytes !== undefined ? `${formatBytes(repository.usedBytes)} used` : 'No fixed capacity'}
        </Typography>
      </Box>
    );
  }
  return <Dash />;
}

const NOT_SCANNED = 'Not scanned yet: use Rescan to look for backups';

export interface RepositoryTableProps {
  repositories: readonly Repository[];
  /** Show placeholder rows while the first list loads. */
  loading?: boolean;
  onRemove: (repository: Repository) => void;
  onRescan: (repository: Repository) => void;
  /** Repositories being rescanned (their Rescan button spins). */
  scanning?: Readonly<Record<string, true>>;
  /** Actions are disabled while the engine is unreachable. */
  disabled?: boolean;
  /** The row to highlight briefly (just added). */
  highlightId?: string | null;
}

const COLUMNS: readonly Column[] = [
  { label: 'Name', width: 180 },
  { label: 'Location' },
  { label: 'Status', width: 124 },
  { label: 'Space', width: 192 },
  { label: 'Backups', width: 84, align: 'right' },
  { label: 'Used', width: 88, align: 'right' },
  { label: 'Actions', width: 88, align: 'right', hidden: true, pinned: true },
];

export function RepositoryTable({
  repositories,
  loading,
  onRemove,
  onRescan,
  scanning = {},
  disabled,
  highlightId,
}: RepositoryTableProps) {
  const offline = disabled ? 'Not connected to the engine' : null;
  return (
    <DataTable label="Repositories" columns={COLUMNS} minWidth={900} loading={loading && repositories.length === 0}>
      {repositories.map((repository) => {
        const isScanning = Boolean(scanning[repository.id]);
        return (
          <DataRow
            key={repository.id}
            hover
            highlighted={highlightId === repository.id}
            data-repository-id={repository.id}
            aria-busy={isScanning || undefined}
          >
            <TableCell>
              <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', columnGap: 1, rowGap: 0.5, minWidth: 0 }}>
                <Typography variant="body2" sx={{ fontWeight: 600, overflowWrap: 'break-word', minWidth: 0 }}>
                  {repository.name}
                </Typography>
                {repository.isDefault ? (
                  <Chip label="Default" size="small" color="primary" variant="outlined" sx={{ height: 20, fontSize: '0.6875rem' }} />
                ) : null}
              </Box>
              <Tooltip title={formatDateTime(repository.createdAt)} placement="bottom-start">
                <Typography variant="caption" component="div" sx={{ color: 'text.secondary', mt: 0.25, width: 'fit-content' }}>
                  Added {formatDate(repository.createdAt)}
                </Typography>
              </Tooltip>
            </TableCell>
            <TableCell>
              <LocationCell repository={repository} />
            </TableCell>
            <TableCell>
              <StatusCell repository={repository} />
            </TableCell>
            <TableCell>
              <SpaceCell repository={repository} />
            </TableCell>
            <NumberCell>{repository.backupCount !== undefined ? formatNumber(repository.backupCount) : <Dash title={NOT_SCANNED} />}</NumberCell>
            <NumberCell>{repository.usedBytes !== undefined ? formatBytes(repository.usedBytes) : <Dash title={NOT_SCANNED} />}</NumberCell>
            <ActionsCell pinned>
              <IconAction
                label={`Rescan ${repository.name}`}
                title={offline ?? (isScanning ? 'Scanning for backups…' : 'Rescan for backups')}
                icon={<ManageSearchOutlined fontSize="small" />}
                onClick={() => onRescan(repository)}
                disabled={disabled}
                busy={isScanning}
                busyLabel={`Scanning ${repository.name}`}
              />
              <IconAction
                label={`Remove ${repository.name}`}
                title={offline ?? 'Remove from Ferry'}
                icon={<DeleteOutlined fontSize="small" />}
                onClick={() => onRemove(repository)}
                disabled={disabled}
              />
            </ActionsCell>
          </DataRow>
        );
      })}
    </DataTable>
  );
}
