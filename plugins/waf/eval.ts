/**
 * Replays a corpus through the WAF engine and prints detection / false-positive rates and
 * timings.
 *
 *   tsx plugins/waf/eval.ts <file.jsonl[.gz] | values.txt> [--paranoia N] [--threshold N] [--show N]
 *
 * JSONL lines are `{category, expect: 'attack'|'benign', payload, placement?, request?}`. With
 * `request` ({method, path, headers, query, cookies, body, rawBody}; `path` may carry a query
 * string and a string `body` is taken as the raw body) the full request is inspected. Otherwise
 * `placement` says where the payload goes: `query-string` is the whole query string of a
 * storefront GET; `json-body`, `xml-body`, `yaml-body` (any `<type>-body`) the whole raw body of a
 * POST with that content type; none (or `value`) is the `q` query parameter of an ordinary
 * storefront GET. A `.txt` file is one benign value per line; every false positive is listed.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { configureValueCache, inspectRequest, inspectValue, parseQueryString } from './engine/index.js';
import type { InspectableRequest, Match, ParanoiaLevel, Policy } from './engine/index.js';

interface Entry {
  category: string;
  expect: 'attack' | 'benign';
  payload: string;
  /** Where the payload goes when there is no `request` (see the top of this file). */
  placement?: string;
  request?: Partial<InspectableRequest>;
}

interface Options {
  file: string;
  paranoia: ParanoiaLevel;
  threshold: number;
  show: number;
  /** For .txt input: whether the lines are benign values (default) or attacks. */
  txtExpect: Entry['expect'];
  txtCategory: string;
}

function exitWithUsage(): never {
  process.stderr.write('usage: tsx plugins/waf/eval.ts <file.jsonl[.gz]|values.txt> [--paranoia 1-4] [--threshold N] [--show N] [--attack CATEGORY]\n');
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  let file: string | undefined;
  let paranoia: ParanoiaLevel = 1;
  let threshold = 5;
  let show = 10;
  let txtExpect: Entry['expect'] = 'benign';
  let txtCategory = 'benign-values';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--paranoia') {
      const n = Number(argv[++i]);
      if (n !== 1 && n !== 2 && n !== 3 && n !== 4) exitWithUsage();
      paranoia = n;
    } else if (a === '--threshold') {
      threshold = Number(argv[++i]);
      if (!Number.isFinite(threshold)) exitWithUsage();
    } else if (a === '--show') {
      show = Number(argv[++i]);
    } else if (a === '--attack') {
      // Treat a .txt file as a list of attacks of this category.
      txtExpect = 'attack';
      txtCategory = argv[++i] ?? 'attack';
    } else if (a.startsWith('--')) {
      exitWithUsage();
    } else {
      file = a;
    }
  }
  if (file === undefined) exitWithUsage();
  return { file, paranoia, threshold, show, txtExpect, txtCategory };
}

function readText(file: string): string {
  const buf = readFileSync(file);
  return file.endsWith('.gz') ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
}

function loadEntries(opts: Options): Entry[] {
  const file = opts.file;
  const text = readText(file);
  const plain = file.replace(/\.gz$/, '');
  if (plain.endsWith('.txt')) {
    return text.split(/\r?\n/).filter((l) => l.length > 0).map((payload) => ({ category: opts.txtCategory, expect: opts.txtExpect, payload }));
  }
  const entries: Entry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const d = JSON.parse(line) as Partial<Entry>;
    if (typeof d.payload !== 'string' && d.request === undefined) continue;
    entries.push({
      category: String(d.category ?? 'unknown'),
      expect: d.expect === 'benign' ? 'benign' : 'attack',
      payload: d.payload ?? '',
      placement: typeof d.placement === 'string' ? d.placement : undefined,
      request: d.request,
    });
  }
  return entries;
}

const BROWSER_HEADERS = {
  host: 'shop.example.com',
  'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'accept-language': 'en-GB,en;q=0.9',
  'accept-encoding': 'gzip, deflate, br',
  connection: 'keep-alive',
  referer: 'https://shop.example.com/',
  'sec-fetch-site': 'same-origin',
  'sec-fetch-mode': 'navigate',
  'upgrade-insecure-requests': '1',
};

/** Content types of whole-body placements (`xml-body` -> application/xml). */
const BODY_TYPES: Record<string, string> = {
  json: 'application/json',
  xml: 'application/xml',
  yaml: 'application/x-yaml',
  form: 'application/x-www-form-urlencoded',
};

