import TableCell from '@mui/material/TableCell';
import Typography from '@mui/material/Typography';
import type { SessionDetail } from '../../../shared/domain/job.ts';
import { Dash } from '../../components/Dash.tsx';
import { type Column, DataRow, DataTable, NewBytes, NumberCell } from '../../components/DataTable.tsx';
import { ResultChip } from '../../components/ResultChip.tsx';
import { formatBytes, formatDuration } from '../../format/format.ts';

const TASK_COLUMNS: readonly Column[] = [
  { label: 'Workload', width: 130 },
  { label: 'Result', width: 112 },
  { label: 'Reason', minWidth: 140 },
  { label: 'Restore point', width: 104 },
  { label: 'Read', width: 84, align: 'right' },
  { label: 'New', width: 84, align: 'right' },
  { label: 'Duration', width: 84, align: 'right' },
];

export function TaskTable({ session, running }: { session: SessionDetail; running: boolean }) {
  return (
    <DataTable
      label="Tasks"
      columns={TASK_COLUMNS}
      minWidth={700}
      dense
      empty={
        session.tasks.length === 0
          ? running
            ? 'Each workload’s result is listed here when the run ends.'
            : 'No workload was processed: see the log below.'
          : null
      }
    >
      {session.tasks.map((task) => (
        <DataRow key={task.workload} top data-workload={task.workload}>
          <TableCell>
            <Typography variant="body2" sx={{ fontWeight: 600, overflowWrap: 'break-word' }}>
              {task.workload}
            </Typography>
          </TableCell>
          <TableCell>
            <ResultChip result={task.result} />
          </TableCell>
          <TableCell>
            <Typography variant="body2" sx={{ color: task.reason ? 'text.primary' : 'text.secondary', overflowWrap: 'anywhere' }}>
              {task.reason ?? '—'}
            </Typography>
          </TableCell>
          <TableCell>
            {task.pointId ? (
              <Typography variant="body2">{session.kind === 'backup-copy' ? 'Copied' : 'Made'}</Typography>
            ) : (
              <Dash />
            )}
          </TableCell>
          <NumberCell>{formatBytes(task.bytesRead)}</NumberCell>
          <NumberCell>
            <NewBytes bytes={task.bytesNew} stored={task.bytesStored} />
          </NumberCell>
          <NumberCell>{formatDuration(task.durationMs)}</NumberCell>
        </DataRow>
      ))}
    </DataTable>
  );
}

