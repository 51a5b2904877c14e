// Turns bench/out/waf-twin-results.txt (bench/waf-twin.sh) into a table for bench/RESULTS.md:
// each round's two sides, measured at the same time, and filter on against off over the rounds.
import fs from 'node:fs';
import { readResults } from './results.js';

const [machineFile, resultsFile] = process.argv.slice(2);
const rows = readResults(resultsFile);
const on = rows.filter((r) => r.label.startsWith('on-'));
const off = rows.filter((r) => r.label.startsWith('off-'));
const num = (r: Record<string, string>, key: string) => Number(r[key]);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const lines = [fs.readFileSync(machineFile, 'utf8').trim().split('\n').map((l) => `- ${l}`).join('\n'), ''];
lines.push(
  '| round | filter on: req/s | p50 ms | p99 ms | CPU µs/request | filter off: req/s | p50 ms | p99 ms | CPU µs/request | on/off req/s | off/on CPU |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
);
const rps: number[] = [];
const cpu: number[] = [];
on.forEach((a, i) => {
  const b = off[i];
  const errors = num(a, 'errors') + num(a, 'non2xx') + num(b, 'errors') + num(b, 'non2xx');
  if (errors > 0) lines.push(`(round ${i + 1}: ${errors} errors or non-2xx answers)`);
  rps.push(num(a, 'rps') / num(b, 'rps'));
  cpu.push(num(b, 'app_cpu_us') / num(a, 'app_cpu_us'));
  const side = (r: Record<string, string>) => `${Math.round(num(r, 'rps')).toLocaleString('en')} | ${r.p50_ms} | ${r.p99_ms} | ${num(r, 'app_cpu_us').toFixed(1)}`;
  lines.push(`| ${i + 1} | ${side(a)} | ${side(b)} | ${pct(rps[i])} | ${pct(cpu[i])} |`);
});
const cpuOn = mean(on.map((r) => num(r, 'app_cpu_us')));
const cpuOff = mean(off.map((r) => num(r, 'app_cpu_us')));
const ratio = mean(on.map((r) => num(r, 'rps'))) / mean(off.map((r) => num(r, 'rps')));
lines.push(
  '',
  `Filter on / off over ${on.length} rounds measured at the same time: req/s ${pct(ratio)} of the means (median of rounds ${pct(median(rps))}); ` +
    `CPU per request ${cpuOn.toFixed(1)} vs ${cpuOff.toFixed(1)} µs (+${(cpuOn - cpuOff).toFixed(1)}), off / on ${pct(cpuOff / cpuOn)} (median of rounds ${pct(median(cpu))}). ` +
    `Target >= 90%: ${ratio >= 0.9 && cpuOff / cpuOn >= 0.9 ? 'met' : 'MISSED'}.`,
);
console.log(lines.join('\n'));
