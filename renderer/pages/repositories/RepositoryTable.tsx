import CheckCircleOutlined from '@mui/icons-material/CheckCircleOutlined';
import CloudOutlined from '@mui/icons-material/CloudOutlined';
import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import ErrorOutlineOutlined from '@mui/icons-material/ErrorOutlineOutlined';
import FolderOutlined from '@mui/icons-material/FolderOutlined';
import ManageSearchOutlined from '@mui/icons-material/ManageSearchOutlined';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import IconButton from '@mui/material/IconButton';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import { describeLocation, type Repository } from '../../../shared/domain/repository.ts';
import { BreakablePath } from '../../components/BreakablePath.tsx';
import { SpaceBar } from '../../components/SpaceBar.tsx';
import { formatBytes, formatDate, formatDateTime, formatNumber, formatPercent, usedShare } from '../../format/format.ts';
import { MONO_FONT_STACK } from '../../theme/theme.ts';

function StatusCell({ repository }: { repository: Repository }) {
  if (repository.status === 'available') {
    return (
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75, color: 'success.main' }}>
        <CheckCircleOutlined sx={{ fontSize: 18 }} />
        <Typography variant="body2" sx={{ color: 'text.primary' }}>
          Available
        </Typography>
      </Box>
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

function Dash({ title }: { title?: string }) {
  const dash = (
    <Typography variant="body2" component="span" sx={{ color: 'text.secondary' }}>
      —
    </Typography>
  );
  return title ? <Tooltip title={title}>{dash}</Tooltip> : dash;
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

const COLUMNS = 7;

export function RepositoryTable({
  repositories,
  loading,
  onRemove,
  onRescan,
  scanning = {},
  disabled,
  highlightId,
}: RepositoryTableProps) {
  const theme = useTheme();
  return (
    <TableContainer component={Paper} variant="outlined" sx={{ borderRadius: 2.5 }}>
      <Table
        aria-label="Repositories"
        sx={{
          minWidth: 900,
          '& td, & th': { px: 1.5 },
          '& td:first-of-type, & th:first-of-type': { pl: 2 },
          '& td:last-of-type, & th:last-of-type': { pr: 1.5 },
        }}
      >
        <TableHead>
          <TableRow>
            <TableCell sx={{ width: 180 }}>Name</TableCell>
            <TableCell>Location</TableCell>
            <TableCell sx={{ width: 124 }}>Status</TableCell>
            <TableCell sx={{ width: 192 }}>Space</TableCell>
            <TableCell align="right" sx={{ width: 84 }}>
              Backups
            </TableCell>
            <TableCell align="right" sx={{ width: 88 }}>
              Used
            </TableCell>
            <TableCell align="right" sx={{ width: 88 }}>
              <Box component="span" sx={visuallyHidden}>
                Actions
              </Box>
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {loading && repositories.length === 0
            ? [0, 1].map((row) => (
                <TableRow key={row} aria-hidden>
                  {Array.from({ length: COLUMNS }, (_, cell) => (
                    <TableCell key={cell}>
                      <Skeleton variant="text" width={cell === COLUMNS - 1 ? 24 : '80%'} />
                    </TableCell>
                  ))}
                </TableRow>
              ))
            : null}
          {repositories.map((repository) => {
            const isScanning = Boolean(scanning[repository.id]);
            return (
              <TableRow
                key={repository.id}
                hover
                data-repository-id={repository.id}
                aria-busy={isScanning || undefined}
                sx={{
                  '&:last-child td': { borderBottom: 0 },
                  ...(highlightId === repository.id && {
                    animation: 'ferry-row-added 2.4s ease-out',
                    '@keyframes ferry-row-added': {
                      from: { backgroundColor: alpha(theme.palette.primary.main, 0.16) },
                    },
                  }),
                }}
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
                <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                  {repository.backupCount !== undefined ? (
                    <Typography variant="body2" component="span">
                      {formatNumber(repository.backupCount)}
                    </Typography>
                  ) : (
                    <Dash title={NOT_SCANNED} />
                  )}
                </TableCell>
                <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
                  {repository.usedBytes !== undefined ? (
                    <Typography variant="body2" component="span">
                      {formatBytes(repository.usedBytes)}
                    </Typography>
                  ) : (
                    <Dash title={NOT_SCANNED} />
                  )}
                </TableCell>
                <TableCell align="right" sx={{ py: 0.5, whiteSpace: 'nowrap' }}>
                  <Tooltip title={disabled ? 'Not connected to the engine' : isScanning ? 'Scanning for backups…' : 'Rescan for backups'}>
                    <span>
                      <IconButton
                        aria-label={`Rescan ${repository.name}`}
                        onClick={() => onRescan(repository)}
                        disabled={disabled || isScanning}
                        size="small"
                      >
                        {isScanning ? (
                          <CircularProgress size={18} aria-label={`Scanning ${repository.name}`} />
                        ) : (
                          <ManageSearchOutlined fontSize="small" />
                        )}
                      </IconButton>
                    </span>
                  </Tooltip>
                  <Tooltip title={disabled ? 'Not connected to the engine' : 'Remove from Ferry'}>
                    <span>
                      <IconButton
                        aria-label={`Remove ${repository.name}`}
                        onClick={() => onRemove(repository)}
                        disabled={disabled}
                        size="small"
                      >
                        <DeleteOutlined fontSize="small" />
                      </IconButton>
                    </span>
                  </Tooltip>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

const visuallyHidden = {
  border: 0,
  clip: 'rect(0 0 0 0)',
  height: '1px',
  margin: '-1px',
  overflow: 'hidden',
  padding: 0,
  position: 'absolute',
  whiteSpace: 'nowrap',
  width: '1px',
} as const;
