// Requests made and answered in memory, without sockets, for the benchmarks that measure what the
// app's code costs apart from the network (bench/pipeline.ts).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

/** A socket that takes every write and throws it away; its peer is 127.0.0.1. */
export function sink(): Socket {
  const duplex = new Duplex({
    read() {},
    write(_chunk, _enc, done) {
      done();
    },
    writev(_chunks, done) {
      done();
    },
  });
  Object.defineProperty(duplex, 'remoteAddress', { value: '127.0.0.1' });
  return duplex as unknown as Socket;
}

/** Runs n requests (`make(i)`), `concurrency` at a time, through `handle`; the answers' statuses counted. */
export async function drive(handle: (req: IncomingMessage, res: ServerResponse) => void, n: number, make: (i: number) => IncomingMessage, concurrency = 50): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  let next = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const req = make(next++);
      const res = new ServerResponse(req);
      res.assignSocket(req.socket);
      // 'finish' never comes when the request stream closed first (a POST's body read to its end
      // closes the in-memory request): 'prefinish' (the answer ended) is the one sure signal.
      res.once('prefinish', () => {
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        setImmediate(() => {
          res.detachSocket(req.socket);
          resolve();
        });
      });
      handle(req, res);
    });
  const lane = async () => {
    while (next < n) await one();
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return statuses;
}

/** mariadbd's CPU so far (utime + stime, clock ticks of 1/100 s), from /proc; NaN where it cannot tell. */
export function mariadbTicks(): number {
  try {
    const pid = execFileSync('pgrep', ['-o', 'mariadbd']).toString().trim();
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(f[11]) + Number(f[12]); // utime + stime, clock ticks (1/100 s)
  } catch {
    return NaN;
  }
}
