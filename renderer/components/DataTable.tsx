import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell, { type TableCellProps } from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow, { type TableRowProps } from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import { alpha, type SxProps, type Theme } from '@mui/material/styles';
import type { ReactNode } from 'react';
import { formatBytes } from '../format/format.ts';
import { VisuallyHidden } from './VisuallyHidden.tsx';

export interface Column {
  label: string;
  width?: number | string;
  minWidth?: number;
  align?: 'right';
  /** A header only screen readers read (the row actions). */
  hidden?: boolean;
  /** Stays at the right edge when the table scrolls sideways (the row actions: never out of reach). */
  pinned?: boolean;
}

/** A cell kept at the right edge of a table that scrolls sideways. */
const pinnedRight: SxProps<Theme> = { position: 'sticky', right: 0, zIndex: 1 };

export interface DataTableProps {
  /** The table's accessible name. */
  label: string;
  columns: readonly Column[];
  /** Below this width the table scrolls sideways instead of squeezing its columns. */
  minWidth: number;
  /**
   * A table inside a card of its own (a detail view): no frame of its own, smaller rows,
   * and cells lined up with the card's padding.
   */
  dense?: boolean;
  /** Horizontal padding of the cells, and of the first and last column (theme spacing). */
  padding?: { cell?: number; start?: number; end?: number };
  /** Placeholder rows while the first list loads. */
  loading?: boolean;
  skeletonRows?: number;
  /** The only row when there is nothing to list (filters match nothing, a session without tasks). */
  empty?: ReactNode;
  children: ReactNode;
}

/** A list as a table: its header, placeholder rows while loading and a message row when empty. */
export function DataTable({ label, columns, minWidth, dense, padding, loading, skeletonRows = 2, empty, children }: DataTableProps) {
  const cell = padding?.cell ?? (dense ? 1.25 : 1.5);
  const start = padding?.start ?? (dense ? 2.5 : 2);
  const end = padding?.end ?? (dense ? 2.5 : 1.5);
  const table = (
    <Table
      aria-label={label}
      size={dense ? 'small' : 'medium'}
      sx={{
        minWidth,
        '& td, & th': { px: cell, ...(dense ? { py: 1 } : {}) },
        '& td:first-of-type, & th:first-of-type': { pl: start },
        '& td:last-of-type, & th:last-of-type': { pr: end },
      }}
    >
      <TableHead>
        <TableRow>
          {columns.map((column) => (
            <TableCell
              key={column.label}
              align={column.align ?? 'left'}
              sx={[{ width: column.width, minWidth: column.minWidth }, ...(column.pinned ? asArray(pinnedRight) : [])]}
            >
              {column.hidden ? <VisuallyHidden>{column.label}</VisuallyHidden> : column.label}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {loading
          ? Array.from({ length: skeletonRows }, (_, row) => (
              <TableRow key={row} aria-hidden>
                {columns.map((column) => (
                  <TableCell key={column.label}>
                    <Skeleton variant="text" width={column.hidden ? 24 : '80%'} />
                  </TableCell>
                ))}
              </TableRow>
            ))
          : null}
        {!loading && empty ? (
          <TableRow>
            <TableCell colSpan={columns.length} sx={{ py: dense ? 3 : 4, textAlign: 'center', color: 'text.secondary' }}>
              {empty}
            </TableCell>
          </TableRow>
        ) : null}
        {children}
      </TableBody>
    </Table>
  );
  // Positioned, so a hidden header's text (absolutely placed) scrolls with the table
  // instead of widening the whole page when the table scrolls sideways.
  if (dense) return <TableContainer sx={{ position: 'relative' }}>{table}</TableContainer>;
  return (
    <TableContainer component={Paper} variant="outlined" sx={{ position: 'relative', borderRadius: 2.5 }}>
      {table}
    </TableContainer>
  );
}

/** A caller's `sx` as a list, to put after a component's own styles. */
function asArray(sx: SxProps<Theme> | undefined): readonly Exclude<SxProps<Theme>, readonly unknown[]>[] {
  if (!sx) return [];
  return (Array.isArray(sx) ? sx : [sx]) as readonly Exclude<SxProps<Theme>, readonly unknown[]>[];
}

export interface DataRowProps extends TableRowProps {
  /** Flash the row briefly (it was just added). */
  highlighted?: boolean;
  /** Align the cells to the top (rows whose cells have several lines). */
  top?: boolean;
}

/** A row of a DataTable: no rule under the last one; optionally flashed when just added. */
export function DataRow({ highlighted, top, sx, ...props }: DataRowProps) {
  const own: SxProps<Theme> = (theme) => ({
    ...(top && { verticalAlign: 'top' }),
    '&:last-child td': { borderBottom: 0 },
    ...(highlighted && {
      animation: 'ferry-row-added 2.4s ease-out',
      '@keyframes ferry-row-added': {
        from: { backgroundColor: alpha(theme.palette.primary.main, 0.16) },
      },
    }),
  });
  return <TableRow {...props} sx={[own, ...asArray(sx)]} />;
}

/** A right-aligned cell for figures (sizes, counts, durations): tabular digits, no wrapping. */
export function NumberCell({ children, sx, ...props }: TableCellProps) {
  return (
    <TableCell align="right" {...props} sx={[{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }, ...asArray(sx)]}>
      {children}
    </TableCell>
  );
}

/** The last cell of a row: its icon buttons, side by side; `pinned` with its column. */
export function ActionsCell({ children, pinned, sx, ...props }: TableCellProps & { pinned?: boolean }) {
  // Pinned, it covers what scrolls under it: the paper, and the row's hover tint over it.
  const cover: SxProps<Theme> = (theme) => ({
    backgroundColor: theme.palette.background.paper,
    'tr:hover > &': { backgroundImage: `linear-gradient(${theme.palette.action.hover}, ${theme.palette.action.hover})` },
  });
  return (
    <TableCell align="right" {...props} sx={[{ py: 0.5, whiteSpace: 'nowrap' }, ...(pinned ? [...asArray(pinnedRight), cover] : []), ...asArray(sx)]}>
      {children}
    </TableCell>
  );
}

/** New data written by a run or point, with what it took after compression in a tooltip (none while running). */
export function NewBytes({ bytes, stored }: { bytes: number; stored: number | null }) {
  return (
    <Tooltip title={stored === null ? 'New data so far' : `${formatBytes(stored)} stored after compression`}>
      <span>{formatBytes(bytes)}</span>
    </Tooltip>
  );
}
