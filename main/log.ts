import { createWriteStream, mkdirSync, renameSync, statSync, type WriteStream } from 'node:fs';
import path from 'node:path';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const MAX_LOG_BYTES = 5 * 1024 * 1024;

/**
 * The main process log: every line goes to stdout/stderr and, once `attachFile` was
 * called, to `main.log` in the app's logs folder (rotated to main.old.log past 5 MiB at
 * start). The engine's output is forwarded here too, prefixed with [engine].
 */
export class MainLog implements Logger {
  private file: WriteStream | undefined;
  private filePath: string | undefined;

  constructor() {
    // A closed terminal or pipe must not crash the app through a log line (EPIPE).
    for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  }

  get path(): string | undefined {
    return this.filePath;
  }

  attachFile(logsDir: string): void {
    try {
      mkdirSync(logsDir, { recursive: true });
      const file = path.join(logsDir, 'main.log');
      try {
        if (statSync(file).size > MAX_LOG_BYTES) renameSync(file, path.join(logsDir, 'main.old.log'));
      } catch {
        // no log yet
      }
      const stream = createWriteStream(file, { flags: 'a', mode: 0o600 });
      stream.on('error', (error) => {
        process.stderr.write(`ferry: log file ${file} failed: ${error.message}\n`);
        this.file = undefined;
      });
      this.file = stream;
      this.filePath = file;
    } catch (error) {
      process.stderr.write(`ferry: cannot open a log file in ${logsDir}: ${(error as Error).message}\n`);
    }
  }

  info(message: string): void {
    this.write('info', message);
  }

  warn(message: string): void {
    this.write('warn', message);
  }

  error(message: string): void {
    this.write('error', message);
  }

  close(): void {
    this.file?.end();
    this.file = undefined;
  }

  private write(level: 'info' | 'warn' | 'error', message: string): void {
    const line = `${new Date().toISOString()} ${level.padEnd(5)} ${message}\n`;
    if (level === 'info') process.stdout.write(line);
    else process.stderr.write(line);
    this.file?.write(line);
  }
}
