// Switches the request filter on or off for the catalog benchmark's stores (bench/waf.sh).
//   node --import tsx bench/waf-toggle.ts on|off|cleanup <targets.tsv> ['{"rateLimits":{...}}']
// `on` installs the plugin if needed (its migration adds waf_events) and enables it with the
// given settings (default: the plugin's defaults); `off` disables it; `cleanup` uninstalls it and
// drops its table, leaving the benchmark database as the seed made it.
import fs from 'node:fs';
import { createRuntime } from '../core/server.js';
import { createSystemCtx, requireTenant } from '../core/context.js';
import { disablePlugin, enablePlugin, installPlugin, uninstallPlugin } from '../core/plugins/lifecycle.service.js';
import { hostOf } from '../core/plugins/host.js';

const [what, targetsFile, settingsJson] = process.argv.slice(2);
if (!['on', 'off', 'cleanup'].includes(what ?? '') || !targetsFile) {
  console.error('usage: node --import tsx bench/waf-toggle.ts on|off|cleanup <targets.tsv> [settings-json]');
  process.exit(2);
}

const rt = await createRuntime({ role: 'web', migrate: false });
try {
  const platform = createSystemCtx(rt.kernel, null, { actor: { type: 'system', name: 'bench' } });
  const installed = await hostOf(rt.kernel).state.installed();
  if (what === 'cleanup') {
    if (installed.has('waf')) await uninstallPlugin(platform, 'waf', true);
  } else {
    if (!installed.has('waf')) await installPlugin(platform, 'waf');
    const slugs = [...new Set(fs.readFileSync(targetsFile, 'utf8').split('\n').map((l) => l.split('\t')[0]).filter(Boolean))];
    const settings = settingsJson ? (JSON.parse(settingsJson) as Record<string, unknown>) : {};
    for (const slug of slugs) {
      const tenant = await rt.kernel.tenants.bySlug(slug);
      if (!tenant) throw new Error(`no store ${slug}: seed first`);
      const ctx = requireTenant(createSystemCtx(rt.kernel, tenant, { actor: { type: 'system', name: 'bench' } }));
      if (what === 'on') await enablePlugin(ctx, 'waf', settings);
      else await disablePlugin(ctx, 'waf').catch(() => undefined); // already off
    }
    console.log(`waf ${what} for ${slugs.length} stores${settingsJson ? ` with ${settingsJson}` : ''}`);
  }
} finally {
  await rt.close();
}
