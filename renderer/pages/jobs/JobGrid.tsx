import ContentCopyOutlined from '@mui/icons-material/ContentCopyOutlined';
import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import DoNotDisturbOnOutlined from '@mui/icons-material/DoNotDisturbOnOutlined';
import EditOutlined from '@mui/icons-material/EditOutlined';
import HistoryOutlined from '@mui/icons-material/HistoryOutlined';
import MonitorHeartOutlined from '@mui/icons-material/MonitorHeartOutlined';
import PlayArrowOutlined from '@mui/icons-material/PlayArrowOutlined';
import PlayCircleOutlined from '@mui/icons-material/PlayCircleOutlined';
import StopOutlined from '@mui/icons-material/StopOutlined';
import CircularProgress from '@mui/material/CircularProgress';
import Paper from '@mui/material/Paper';
import {
  DataGrid,
  GRID_CHECKBOX_SELECTION_COL_DEF,
  GridActionsCellItem,
  type GridColDef,
  type GridPaginationModel,
  type GridRowSelectionModel,
  type GridSortModel,
} from '@mui/x-data-grid';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { JobSummary, SessionResult } from '../../../shared/domain/job.ts';
import { RESULT_LABEL } from '../../components/ResultChip.tsx';
import { hrefForSession } from '../../shell/router.ts';
import { JOB_KIND_LABEL, shortSchedule } from './describe.ts';
import { LIST_STATUS_LABEL, LIST_STATUSES, type ListStatus } from './status.ts';
import { ModeCell, NameCell, NextRunCell, ResultCell, StatusCell, TargetCell, TimeCell } from './JobCells.tsx';
import { type ListedJob, sourcesLine } from './rows.ts';
import type { LiveSession } from '../../store/jobs.ts';

/** One row of the job list: the job, what the page knows around it, its live session and a start or stop asked. */
export interface JobRow extends ListedJob {
  id: string;
  live: LiveSession | undefined;
  /** A start or stop asked and not yet answered. */
  pending: 'starting' | 'stopping' | undefined;
}

export interface JobGridActions {
  onStart: (job: JobSummary) => void;
  onStop: (job: JobSummary) => void;
  onOpenLive: (job: JobSummary) => void;
  onEdit: (job: JobSummary) => void;
  onClone: (job: JobSummary) => void;
  onSetEnabled: (jobs: JobSummary[], enabled: boolean) => void;
  onDelete: (job: JobSummary) => void;
}

export interface JobGridProps extends JobGridActions {
  rows: readonly JobRow[];
  loading: boolean;
  /** Actions are off while the engine is unreachable. */
  offline: boolean;
  selection: GridRowSelectionModel;
  onSelectionChange: (selection: GridRowSelectionModel) => void;
  now: number;
  /** What to say when the rows are filtered down to none. */
  noMatch: string;
}

/**
 * How much the list folds together to fit its width without a sideways scroll: wide shows
 * every column; medium puts the kind under the name, the next run under the mode and the
 * last run's time under its result; compact also the target under the name.
 */
type Layout = 'wide' | 'medium' | 'compact';
const WIDE = 1180;
const MEDIUM = 880;

function useLayout(): [React.RefObject<HTMLDivElement | null>, Layout] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(WIDE);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(entry.contentRect.width);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width >= WIDE ? 'wide' : width >= MEDIUM ? 'medium' : 'compact'];
}

function nameDetails(row: JobRow, layout: Layout): string[] {
  const target = row.targetName ?? 'a missing repository';
  if (layout === 'wide') return [sourcesLine(row)];
  if (layout === 'medium') return [JOB_KIND_LABEL[row.job.kind], sourcesLine(row)];
  return [`${JOB_KIND_LABEL[row.job.kind]} to ${target}`, sourcesLine(row)];
}

/** Column widths per layout: what their longest usual content needs ("Next: Dec 8, 10:00 PM"). */
const WIDTHS: Record<Layout, { mode: number; status: number; result: number; actions: number }> = {
  wide: { mode: 150, status: 158, result: 116, actions: 116 },
  medium: { mode: 168, status: 158, result: 136, actions: 116 },
  compact: { mode: 160, status: 132, result: 120, actions: 112 },
};

const RESULT_ORDER: Record<SessionResult, number> = { failed: 0, warning: 1, stopped: 2, success: 3 };

