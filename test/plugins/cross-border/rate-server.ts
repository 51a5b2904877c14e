// A local stand-in for the ECB and Open Exchange Rates: serves the fixtures on 127.0.0.1, port 0.
// Tests change what it answers (another day, an error) to drive the plugin's rate job.
import http from 'node:http';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';

export const fixture = (name: string) => fs.readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

export function ecbXml(date: string, rates: Record<string, string> = {}): string {
  let xml = fixture('ecb-daily.xml').replace('__DATE__', date);
  for (const [code, rate] of Object.entries(rates)) xml = xml.replace(new RegExp(`currency='${code}' rate='[0-9.]+'`), `currency='${code}' rate='${rate}'`);
  return xml;
}

export interface RateServer {
  url(path: string): string;
  answer: { ecb: { status: number; body: string }; oxr: { status: number; body: string } };
  hits: string[];
  close(): Promise<void>;
}

export async function startRateServer(): Promise<RateServer> {
  const answer = { ecb: { status: 200, body: ecbXml(new Date().toISOString().slice(0, 10)) }, oxr: { status: 200, body: fixture('oxr-latest.json') } };
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    const a = req.url?.startsWith('/ecb') ? answer.ecb : req.url?.startsWith('/oxr') ? answer.oxr : { status: 404, body: 'no' };
    res.writeHead(a.status, { 'content-type': req.url?.startsWith('/ecb') ? 'text/xml' : 'application/json' });
    res.end(a.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (p) => `http://127.0.0.1:${port}${p}`,
    answer,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
