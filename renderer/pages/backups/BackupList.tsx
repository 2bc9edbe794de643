import ChevronRightOutlined from '@mui/icons-material/ChevronRightOutlined';
import CloudOutlined from '@mui/icons-material/CloudOutlined';
import FolderOutlined from '@mui/icons-material/FolderOutlined';
import LockOutlined from '@mui/icons-material/LockOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Divider from '@mui/material/Divider';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemText from '@mui/material/ListItemText';
import Paper from '@mui/material/Paper';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { Fragment } from 'react';
import type { BackupSummary } from '../../../shared/domain/backup.ts';
import type { Repository } from '../../../shared/domain/repository.ts';
import { formatBytes, formatCount, formatDateTime } from '../../format/format.ts';
import { backupKey } from '../../store/backups.ts';
import { MONO_FONT_STACK } from '../../theme/theme.ts';

export const KIND_LABEL: Record<BackupSummary['kind'], string> = {
  'folder-backup': 'Folder backup',
  'backup-copy': 'Backup copy',
};

/** The workload shown in the restore-point table. */
export interface WorkloadSelection {
  key: string;
  workload: string;
}

function BackupCard({
  backup,
  selection,
  onSelect,
}: {
  backup: BackupSummary;
  selection: WorkloadSelection | null;
  onSelect: (selection: WorkloadSelection) => void;
}) {
  const key = backupKey(backup);
  return (
    <Box component="section" aria-label={backup.name} data-backup-folder={backup.folder} sx={{ py: 1.5 }}>
      <Box sx={{ px: 2, display: 'flex', alignItems: 'flex-start', gap: 1 }}>
        <Box sx={{ flex: 1, minWidth: 0 }}>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75, minWidth: 0 }}>
            <Typography variant="subtitle2" component="h3" sx={{ overflowWrap: 'anywhere', minWidth: 0 }}>
              {backup.name}
            </Typography>
            {backup.encrypted ? (
              <Tooltip title="Encrypted">
                <LockOutlined
                  role="img"
                  aria-label="Encrypted"
                  aria-hidden={false}
                  sx={{ fontSize: 16, color: 'text.secondary', flexShrink: 0 }}
                />
              </Tooltip>
            ) : null}
          </Box>
          <Box sx={{ display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: 1, mt: 0.5 }}>
            <Chip
              label={KIND_LABEL[backup.kind]}
              size="small"
              variant="outlined"
              color={backup.kind === 'backup-copy' ? 'secondary' : 'primary'}
              sx={{ height: 20, fontSize: '0.6875rem' }}
            />
            <Typography variant="caption" sx={{ color: 'text.secondary' }}>
              Since {formatDateTime(backup.created)}
            </Typography>
          </Box>
        </Box>
        <Tooltip title="Space its data takes in the repository">
          <Typography variant="body2" sx={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums', pt: '1px' }}>
            {formatBytes(backup.sizeBytes)}
          </Typography>
        </Tooltip>
      </Box>
      {backup.damaged.length > 0 ? (
        <Alert severity="error" sx={{ mx: 2, mt: 1.25, py: 0.25 }}>
          <Box component="span" sx={{ display: 'block', fontWeight: 600 }}>
            {formatCount(backup.damaged.length, 'damaged file', 'damaged files')}
          </Box>
          {backup.damaged.map((item) => (
            <Box key={item.key} component="span" sx={{ display: 'block', fontFamily: MONO_FONT_STACK, fontSize: '0.75rem', overflowWrap: 'anywhere' }}>
              {item.key}
            </Box>
          ))}
          {backup.readable ? (
            <Box component="span" sx={{ display: 'block', mt: 0.75 }}>
              Everything else in this backup is listed. To repair it, run{' '}
              <Box component="code" sx={{ whiteSpace: 'nowrap' }}>
                ferry verify --repair
              </Box>{' '}
              on the repository.
            </Box>
          ) : null}
        </Alert>
      ) : null}
      {!backup.readable ? (
        backup.damaged.length > 0 ? null : (
          <Alert severity="warning" sx={{ mx: 2, mt: 1.25, py: 0.25 }}>
            Encrypted with a password Ferry does not know, so its restore points cannot be read.
          </Alert>
        )
      ) : backup.workloads.length === 0 ? (
        <Typography variant="body2" sx={{ color: 'text.secondary', px: 2, mt: 1 }}>
          No restore points yet.
        </Typography>
      ) : (
        <List dense disablePadding aria-label={`Workloads of ${backup.name}`} sx={{ mt: 0.75, px: 1 }}>
          {backup.workloads.map((workload) => {
            const selected = selection?.key === key && selection.workload === workload.name;
            return (
              <ListItem key={workload.name} disablePadding>
                <ListItemButton
                  selected={selected}
                  aria-current={selected ? 'true' : undefined}
                  onClick={() => onSelect({ key, workload: workload.name })}
                  sx={{ borderRadius: 1.5, py: 0.5, pr: 1 }}
                >
                  <ListItemText
                    primary={workload.name}
                    secondary={
                      <>
                        <Box component="span" sx={{ display: 'block' }}>
                          {formatCount(workload.points, 'restore point', 'restore points')}
                        </Box>
                        {workload.newest ? (
                          <Box component="span" sx={{ display: 'block' }}>
                            Newest {formatDateTime(workload.newest)}
                          </Box>
                        ) : null}
                      </>
                    }
                    slotProps={{
                      primary: { sx: { fontWeight: selected ? 600 : 500, overflowWrap: 'anywhere' } },
                      secondary: { sx: { fontVariantNumeric: 'tabular-nums' } },
                    }}
                  />
                  <ChevronRightOutlined fontSize="small" sx={{ color: 'text.secondary', ml: 1 }} />
                </ListItemButton>
              </ListItem>
            );
          })}
        </List>
      )}
    </Box>
  );
}

export interface BackupGroup {
  repository: Repository;
  backups: BackupSummary[];
}

export interface BackupListProps {
  groups: readonly BackupGroup[];
  selection: WorkloadSelection | null;
  onSelect: (selection: WorkloadSelection) => void;
}

/** Backups grouped by repository, each with its workloads to pick from. */
export function BackupList({ groups, selection, onSelect }: BackupListProps) {
  return (
    <Paper variant="outlined" sx={{ borderRadius: 2.5, overflow: 'hidden' }}>
      {groups.map((group, index) => {
        const Icon = group.repository.location.kind === 's3' ? CloudOutlined : FolderOutlined;
        return (
          <Fragment key={group.repository.id}>
            {index > 0 ? <Divider /> : null}
            <Box
              sx={{
                display: 'flex',
                alignItems: 'center',
                gap: 1,
                px: 2,
                py: 1,
                bgcolor: 'action.hover',
                borderBottom: 1,
                borderColor: 'divider',
              }}
            >
              <Icon sx={{ fontSize: 18, color: 'text.secondary' }} />
              <Typography variant="overline" component="h2" sx={{ flex: 1, minWidth: 0, lineHeight: 1.8, overflowWrap: 'anywhere' }}>
                {group.repository.name}
              </Typography>
              <Typography variant="caption" sx={{ color: 'text.secondary', whiteSpace: 'nowrap' }}>
                {formatCount(group.backups.length, 'backup', 'backups')}
              </Typography>
            </Box>
            {group.backups.map((backup, backupIndex) => (
              <Fragment key={backupKey(backup)}>
                {backupIndex > 0 ? <Divider sx={{ mx: 2 }} /> : null}
                <BackupCard backup={backup} selection={selection} onSelect={onSelect} />
              </Fragment>
            ))}
          </Fragment>
        );
      })}
    </Paper>
  );
}
