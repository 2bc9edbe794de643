import Box from '@mui/material/Box';
import MenuItem from '@mui/material/MenuItem';
import TextField, { type TextFieldProps } from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { describeLocation, type Repository } from '../../shared/domain/repository.ts';
import { MONO_FONT_STACK } from '../theme/theme.ts';

/** The repository a job writes to: a select naming each repository with its location; some may be refused with a reason. */
export function RepositoryField({
  repositories,
  refuse,
  field,
}: {
  repositories: readonly Repository[];
  /** Why a repository cannot be chosen (it is a source's), or null. */
  refuse?: (repository: Repository) => string | null;
  field: Partial<TextFieldProps>;
}) {
  return (
    <TextField
      {...field}
      select
      label="Target repository"
      required
      slotProps={{
        select: {
          renderValue: (value) => repositories.find((repository) => repository.id === value)?.name ?? '',
          MenuProps: { slotProps: { paper: { sx: { maxWidth: 560 } } } },
        },
      }}
    >
      {repositories.map((repository) => {
        const refused = refuse?.(repository) ?? null;
        return (
          <MenuItem key={repository.id} value={repository.id} disabled={refused !== null} sx={{ display: 'block', py: 1 }}>
            <Typography variant="body2" component="div" sx={{ fontWeight: 600 }}>
              {repository.name}
              {repository.isDefault ? (
                <Box component="span" sx={{ color: 'text.secondary', fontWeight: 400 }}>
                  {' '}
                  · default
                </Box>
              ) : null}
              {repository.status === 'unavailable' ? (
                <Box component="span" sx={{ color: 'error.main', fontWeight: 400 }}>
                  {' '}
                  · unavailable
                </Box>
              ) : null}
              {refused ? (
                <Box component="span" sx={{ color: 'text.secondary', fontWeight: 400 }}>
                  {' '}
                  · {refused}
                </Box>
              ) : null}
            </Typography>
            <Typography variant="caption" component="div" sx={{ color: 'text.secondary', fontFamily: MONO_FONT_STACK, whiteSpace: 'normal', overflowWrap: 'anywhere' }}>
              {describeLocation(repository.location)}
            </Typography>
          </MenuItem>
        );
      })}
    </TextField>
  );
}

/** The repository to preselect in a new job: the default one if it is reachable, else the first reachable. */
export function preferredRepository(repositories: readonly Repository[], refused: (id: string) => boolean = () => false): string {
  const usable = repositories.filter((repository) => repository.status === 'available' && !refused(repository.id));
  return (usable.find((repository) => repository.isDefault) ?? usable[0])?.id ?? '';
}
