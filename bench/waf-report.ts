// Turns bench/out/waf-results.txt (RESULT lines from bench/waf.sh) into the WAF table of
// bench/RESULTS.md: each run, then filter-on against filter-off over the rounds (mean, and the
// median of the on/off pairs), and CPU time per request.
import fs from 'node:fs';
import { readResults } from './results.js';

const [machineFile, resultsFile] = process.argv.slice(2);
const rows = readResults(resultsFile);

const WHAT = (label: string) =>
  ({
    'on-exact': 'filter on, every request counted in Redis (default limit 90/min), shoppers',
    'on-random': 'filter on, default settings, a new address on nearly every request',
    'off-random': 'filter off, a new address on nearly every request',
    'off-uncached': 'filter off, catalog cache off (every request reads MariaDB), shoppers',
    'on-uncached': 'filter on, catalog cache off, shoppers',
  })[label] ?? (label.startsWith('off') ? `filter off, shoppers (round ${label.slice(4)})` : `filter on, default settings, shoppers (round ${label.slice(3)})`);
const mean = (list: Record<string, string>[], key: string) => list.reduce((s, r) => s + Number(r[key]), 0) / list.length;

const lines = [fs.readFileSync(machineFile, 'utf8').trim().split('\n').map((l) => `- ${l}`).join('\n'), ''];
lines.push(
  '| run: GET /store/v1/products?limit=20, 50 stores with the filter on or 50 alike with it off (cached unless said) | req/s | p50 ms | p99 ms | errors/non-2xx | CPU µs/request: app | Redis | machine |',
  '|---|---:|---:|---:|---:|---:|---:|---:|',
);
const cpu = (v: string | undefined) => (v === undefined ? '–' : Number(v).toFixed(1));
for (const r of rows)
  lines.push(`| ${WHAT(r.label)} | ${Math.round(Number(r.rps)).toLocaleString('en')} | ${r.p50_ms} | ${r.p99_ms} | ${r.errors}/${r.non2xx} | ${cpu(r.app_cpu_us)} | ${cpu(r.redis_cpu_us)} | ${cpu(r.machine_cpu_us)} |`);
const off = rows.filter((r) => /^off-\d/.test(r.label));
const on = rows.filter((r) => /^on-\d/.test(r.label));
const exact = rows.find((r) => r.label === 'on-exact');
const ratio = mean(on, 'rps') / mean(off, 'rps');
lines.push(
  '',
  `Filter on / off (mean of ${on.length} rounds): ${Math.round(mean(on, 'rps')).toLocaleString('en')} / ${Math.round(mean(off, 'rps')).toLocaleString('en')} req/s = ${(ratio * 100).toFixed(1)}% ` +
    `(target >= 90%: ${ratio >= 0.9 ? 'met' : 'MISSED'}); p50 ${mean(on, 'p50_ms').toFixed(2)} vs ${mean(off, 'p50_ms').toFixed(2)} ms, p99 ${mean(on, 'p99_ms').toFixed(2)} vs ${mean(off, 'p99_ms').toFixed(2)} ms.`,
);
const pairs = on.map((r) => Number(r.rps) / Number(rows.find((x) => x.label === r.label.replace('on-', 'off-'))?.rps)).filter(Number.isFinite);
const sorted = [...pairs].sort((a, b) => a - b);
const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
// The spread: one pair's ratio moves by 8-14 points on a shared VM; the standard error says how far the mean of
// these pairs may be from the filter's true cost.
const pairMean = pairs.reduce((s, p) => s + p, 0) / pairs.length;
const stderr = pairs.length > 1 ? Math.sqrt(pairs.reduce((s, p) => s + (p - pairMean) ** 2, 0) / (pairs.length - 1) / pairs.length) : NaN;
lines.push(
  `Per pair of runs: ${pairs.map((p) => `${(p * 100).toFixed(0)}%`).join(', ')}; median ${(median * 100).toFixed(1)}%; ` +
    `mean pair ${(pairMean * 100).toFixed(1)}% +- ${(stderr * 100).toFixed(1)} (standard error), ${pairs.filter((p) => p < 0.9).length} of ${pairs.length} pairs under 90%.`,
);
if (on.every((r) => r.app_cpu_us !== undefined) && off.every((r) => r.app_cpu_us !== undefined)) {
  const [a, b] = [mean(on, 'app_cpu_us'), mean(off, 'app_cpu_us')];
  const [m, n] = [mean(on, 'machine_cpu_us'), mean(off, 'machine_cpu_us')];
  lines.push(`CPU per request, filter on vs off: app ${a.toFixed(1)} vs ${b.toFixed(1)} µs (+${(a - b).toFixed(1)}), whole machine ${m.toFixed(1)} vs ${n.toFixed(1)} µs (off / on = ${((n / m) * 100).toFixed(1)}%).`);
}
const rps = (label: string) => Number(rows.find((r) => r.label === label)?.rps ?? NaN);
if (exact) lines.push(`Every request counted in Redis: ${((Number(exact.rps) / mean(off, 'rps')) * 100).toFixed(1)}% of filter off.`);
if (rows.some((r) => r.label === 'on-uncached')) lines.push(`Uncached list: ${((rps('on-uncached') / rps('off-uncached')) * 100).toFixed(1)}% of filter off.`);
if (rows.some((r) => r.label === 'on-random')) lines.push(`A new address on nearly every request: ${((rps('on-random') / rps('off-random')) * 100).toFixed(1)}% of filter off for the same requests.`);
console.log(lines.join('\n'));