/**
 * A full request from the corpus. `path` may carry its query string (`/search?q=...`); a string
 * `body` is the raw body, parsed by the engine according to its content-type.
 */
function buildRequest(entry: Entry): InspectableRequest {
  if (entry.request !== undefined) {
    const r = entry.request;
    const [path, qs] = (r.path ?? '/').split(/\?(.*)/s, 2);
    const rawBody = r.rawBody ?? (typeof r.body === 'string' ? r.body : undefined);
    return {
      method: r.method ?? 'GET',
      path: path || '/',
      query: r.query ?? (qs ? parseQueryString(qs) : {}),
      headers: r.headers ?? { host: 'shop.example.com' },
      cookies: r.cookies,
      body: typeof r.body === 'string' ? undefined : r.body,
      rawBody,
    };
  }
  const placement = entry.placement ?? 'value';
  if (placement === 'value') return { method: 'GET', path: '/search', query: { q: entry.payload }, headers: BROWSER_HEADERS };
  // The filter reads a query string from its raw text, as the middleware does.
  if (placement === 'query-string') return { method: 'GET', path: '/search', query: parseQueryString(entry.payload), headers: BROWSER_HEADERS };
  const body = /^(\w+)-body$/.exec(placement);
  if (body !== null) {
    const type = BODY_TYPES[body[1]] ?? `application/${body[1]}`;
    return { method: 'POST', path: '/store/v1/carts', query: {}, headers: { ...BROWSER_HEADERS, 'content-type': type }, rawBody: entry.payload };
  }
  throw new Error(`unknown placement ${JSON.stringify(placement)}`);
}

function readClockNs(): bigint {
  return process.hrtime.bigint();
}

function computePercentile(sortedUs: number[], p: number): number {
  if (sortedUs.length === 0) return 0;
  const idx = Math.min(sortedUs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedUs.length) - 1));
  return sortedUs[idx];
}

function formatMicros(n: number): string {
  return n.toFixed(1).padStart(8);
}

interface CategoryStats {
  expect: Entry['expect'];
  total: number;
  flagged: number;
  examples: string[];
  rules: Map<string, number>;
}

/** A typical storefront GET: a few query parameters and browser headers. */
function buildStorefrontRequest(i: number): InspectableRequest {
  return {
    method: 'GET',
    path: '/products',
    query: { category: 'shoes', size: String(36 + (i % 10)), color: 'black', sort: 'price_asc', page: String(1 + (i % 5)) },
    headers: { ...BROWSER_HEADERS, cookie: `session=abc${i % 97}def; cart=3` },
  };
}

