// A restore thread (worker_threads): runs the write jobs the restore sends it and sends
// each result back with the job's bytes, for the restore to reuse.
import { parentPort, workerData } from 'node:worker_threads';
import { JobRunner, type RestoreThreadData, type WriteJob } from './write-job.ts';

const runner = new JobRunner(workerData as RestoreThreadData);
const port = parentPort!;
port.on('message', (job: WriteJob) => {
  const result = runner.run(job);
  port.postMessage(result, [result.bytes.buffer as ArrayBuffer]);
});
