import { create } from 'zustand';

export interface Notice {
  id: number;
  message: string;
  severity: 'success' | 'info' | 'warning' | 'error';
}

interface NotificationsStore {
  /** Shown one at a time, oldest first. */
  queue: Notice[];
}

let nextId = 1;

export const useNotifications = create<NotificationsStore>()(() => ({ queue: [] }));

/** Shows a short message in the snackbar at the bottom of the window. */
export function notify(message: string, severity: Notice['severity'] = 'success'): void {
  useNotifications.setState((s) => ({ queue: [...s.queue, { id: nextId++, message, severity }] }));
}

export function dismissNotice(id: number): void {
  useNotifications.setState((s) => ({ queue: s.queue.filter((notice) => notice.id !== id) }));
}
