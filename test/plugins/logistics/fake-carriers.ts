// Local fakes of the two carrier APIs on 127.0.0.1, port 0: an EasyPost-shaped JSON API (what the
// official SDK calls) and a Cainiao-style signed form endpoint. They count what they were asked,
// can be made slow or down, and notice a client that gave up waiting.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyDigest } from '../../../plugins/logistics/carriers/cainiao.js';

export interface FakeCarriers {
  url(path: string): string;
  calls: { path: string; body: string; headers: http.IncomingHttpHeaders }[];
  /** Requests whose client went away before the answer. */
  aborted: string[];
  /** Milliseconds before answering, per API. */
  delay: { easypost: number; cainiao: number };
  down: { easypost: boolean; cainiao: boolean };
  /** Charges made: a repeated Idempotency-Key (EasyPost) or order code (Cainiao) is not charged again. */
  buys: number;
  waybills: number;
  /** The next N purchases are charged but answered with a 500 (the answer lost after the charge). */
  loseBuyAnswers: number;
  /** Tracking history the trackers (EasyPost) and trace queries (Cainiao) answer, per tracking number. */
  traces: Map<string, { status: string; status_detail?: string; datetime: string; message?: string }[]>;
  voided: string[];
  cainiaoSecret: string;
  close(): Promise<void>;
}

export async function startFakeCarriers(o: { cainiaoSecret: string }): Promise<FakeCarriers> {
  let n = 0;
  const fake = {
    calls: [], aborted: [], delay: { easypost: 0, cainiao: 0 }, down: { easypost: false, cainiao: false }, buys: 0, waybills: 0, loseBuyAnswers: 0, traces: new Map(), voided: [], cainiaoSecret: o.cainiaoSecret,
  } as unknown as FakeCarriers;
  const rates = (id: string) => [
    { id: `rate_${id}_g`, shipment_id: id, carrier: 'USPS', service: 'Ground', rate: '5.25', currency: 'USD', delivery_days: 5 },
    { id: `rate_${id}_p`, shipment_id: id, carrier: 'USPS', service: 'Priority', rate: '7.50', currency: 'USD', delivery_days: 2 },
  ];
  const byKey = new Map<string, unknown>();
  const shipmentKey = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '';
      fake.calls.push({ path, body, headers: req.headers });
      const api = path.startsWith('/cainiao') ? 'cainiao' : 'easypost';
      let done = false;
      res.on('close', () => {
        if (!done) fake.aborted.push(path);
      });
      const send = (status: number, out: unknown) => {
        if (res.destroyed) return;
        done = true;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(out));
      };
      setTimeout(() => {
        if (fake.down[api]) return send(503, { error: { code: 'DOWN', message: 'down' } });
        if (api === 'cainiao') {
          const form = new URLSearchParams(body);
          const content = form.get('logistics_interface') ?? '';
          if (!verifyDigest(content, form.get('data_digest') ?? '', fake.cainiaoSecret)) return send(200, { success: false, errorCode: 'S02', errorMsg: '验签或加密失败' });
          const msg = JSON.parse(content) as { orderCode?: string; mailNo?: string };
          switch (form.get('msg_type')) {
            case 'CN_RATE_QUERY':
              return send(200, { success: true, rates: [{ cpCode: 'YTO', service: 'economy', fee: 1800, currency: 'CNY', minDays: 7, maxDays: 12 }] });
            case 'TMS_WAYBILL_GET': {
              const key = `cn:${msg.orderCode}`;
              if (!byKey.has(key)) {
                fake.waybills++;
                byKey.set(key, { success: true, cpCode: 'YTO', waybillCode: `YT${String(++n).padStart(10, '0')}`, printUrl: `https://print.example/${msg.orderCode}` });
                if (fake.loseBuyAnswers > 0) {
                  fake.loseBuyAnswers--;
                  return send(500, { success: false, errorCode: 'S99', errorMsg: 'lost' });
                }
              }
              return send(200, byKey.get(key));
            }
            case 'TMS_WAYBILL_DISCARD':
              fake.voided.push((msg as { waybillCode: string }).waybillCode);
              return send(200, { success: true });
            case 'CN_TRACE_QUERY': {
              const t = fake.traces.get(msg.mailNo ?? '');
              return send(200, { success: true, traces: t ? t.map((x) => ({ action: x.status, time: x.datetime, desc: x.message })) : [{ action: 'SIGN', time: '2026-12-01T10:00:00Z', desc: 'signed' }] });
            }
            default:
              return send(200, { success: false, errorCode: 'S01', errorMsg: 'unknown msg_type' });
          }
        }
        if (!req.headers.authorization) return send(401, { error: { code: 'APIKEY.REQUIRED', message: 'no key' } });
        const buy = /^\/v2\/shipments\/([^/]+)\/buy$/.exec(path);
        const idem = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined;
        if (req.method === 'POST' && path === '/v2/shipments') {
          const id = (idem && shipmentKey.get(idem)) || `shp_${++n}`;
          if (idem) shipmentKey.set(idem, id);
          return send(201, { id, object: 'Shipment', rates: rates(id) });
        }
        if (req.method === 'POST' && buy) {
          const key = `ep:${idem ?? crypto.randomUUID()}`;
          if (!byKey.has(key)) {
            fake.buys++;
            const rateId = (JSON.parse(body) as { rate: { id: string } }).rate.id;
            const rate = rates(buy[1]).find((r) => r.id === rateId)!;
            byKey.set(key, { id: buy[1], object: 'Shipment', tracking_code: `EZ${buy[1]}`, postage_label: { label_url: `https://labels.example/${buy[1]}.png` }, tracker: { id: `trk_${buy[1]}`, public_url: `https://track.example/${buy[1]}` }, selected_rate: rate, rates: rates(buy[1]) });
            if (fake.loseBuyAnswers > 0) {
              fake.loseBuyAnswers--;
              return send(500, { error: { code: 'INTERNAL', message: 'lost after charging' } });
            }
          }
          return send(200, byKey.get(key));
        }
        if (req.method === 'POST' && /^\/v2\/shipments\/[^/]+\/refund$/.test(path)) {
          fake.voided.push(path.split('/')[3]);
          return send(200, { id: path.split('/')[3], object: 'Shipment', refund_status: 'submitted' });
        }
        if (req.method === 'POST' && path === '/v2/trackers') {
          const code = (JSON.parse(body) as { tracker: { tracking_code: string } }).tracker.tracking_code;
          const t = fake.traces.get(code);
          if (t) return send(200, { id: `trk_${code}`, object: 'Tracker', tracking_code: code, status: t.at(-1)?.status ?? 'unknown', tracking_details: t });
          return send(200, { id: 'trk_1', object: 'Tracker', status: 'in_transit', tracking_details: [{ status: 'pre_transit', datetime: '2026-12-01T08:00:00Z', message: 'label created' }, { status: 'in_transit', status_detail: 'arrived_at_facility', datetime: '2026-12-02T08:00:00Z', message: 'arrived', tracking_location: { city: 'Oakland' } }] });
        }
        return send(404, { error: { code: 'NOT_FOUND', message: path } });
      }, fake.delay[api]).unref();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  fake.url = (p: string) => `http://127.0.0.1:${port}${p}`;
  fake.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return fake;
}
