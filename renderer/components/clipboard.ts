import { notify } from '../store/notifications.ts';

/** Puts text on the clipboard and says so; says what to do instead when the browser refuses. */
export async function copyText(text: string, what: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    notify(`${what} copied to the clipboard.`, 'success');
    return true;
  } catch {
    notify('Could not copy: the browser refused access to the clipboard. Select the text and copy it instead.', 'error');
    return false;
  }
}
