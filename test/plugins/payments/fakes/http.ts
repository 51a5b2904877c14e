// A tiny loopback HTTP server for the fake gateways: port 0, raw bodies, and a switch that makes
// the next N requests commit and then lose their response (the socket is destroyed), and one that
// holds answers (the request is processed at once, its answer waits until release()): a gateway
// slower than its client's timeout.
import http from 'node:http';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface FakeAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

export interface FakeServer {
  url: string;
  port: number;
  /** The next n requests are processed, then their connection is dropped before the answer. */
  loseResponses(n: number, match?: (req: FakeRequest) => boolean): void;
  /** Requests that match are processed (committed) now; their answers wait until release(). */
  hold(match: (req: FakeRequest) => boolean): void;
  /** Sends every held answer (to a client that gave up, nobody) and stops holding. */
  release(): void;
  requests: FakeRequest[];
  close(): Promise<void>;
}

export async function startFakeServer(handle: (req: FakeRequest) => FakeAnswer | Promise<FakeAnswer>): Promise<FakeServer> {
  let lose = 0;
  let losing: (req: FakeRequest) => boolean = () => true;
  let holding: ((req: FakeRequest) => boolean) | null = null;
  const held: (() => void)[] = [];
  const requests: FakeRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://127.0.0.1');
      const fr: FakeRequest = { method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(fr);
      Promise.resolve(handle(fr)).then((a) => {
        if (lose > 0 && losing(fr)) {
          lose--;
          req.socket.destroy();
          return;
        }
        const send = () => {
          if (res.destroyed || res.writableEnded) return;
          res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
          res.end(a.body ?? '');
        };
        if (holding?.(fr)) held.push(send);
        else send();
      }, (err: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: String(err) } }));
      });
    });
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    loseResponses(n, match) {
      lose = n;
      losing = match ?? (() => true);
    },
    hold(match) {
      holding = match;
    },
    release() {
      holding = null;
      for (const send of held.splice(0)) send();
    },
    close: () => new Promise<void>((r) => {
      holding = null;
      held.length = 0;
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
