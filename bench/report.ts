// Turns bench/out/results.txt (RESULT lines from run.sh) into the markdown table kept in
// bench/RESULTS.md, with the targets of issue 3 checked against the same run.
import fs from 'node:fs';
import { readResults } from './results.js';

const [machineFile, resultsFile] = process.argv.slice(2);
const rows = readResults(resultsFile);
const by = new Map(rows.map((r) => [r.label, r]));
const num = (label: string, key: string) => Number(by.get(label)?.[key] ?? NaN);

const WHAT: Record<string, string> = {
  'bare-koa': 'bare Koa JSON route (ceiling)',
  'list-cached': 'GET /store/v1/products?limit=20, cached (100 tenants, first pages)',
  'detail-cached': `GET /store/v1/products/:id, cached (${process.env.DETAIL_PER_STORE ?? 3} products a store, warmed first)`,
  'list-uncached': 'GET /store/v1/products?limit=20, uncached (first pages)',
  'list-uncached-cursor': 'GET /store/v1/products?limit=20&cursor=…, uncached (pages inside the list)',
  'detail-uncached': 'GET /store/v1/products/:id, uncached',
};

const lines = [fs.readFileSync(machineFile, 'utf8').trim().split('\n').map((l) => `- ${l}`).join('\n'), ''];
lines.push('| run | connections | req/s | p50 ms | p99 ms | errors/non-2xx |', '|---|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const round = /^(bare-koa|list-cached)-(\d+)$/.exec(r.label);
  const what = round ? `${WHAT[round[1]]}, round ${round[2]}` : WHAT[r.label] ?? r.label.replace(/^small-10-(\w+)-c\d+$/, 'store with 10 products, $1 page, uncached').replace(/^large-100k-(\w+)-c\d+$/, 'store with 100,000 products, $1 page, uncached');
  lines.push(`| ${what} | ${r.conns} | ${Math.round(Number(r.rps)).toLocaleString('en')} | ${r.p50_ms} | ${r.p99_ms} | ${r.errors}/${r.non2xx} |`);
}
// The ceiling and the cached list: every round (older result files have one run of each).
const runs = (name: string) => rows.filter((r) => r.label === name || (r.label.startsWith(`${name}-`) && /^\d+$/.test(r.label.slice(name.length + 1))));
const meanRps = (list: Record<string, string>[]) => list.reduce((sum, r) => sum + Number(r.rps), 0) / list.length;
const [bare, cached] = [runs('bare-koa'), runs('list-cached')];
const ratio = meanRps(cached) / meanRps(bare);
const pairs = cached.map((c, i) => `${((Number(c.rps) / Number(bare[i]?.rps)) * 100).toFixed(0)}%`);
const flat = (c: string) => num(`large-100k-first-c${c}`, 'p50_ms') / num(`small-10-first-c${c}`, 'p50_ms');
lines.push(
  '',
  'Targets (issue 3):',
  `- cached list >= 40% of bare Koa: ${(ratio * 100).toFixed(0)}% ${ratio >= 0.4 ? 'met' : 'MISSED'} ` +
    `(mean of ${cached.length} run${cached.length === 1 ? '' : 's'} each: ${Math.round(meanRps(cached)).toLocaleString('en')} / ${Math.round(meanRps(bare)).toLocaleString('en')} req/s; per round ${pairs.join(', ')})`,
  `- uncached list >= 1,000 req/s with p99 < 100 ms: first pages ${Math.round(num('list-uncached', 'rps'))} req/s p99 ${num('list-uncached', 'p99_ms')} ms, ` +
    `cursor pages ${Math.round(num('list-uncached-cursor', 'rps'))} req/s p99 ${num('list-uncached-cursor', 'p99_ms')} ms ` +
    (num('list-uncached', 'rps') >= 1000 && num('list-uncached', 'p99_ms') < 100 && num('list-uncached-cursor', 'rps') >= 1000 && num('list-uncached-cursor', 'p99_ms') < 100 ? 'met' : 'MISSED'),
  `- flat latency 10 -> 100,000 products (first page p50, large / small): ${flat('1').toFixed(2)}x alone, ${flat('50').toFixed(2)}x at 50 connections`,
);
console.log(lines.join('\n'));
