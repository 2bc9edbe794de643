import Alert from '@mui/material/Alert';
import Snackbar from '@mui/material/Snackbar';
import { useEffect, useState } from 'react';
import { dismissNotice, type Notice, useNotifications } from '../store/notifications.ts';

/** The snackbar for short confirmations ("Repository “X” added"), one at a time. */
export function Notifier() {
  const next = useNotifications((s) => s.queue[0]);
  const [shown, setShown] = useState<Notice | undefined>(undefined);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    if (next && !shown) {
      setShown(next);
      setOpen(true);
    } else if (next && shown && next.id !== shown.id && open) {
      // A newer message waits: close the current one quickly.
      setOpen(false);
    }
  }, [next, shown, open]);

  return (
    <Snackbar
      key={shown?.id}
      open={open}
      autoHideDuration={5000}
      anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
      onClose={(_event, reason) => {
        if (reason !== 'clickaway') setOpen(false);
      }}
      slotProps={{
        transition: {
          onExited: () => {
            if (shown) dismissNotice(shown.id);
            setShown(undefined);
          },
        },
      }}
    >
      <Alert
        severity={shown?.severity ?? 'success'}
        variant="filled"
        onClose={() => setOpen(false)}
        sx={{ minWidth: 280, alignItems: 'center', boxShadow: 6 }}
      >
        {shown?.message}
      </Alert>
    </Snackbar>
  );
}
