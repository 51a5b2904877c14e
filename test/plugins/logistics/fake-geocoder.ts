// A local fake geocoder on 127.0.0.1, port 0, answering both styles the plugin speaks:
// Nominatim `/nominatim/search?format=jsonv2...` (a list of {lat, lon} strings) and Google
// `/google/geocode/json?address=...&key=...` ({status, results}). Places are looked up by postcode.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGeocoder {
  url(path: string): string;
  /** Postcode -> point; a postcode not here is "no such place". */
  places: Map<string, { lat: number; lng: number }>;
  calls: URL[];
  /** Answer 500 (down), or after this many ms. */
  down: boolean;
  delayMs: number;
  close(): Promise<void>;
}

export async function startFakeGeocoder(): Promise<FakeGeocoder> {
  const fake = { places: new Map(), calls: [], down: false, delayMs: 0 } as unknown as FakeGeocoder;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    fake.calls.push(url);
    const answer = () => {
      if (res.destroyed) return;
      if (fake.down) {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"down"}');
        return;
      }
      if (url.pathname === '/nominatim/search') {
        const p = fake.places.get(url.searchParams.get('postalcode') ?? '');
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(p ? [{ place_id: 1, lat: String(p.lat), lon: String(p.lng), display_name: 'x' }] : []));
        return;
      }
      if (url.pathname === '/google/geocode/json') {
        if (url.searchParams.get('key') !== 'g-key') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'REQUEST_DENIED', results: [] }));
          return;
        }
        const postal = /postal_code:([^|]+)/.exec(url.searchParams.get('components') ?? '')?.[1] ?? '';
        const p = fake.places.get(postal);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(p ? { status: 'OK', results: [{ geometry: { location: { lat: p.lat, lng: p.lng } } }] } : { status: 'ZERO_RESULTS', results: [] }));
        return;
      }
      res.writeHead(404).end();
    };
    if (fake.delayMs) setTimeout(answer, fake.delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.url = (path: string) => `http://127.0.0.1:${port}${path}`;
  fake.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return fake;
}
