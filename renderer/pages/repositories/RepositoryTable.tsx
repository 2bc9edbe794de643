import CheckCircleOutlined from '@mui/icons-material/CheckCircleOutlined';
import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import ErrorOutlineOutlined from '@mui/icons-material/ErrorOutlineOutlined';
import StorageOutlined from '@mui/icons-material/StorageOutlined';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
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
import { formatDate, formatDateTime } from '../../format/format.ts';
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

export interface RepositoryTableProps {
  repositories: readonly Repository[];
  /** Show placeholder rows while the first list loads. */
  loading?: boolean;
  onRemove: (repository: Repository) => void;
  /** Actions are disabled while the engine is unreachable. */
  disabled?: boolean;
  /** The row to highlight briefly (just added). */
  highlightId?: string | null;
}

export function RepositoryTable({ repositories, loading, onRemove, disabled, highlightId }: RepositoryTableProps) {
  const theme = useTheme();
  return (
    <TableContainer component={Paper} variant="outlined" sx={{ borderRadius: 2.5 }}>
      <Table aria-label="Repositories" sx={{ minWidth: 860 }}>
        <TableHead>
          <TableRow>
            <TableCell>Name</TableCell>
            <TableCell>Location</TableCell>
            <TableCell sx={{ width: 200 }}>Status</TableCell>
            <TableCell sx={{ width: 230 }}>Free space</TableCell>
            <TableCell sx={{ width: 120 }}>Created</TableCell>
            <TableCell align="right" sx={{ width: 56 }}>
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
                  {[0, 1, 2, 3, 4, 5].map((cell) => (
                    <TableCell key={cell}>
                      <Skeleton variant="text" width={cell === 5 ? 24 : '80%'} />
                    </TableCell>
                  ))}
                </TableRow>
              ))
            : null}
          {repositories.map((repository) => (
            <TableRow
              key={repository.id}
              hover
              data-repository-id={repository.id}
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
                <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 1.25, minWidth: 0 }}>
                  <StorageOutlined sx={{ color: 'text.secondary', fontSize: 20, flexShrink: 0, mt: '1px' }} />
                  <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', columnGap: 1, rowGap: 0.5, minWidth: 0 }}>
                    <Typography variant="body2" sx={{ fontWeight: 600, overflowWrap: 'break-word' }}>
                      {repository.name}
                    </Typography>
                    {repository.isDefault ? (
                      <Chip label="Default" size="small" color="primary" variant="outlined" sx={{ height: 20, fontSize: '0.6875rem' }} />
                    ) : null}
                  </Box>
                </Box>
              </TableCell>
              <TableCell>
                <Typography
                  variant="body2"
                  sx={{ fontFamily: MONO_FONT_STACK, fontSize: '0.8125rem', overflowWrap: 'break-word', wordBreak: 'normal' }}
                >
                  <BreakablePath path={describeLocation(repository.location)} />
                </Typography>
              </TableCell>
              <TableCell>
                <StatusCell repository={repository} />
              </TableCell>
              <TableCell>
                {repository.space ? (
                  <SpaceBar space={repository.space} label={repository.name} dense />
                ) : (
                  <Typography variant="body2" color="textSecondary">
                    —
                  </Typography>
                )}
              </TableCell>
              <TableCell>
                <Tooltip title={formatDateTime(repository.createdAt)}>
                  <Typography variant="body2" component="span" sx={{ whiteSpace: 'nowrap' }}>
                    {formatDate(repository.createdAt)}
                  </Typography>
                </Tooltip>
              </TableCell>
              <TableCell align="right" sx={{ py: 0.5 }}>
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
          ))}
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