function benchmarkStorefront(policy: Policy, iterations: number): number[] {
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const req = buildStorefrontRequest(i);
    const t0 = readClockNs();
    inspectRequest(req, policy);
    samples.push(Number(readClockNs() - t0) / 1000);
  }
  return samples.sort((a, b) => a - b);
}

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const entries = loadEntries(opts);
  const policy: Policy = { paranoia: opts.paranoia, threshold: opts.threshold, exclusions: [] };

  // Timings below are for real work: the value memo is off while the corpus is replayed.
  configureValueCache(0);
  // Warm the JIT so the first thousand entries do not dominate the percentiles.
  for (let i = 0; i < Math.min(2000, entries.length); i++) inspectValue(entries[i].payload, { paranoia: opts.paranoia });
  benchmarkStorefront(policy, 2000);

  const stats = new Map<string, CategoryStats>();
  const valueTimes: number[] = [];
  const requestTimes: number[] = [];
  const falsePositives: Array<[string, Match[]]> = [];
  for (const entry of entries) {
    const key = `${entry.category}/${entry.expect}`;
    let s = stats.get(key);
    if (s === undefined) {
      s = { expect: entry.expect, total: 0, flagged: 0, examples: [], rules: new Map() };
      stats.set(key, s);
    }
    const t0 = readClockNs();
    inspectValue(entry.payload, { paranoia: opts.paranoia });
    const t1 = readClockNs();
    const result = inspectRequest(buildRequest(entry), policy);
    const t2 = readClockNs();
    valueTimes.push(Number(t1 - t0) / 1000);
    requestTimes.push(Number(t2 - t1) / 1000);
    s.total += 1;
    if (result.blocked) {
      s.flagged += 1;
      for (const m of result.matches) s.rules.set(m.ruleId, (s.rules.get(m.ruleId) ?? 0) + 1);
      if (entry.expect === 'benign') falsePositives.push([entry.payload, result.matches]);
    } else if (entry.expect === 'attack' && (s.examples.length < opts.show || opts.show < 0)) {
      s.examples.push(entry.payload);
    }
  }

  const out: string[] = [];
  const fullRequests = entries.filter((e) => e.request !== undefined).length;
  const placed = entries.filter((e) => e.request === undefined && e.placement !== undefined && e.placement !== 'value').length;
  out.push(`corpus: ${opts.file}  entries: ${entries.length} (${fullRequests} full requests, ${placed} whole bodies or query strings, ${entries.length - fullRequests - placed} values sent as ?q=)  paranoia: ${opts.paranoia}  threshold: ${opts.threshold}`);
  out.push('');
  out.push('category              expect    total  flagged      rate');
  out.push('--------------------  -------  ------  -------  --------');
  let benignTotal = 0;
  let benignFlagged = 0;
  for (const [key, s] of [...stats.entries()].sort()) {
    const rate = s.total === 0 ? 0 : (100 * s.flagged) / s.total;
    const label = s.expect === 'attack' ? 'detect' : 'FP';
    out.push(`${key.split('/')[0].padEnd(20)}  ${s.expect.padEnd(7)}  ${String(s.total).padStart(6)}  ${String(s.flagged).padStart(7)}  ${rate.toFixed(2).padStart(6)}% ${label}`);
    if (s.expect === 'benign') {
      benignTotal += s.total;
      benignFlagged += s.flagged;
    }
  }
  if (benignTotal > 0) out.push(`${'all benign'.padEnd(20)}  ${'benign'.padEnd(7)}  ${String(benignTotal).padStart(6)}  ${String(benignFlagged).padStart(7)}  ${((100 * benignFlagged) / benignTotal).toFixed(2).padStart(6)}% FP`);

  valueTimes.sort((a, b) => a - b);
  requestTimes.sort((a, b) => a - b);
  const storefront = benchmarkStorefront(policy, 20000);
  configureValueCache(2048);
  benchmarkStorefront(policy, 2000);
  const storefrontWarm = benchmarkStorefront(policy, 20000);
  out.push('');
  out.push('timing (µs)                        median       p99       max');
  out.push(`inspectValue per corpus value    ${formatMicros(computePercentile(valueTimes, 50))}  ${formatMicros(computePercentile(valueTimes, 99))}  ${formatMicros(valueTimes[valueTimes.length - 1] ?? 0)}`);
  out.push(`inspectRequest per corpus entry  ${formatMicros(computePercentile(requestTimes, 50))}  ${formatMicros(computePercentile(requestTimes, 99))}  ${formatMicros(requestTimes[requestTimes.length - 1] ?? 0)}`);
  out.push(`inspectRequest, storefront GET   ${formatMicros(computePercentile(storefront, 50))}  ${formatMicros(computePercentile(storefront, 99))}  ${formatMicros(storefront[storefront.length - 1] ?? 0)}   (memo off)`);
  out.push(`inspectRequest, storefront GET   ${formatMicros(computePercentile(storefrontWarm, 50))}  ${formatMicros(computePercentile(storefrontWarm, 99))}  ${formatMicros(storefrontWarm[storefrontWarm.length - 1] ?? 0)}   (memo on)`);

  for (const [key, s] of [...stats.entries()].sort()) {
    if (s.expect === 'attack' && s.examples.length > 0 && opts.show !== 0) {
      out.push('');
      out.push(`missed ${key.split("/")[0]} (${opts.show < 0 ? "all" : "first"} ${s.examples.length}):`);
      for (const e of s.examples) out.push('  ' + JSON.stringify(e).slice(0, opts.show < 0 ? 400 : 160));
    }
  }
  if (falsePositives.length > 0) {
    out.push('');
    out.push(`false positives (${falsePositives.length}):`);
    for (const [payload, matches] of falsePositives) {
      out.push(`  ${JSON.stringify(payload).slice(0, 140)}  <- ${[...new Set(matches.map((m) => m.ruleId))].join(', ')}`);
    }
  }
  process.stdout.write(out.join('\n') + '\n');
  configureValueCache(2048);
}

main();