function columns(layout: Layout, offline: boolean, actions: JobGridActions, now: number): GridColDef<JobRow>[] {
  const offlineTitle = offline ? 'Not connected to the engine' : undefined;
  return [
    { ...GRID_CHECKBOX_SELECTION_COL_DEF, width: 44 },
    {
      field: 'name',
      headerName: 'Name',
      flex: 1.4,
      minWidth: layout === 'compact' ? 140 : 150,
      valueGetter: (_value, row) => row.job.name,
      renderCell: ({ row }) => <NameCell job={row.job} details={nameDetails(row, layout)} />,
    },
    {
      field: 'kind',
      headerName: 'Kind',
      width: 118,
      type: 'singleSelect',
      valueOptions: Object.values(JOB_KIND_LABEL),
      valueGetter: (_value, row) => JOB_KIND_LABEL[row.job.kind],
    },
    {
      field: 'mode',
      headerName: 'Mode',
      width: WIDTHS[layout].mode,
      valueGetter: (_value, row) => shortSchedule(row.job.schedule),
      renderCell: ({ row }) => <ModeCell job={row.job} withNext={layout !== 'wide'} now={now} />,
    },
    {
      field: 'status',
      headerName: 'Status',
      width: WIDTHS[layout].status,
      type: 'singleSelect',
      valueOptions: LIST_STATUSES.map((status) => ({ value: status, label: LIST_STATUS_LABEL[status] })),
      valueGetter: (_value, row) => row.status,
      sortComparator: (a: ListStatus, b: ListStatus) => LIST_STATUSES.indexOf(a) - LIST_STATUSES.indexOf(b),
      renderCell: ({ row, tabIndex }) => <StatusCell job={row.job} status={row.status} live={row.live} tabIndex={tabIndex} onOpenLive={actions.onOpenLive} />,
    },
    {
      field: 'result',
      headerName: layout === 'wide' ? 'Last result' : 'Last run',
      width: WIDTHS[layout].result,
      type: 'singleSelect',
      valueOptions: Object.entries(RESULT_LABEL).map(([value, label]) => ({ value, label })),
      valueGetter: (_value, row) => row.result,
      sortComparator: (a: SessionResult | null, b: SessionResult | null) => (a ? RESULT_ORDER[a] : 9) - (b ? RESULT_ORDER[b] : 9),
      renderCell: ({ row }) => <ResultCell result={row.result} at={row.job.lastSession?.startedAt ?? null} now={now} withTime={layout !== 'wide'} />,
    },
    {
      field: 'lastRun',
      headerName: 'Last run',
      width: 112,
      type: 'dateTime',
      valueGetter: (_value, row) => (row.job.lastSession ? new Date(row.job.lastSession.startedAt) : null),
      renderCell: ({ row }) => <TimeCell at={row.job.lastSession?.startedAt} now={now} />,
    },
    {
      field: 'nextRun',
      headerName: 'Next run',
      width: 112,
      type: 'dateTime',
      valueGetter: (_value, row) => (row.job.enabled && row.job.nextRun ? new Date(row.job.nextRun) : null),
      sortComparator: (a: Date | null, b: Date | null) => (a ? a.getTime() : Infinity) - (b ? b.getTime() : Infinity),
      renderCell: ({ row }) => <NextRunCell job={row.job} now={now} />,
    },
    {
      field: 'target',
      headerName: 'Target',
      flex: 0.8,
      minWidth: 110,
      valueGetter: (_value, row) => row.targetName ?? 'Missing repository',
      renderCell: ({ row }) => <TargetCell name={row.targetName} />,
    },
    {
      field: 'actions',
      type: 'actions',
      headerName: 'Actions',
      resizable: false,
      width: WIDTHS[layout].actions,
      getActions: ({ row }) => {
        const { job } = row;
        const missing = row.status === 'missing-repository';
        const items = [
          <GridActionsCellItem
            key="start"
            label={`Start ${job.name}`}
            title={offlineTitle ?? (job.running ? 'Already running' : missing ? 'The target repository was removed' : 'Start now')}
            icon={row.pending === 'starting' ? <CircularProgress size={18} aria-label={`Starting ${job.name}`} /> : <PlayArrowOutlined />}
            color="primary"
            // Start and Stop keep their places: a second click of a double-click lands on a disabled Start.
            disabled={offline || job.running || missing || row.pending !== undefined}
            onClick={() => actions.onStart(job)}
          />,
          <GridActionsCellItem
            key="stop"
            label={`Stop ${job.name}`}
            title={offlineTitle ?? (job.running ? (row.pending === 'stopping' ? 'Stopping…' : 'Stop: the repository stays consistent') : 'Not running')}
            icon={row.pending === 'stopping' ? <CircularProgress size={18} aria-label={`Stopping ${job.name}`} /> : <StopOutlined />}
            disabled={offline || !job.running || row.pending !== undefined}
            onClick={() => actions.onStop(job)}
          />,
        ];
        if (job.running) {
          items.push(<GridActionsCellItem key="live" showInMenu label="View live session" icon={<MonitorHeartOutlined />} onClick={() => actions.onOpenLive(job)} />);
        } else if (job.lastSession) {
          const href = hrefForSession(job.lastSession.id);
          items.push(
            <GridActionsCellItem
              key="last"
              showInMenu
              label="Open last session"
              icon={<HistoryOutlined />}
              onClick={() => {
                window.location.hash = href;
              }}
            />,
          );
        }
        items.push(
          <GridActionsCellItem key="edit" showInMenu label="Edit…" icon={<EditOutlined />} disabled={offline} onClick={() => actions.onEdit(job)} />,
          <GridActionsCellItem key="clone" showInMenu label="Clone…" icon={<ContentCopyOutlined />} disabled={offline} onClick={() => actions.onClone(job)} />,
          job.enabled ? (
            <GridActionsCellItem key="enable" showInMenu label="Disable" icon={<DoNotDisturbOnOutlined />} disabled={offline} onClick={() => actions.onSetEnabled([job], false)} />
          ) : (
            <GridActionsCellItem key="enable" showInMenu label="Enable" icon={<PlayCircleOutlined />} disabled={offline} onClick={() => actions.onSetEnabled([job], true)} />
          ),
          <GridActionsCellItem
            key="delete"
            showInMenu
            label="Delete…"
            icon={<DeleteOutlined />}
            disabled={offline || job.running}
            onClick={() => actions.onDelete(job)}
          />,
        );
        return items;
      },
    },
  ];
}

