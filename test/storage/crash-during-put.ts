// Child process for the crash test: starts a put and dies (SIGKILL, no cleanup, no
// finally blocks) once the temporary file is complete, just before the rename.
// Usage: node crash-during-put.ts <root> <key> <size>
import { LocalFolderStore } from '../../app/storage/local-store.ts';

const [root, key, size] = process.argv.slice(2);
if (!root || !key || !size) throw new Error('usage: crash-during-put.ts <root> <key> <size>');
const store = new LocalFolderStore(root, {
  testHooks: {
    afterTempWrite: () => {
      process.kill(process.pid, 'SIGKILL');
    },
  },
});
await store.put(key, Buffer.alloc(Number(size), 0x6e));
// Reaching this line means the hook did not run: the parent sees a normal exit and fails.
