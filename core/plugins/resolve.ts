// Which plugins may boot together, and in which order: each needs a compatible core, its
// requirements present in compatible versions, and no requirement cycles. Failures name the plugins.
import semver from 'semver';
import { PluginBootError } from './manifest.js';
import type { FoundPlugin } from './discover.js';

export function orderPlugins(found: FoundPlugin[], coreVersion: string): FoundPlugin[] {
  const byName = new Map<string, FoundPlugin>();
  for (const p of found) {
    const twin = byName.get(p.def.name);
    if (twin) throw new PluginBootError(`plugin "${p.def.name}" is found twice: ${twin.origin} and ${p.origin}`);
    byName.set(p.def.name, p);
  }
  for (const p of found) {
    const { name, core } = p.def;
    if (!semver.satisfies(coreVersion, core, { includePrerelease: true })) {
      throw new PluginBootError(`plugin "${name}" (${p.origin}) needs core ${core}, but this is core ${coreVersion}`);
    }
    for (const [dep, range] of Object.entries(p.def.requires ?? {})) {
      const other = byName.get(dep);
      if (!other) throw new PluginBootError(`plugin "${name}" (${p.origin}) requires plugin "${dep}" (${range}), which is not present`);
      if (!semver.satisfies(other.def.version, range, { includePrerelease: true })) {
        throw new PluginBootError(`plugin "${name}" (${p.origin}) requires plugin "${dep}" ${range}, but "${dep}" is ${other.def.version} (${other.origin})`);
      }
      if ((p.def.scope ?? 'tenant') === 'platform' && (other.def.scope ?? 'tenant') === 'tenant') {
        throw new PluginBootError(`plugin "${name}" (${p.origin}) is platform-scoped and cannot require the tenant plugin "${dep}"`);
      }
    }
  }
  // Depth-first: requirements first; a name met again while still open closes a cycle.
  const ordered: FoundPlugin[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (p: FoundPlugin, trail: string[]) => {
    const s = state.get(p.def.name);
    if (s === 'done') return;
    if (s === 'open') {
      const cycle = [...trail.slice(trail.indexOf(p.def.name)), p.def.name];
      throw new PluginBootError(`plugin requirement cycle: ${cycle.join(' -> ')}`);
    }
    state.set(p.def.name, 'open');
    for (const dep of Object.keys(p.def.requires ?? {}).sort()) visit(byName.get(dep)!, [...trail, p.def.name]);
    state.set(p.def.name, 'done');
    ordered.push(p);
  };
  for (const p of [...found].sort((a, b) => a.def.name.localeCompare(b.def.name))) visit(p, []);
  return ordered;
}