const HIDDEN: Record<Layout, Record<string, boolean>> = {
  wide: {},
  medium: { kind: false, nextRun: false, lastRun: false },
  compact: { kind: false, nextRun: false, target: false, lastRun: false },
};

const ROW_HEIGHT: Record<Layout, number> = { wide: 64, medium: 76, compact: 76 };

export function JobGrid({ rows, loading, offline, selection, onSelectionChange, now, noMatch, ...actions }: JobGridProps) {
  const [ref, layout] = useLayout();
  const [sortModel, setSortModel] = useState<GridSortModel>([{ field: 'name', sort: 'asc' }]);
  const [pagination, setPagination] = useState<GridPaginationModel>({ page: 0, pageSize: 100 });
  const { onStart, onStop, onOpenLive, onEdit, onClone, onSetEnabled, onDelete } = actions;
  const columnDefs = useMemo(
    () => columns(layout, offline, { onStart, onStop, onOpenLive, onEdit, onClone, onSetEnabled, onDelete }, now),
    [layout, offline, onStart, onStop, onOpenLive, onEdit, onClone, onSetEnabled, onDelete, now],
  );
  return (
    <Paper ref={ref} variant="outlined" data-layout={layout} sx={{ borderRadius: 2.5, overflow: 'hidden', height: 'max(360px, calc(100vh - 330px))' }}>
      <DataGrid
        aria-label="Jobs"
        rows={rows}
        columns={columnDefs}
        columnVisibilityModel={HIDDEN[layout]}
        loading={loading}
        checkboxSelection
        disableRowSelectionOnClick
        hideFooterSelectedRowCount
        rowSelectionModel={selection}
        onRowSelectionModelChange={onSelectionChange}
        sortModel={sortModel}
        onSortModelChange={setSortModel}
        paginationModel={pagination}
        onPaginationModelChange={setPagination}
        pageSizeOptions={[25, 50, 100]}
        rowHeight={ROW_HEIGHT[layout]}
        columnHeaderHeight={44}
        getRowClassName={({ row }) => (row.job.running ? 'job-running' : '')}
        localeText={{
          noRowsLabel: 'No jobs',
          noResultsOverlayLabel: noMatch,
          actionsCellMore: 'More actions',
          checkboxSelectionHeaderName: 'Select',
          columnHeaderSortIconLabel: 'Sort',
        }}
        slotProps={{ loadingOverlay: { variant: 'skeleton', noRowsVariant: 'skeleton' } }}
        sx={{
          border: 0,
          '& .MuiDataGrid-cell': { display: 'flex', alignItems: 'center', py: 0.75 },
          '& .MuiDataGrid-cell > *': { minWidth: 0, width: '100%' },
          '& .MuiDataGrid-cell[data-field="actions"]': { px: 0.5, justifyContent: 'flex-end' },
          '& .MuiDataGrid-cell[data-field="actions"] > *': { width: 'auto' },
          '& .MuiDataGrid-columnHeaderTitle': { fontWeight: 600, color: 'text.secondary', fontSize: '0.8125rem' },
          '& .MuiDataGrid-cell:focus, & .MuiDataGrid-columnHeader:focus': { outlineOffset: -2 },
          // The last column's resize handle would stick out of the grid (a sideways scroll of a few pixels).
          '& .MuiDataGrid-columnHeader[data-field="actions"] .MuiDataGrid-columnSeparator': { display: 'none' },
        }}
      />
    </Paper>
  );
}
