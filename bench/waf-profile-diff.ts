// Compares two V8 CPU profiles (bench/waf-profile.sh) per request: each function's self time
// (samples x interval) in the last <seconds> of the profile (the measured run; boot and warm-up
// before it are left out), divided by the requests of that run.
//   node --import tsx bench/waf-profile-diff.ts <off-dir> <off-requests> <on-dir> <on-requests> <seconds>
import fs from 'node:fs';
import path from 'node:path';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface Profile { nodes: { id: number; callFrame: CallFrame }[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

const [offDir, offN, onDir, onN, seconds] = process.argv.slice(2);
if (!seconds) {
  console.error('usage: node --import tsx bench/waf-profile-diff.ts <off-dir> <off-requests> <on-dir> <on-requests> <seconds>');
  process.exit(2);
}

function nameOf(f: CallFrame): string {
  const file = f.url.replace(/^.*\/(dist|node_modules)\//, '').replace(/^file:\/\//, '');
  return `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
}

/** Self time per function, µs per request, over the profile's last `window` seconds. */
function perRequest(dir: string, requests: number, window: number): Map<string, number> {
  const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir} (did the app exit cleanly?)`);
  const p = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Profile;
  const names = new Map(p.nodes.map((n) => [n.id, nameOf(n.callFrame)]));
  const from = p.endTime - window * 1e6;
  const out = new Map<string, number>();
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i];
    const next = i + 1 < p.timeDeltas.length ? p.timeDeltas[i + 1] : 0;
    if (t < from) continue;
    const name = names.get(p.samples[i])!;
    out.set(name, (out.get(name) ?? 0) + next / requests);
  }
  return out;
}

const window = Number(seconds);
const off = perRequest(offDir, Number(offN), window);
const on = perRequest(onDir, Number(onN), window);
const busy = (m: Map<string, number>) => [...m].filter(([k]) => !k.startsWith('(idle)')).reduce((s, [, v]) => s + v, 0);
console.log(`requests: off ${offN}, on ${onN} in ${window} s; CPU µs per request (not idle): off ${busy(off).toFixed(1)}, on ${busy(on).toFixed(1)}`);
const rows = [...new Set([...off.keys(), ...on.keys()])].map((k) => ({ k, a: off.get(k) ?? 0, b: on.get(k) ?? 0 }));
const line = (r: { k: string; a: number; b: number }) => `${(r.b - r.a).toFixed(2).padStart(7)} ${r.a.toFixed(2).padStart(7)} ${r.b.toFixed(2).padStart(7)}  ${r.k}`;
console.log('\nlargest differences, µs per request:   on-off     off      on');
for (const r of rows.sort((x, y) => Math.abs(y.b - y.a) - Math.abs(x.b - x.a)).slice(0, 30)) console.log(line(r));
console.log('\nthe filter and the plugin host:');
for (const r of rows.filter((r) => /plugins\/waf\/|core\/plugins\//.test(r.k)).sort((x, y) => y.b - x.b)) if (r.b >= 0.01) console.log(line(r));
