// `bazaar import:products <tenant-slug> <file>`: the bulk import with a progress bar on stderr
// and the report on stdout. Exit code 0 when every product was imported, 1 when some were not.
// The file is stored as an import (it shows in the API's list, of any size) and this process
// runs its job; killed midway, a worker resumes it.
import fs from 'node:fs';
import path from 'node:path';
import type { Kernel } from '../../kernel.js';
import { createSystemCtx, requireTenant } from '../../context.js';
import type { ImportFormat } from './product-import.js';
import { getImport, storeImport } from './import.service.js';
import { runImportJob } from './import.job.js';

const FORMATS: Record<string, ImportFormat> = { '.csv': 'csv', '.jsonl': 'jsonl', '.ndjson': 'jsonl' };

/** A bar such as `[########............]  40%  400 products  3 failed  120/s`, redrawn in place on a terminal. */
export function progressBar(stream: NodeJS.WriteStream): { update(percent: number, products: number, failed: number): void; end(): void } {
  const width = 30;
  let lastDrawn = -1;
  const started = Date.now();
  return {
    update(pct, products, failed) {
      // Redraw on a terminal at most every percent; in a log, a line every 10%.
      if (stream.isTTY ? pct === lastDrawn && pct !== 100 : Math.floor(pct / 10) === Math.floor(lastDrawn / 10) && pct !== 100) return;
      if (pct === 100 && lastDrawn === 100) return;
      lastDrawn = pct;
      const filled = Math.round((pct / 100) * width);
      const rate = products / Math.max(0.001, (Date.now() - started) / 1000);
      const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}%  ${products} products  ${failed} failed  ${rate.toFixed(0)}/s`;
      stream.write(stream.isTTY ? `\r${line}` : `${line}\n`);
    },
    end() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}

export async function runProductImport(kernel: Kernel, slug: string, file: string): Promise<number> {
  const format = FORMATS[path.extname(file).toLowerCase()];
  if (!format) {
    console.error(`import:products reads .csv, .jsonl or .ndjson files (got ${file})`);
    return 2;
  }
  const tenant = await kernel.tenants.bySlug(slug);
  if (!tenant) {
    console.error(`no store with the slug "${slug}"`);
    return 2;
  }
  const ctx = requireTenant(createSystemCtx(kernel, tenant, { actor: { type: 'system', name: 'cli-import' } }));
  const stored = await storeImport(ctx, format, fs.createReadStream(file), Number.MAX_SAFE_INTEGER);
  const bar = progressBar(process.stderr);
  await runImportJob(kernel, { tenantId: tenant.id, importId: stored.id, requestId: ctx.requestId }, undefined, (v) => bar.update(v.percent, v.products, v.failed));
  bar.end();
  const report = await getImport(ctx, stored.id);
  console.log(`${report.imported} of ${report.products} products imported into "${slug}"; ${report.failed} failed (import ${report.id})`);
  for (const e of report.errors ?? []) console.log(`  line ${e.line} ${e.pointer} ${e.code}: ${e.message}`);
  if (report.errorsTruncated) console.log(`  (${report.errorCount - (report.errors?.length ?? 0)} more errors not shown)`);
  return report.failed ? 1 : 0;
}
