import HistoryOutlined from '@mui/icons-material/HistoryOutlined';
import ReceiptLongOutlined from '@mui/icons-material/ReceiptLongOutlined';
import { EmptyState } from '../components/EmptyState.tsx';
import { PageHeader } from '../components/PageHeader.tsx';

export function HistoryPage() {
  return (
    <>
      <PageHeader
        title="History"
        description="Every job run as a session, filterable by job and result."
      />
      <EmptyState icon={HistoryOutlined} badge={ReceiptLongOutlined} title="No sessions yet">
        Each time a job runs, its session is recorded here: the result of every workload, bytes read and
        transferred, timings, a transfer-rate chart and the full log.
      </EmptyState>
    </>
  );
}
