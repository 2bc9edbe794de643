import type { Catalog } from '../catalog/catalog.ts';

/** Where `ferry serve` listens unless told otherwise: a tab or bookmark of the console comes back to it. Below Linux's ephemeral range. */
export const DEFAULT_CONSOLE_PORT = 9470;
const PORT_SETTING = 'serve.port';

/**
 * The ports to try in turn: the one asked for alone (0: any free one); otherwise the one
 * this data folder's console used last, the default, then any free one.
 */
export function consolePorts(asked: number | undefined, remembered: number | undefined, defaultPort = DEFAULT_CONSOLE_PORT): number[] {
  if (asked !== undefined) return [asked];
  return [...new Set([remembered ?? defaultPort, defaultPort, 0])];
}

function rememberedPort(catalog: Catalog): number | undefined {
  const port = Number(catalog.getSetting(PORT_SETTING));
  return Number.isInteger(port) && port > 0 && port <= 65535 ? port : undefined;
}

/**
 * Starts the console on the first port of consolePorts that is free and remembers it in
 * the data folder's catalog (not a port 0 asked for: that one is for this start only). A
 * port asked for that is taken is an error naming it.
 */
export async function listenOnConsolePort<T extends { port: number }>(options: {
  catalog: Catalog;
  asked: number | undefined;
  start: (port: number) => Promise<T>;
  note: (message: string) => void;
  defaultPort?: number;
}): Promise<T> {
  const ports = consolePorts(options.asked, rememberedPort(options.catalog), options.defaultPort);
  for (const [index, port] of ports.entries()) {
    let served: T;
    try {
      served = await options.start(port);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      if (options.asked !== undefined) throw new Error(`Port ${port} is in use by another program: choose another with --port, or stop that program.`, { cause: error });
      if (index === ports.length - 1) throw error;
      continue;
    }
    if (index > 0) options.note(`port ${ports[0]} is in use by another program: the console listens on port ${served.port}, and keeps it from now on while it is free`);
    if (options.asked !== 0) options.catalog.setSetting(PORT_SETTING, String(served.port));
    return served;
  }
  throw new Error('No port to listen on.');
}
