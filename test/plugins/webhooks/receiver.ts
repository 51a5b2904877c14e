// A real HTTP receiver for webhook tests: records every request and answers per path with a
// script the test sets (status codes in order, then the last one forever).
import http from 'node:http';

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Receiver {
  url: (path: string) => string;
  received: Received[];
  on(path: string, statuses: number[], opts?: { delayMs?: number; body?: string }): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const scripts = new Map<string, { statuses: number[]; delayMs: number; body: string }>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      const script = scripts.get(path) ?? { statuses: [200], delayMs: 0, body: 'ok' };
      const status = script.statuses.length > 1 ? script.statuses.shift()! : script.statuses[0];
      setTimeout(() => {
        res.statusCode = status;
        res.end(script.body);
      }, script.delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received,
    on(path, statuses, opts = {}) {
      scripts.set(path, { statuses: [...statuses], delayMs: opts.delayMs ?? 0, body: opts.body ?? `status ${statuses.join(',')}` });
    },
    close: () => new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
