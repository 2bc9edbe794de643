import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';

export type SeenRequest = { method: string; path: string; query: URLSearchParams; bodyLength: number };
/** `cut`: announce the whole body, send only this many bytes, then drop the connection. */
export type Reply = { status: number; headers?: Record<string, string>; body?: string; cut?: number } | 'hang';

/**
 * A scripted HTTP server that speaks just enough S3 for one test: throttling, 5xx, a
 * server that accepts connections and never answers, a part that fails. Real sockets,
 * real SDK; only the server side is scripted.
 */
export async function startFakeS3(
  t: Pick<TestContext, 'after'>,
  answer: (request: SeenRequest) => Reply | Promise<Reply>,
): Promise<{ endpoint: string; seen: SeenRequest[] }> {
  const seen: SeenRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let bodyLength = 0;
    req.on('data', (chunk: Buffer) => (bodyLength += chunk.length));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const request = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, bodyLength };
      seen.push(request);
      const reply = await answer(request);
      if (reply === 'hang') return;
      const body = Buffer.from(reply.body ?? '');
      res.writeHead(reply.status, { 'content-type': 'application/xml', 'content-length': String(body.length), ...reply.headers });
      if (reply.cut === undefined) return res.end(body);
      res.write(body.subarray(0, reply.cut), () => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

export const s3ErrorXml = (code: string, message = code) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>fake</RequestId></Error>`;
