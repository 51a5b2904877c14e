// `bazaar import:products <tenant-slug> <file>`: the bulk import with a progress bar on stderr
// and the report on stdout. Exit code 0 when every product was imported, 1 when some were not.
import fs from 'node:fs';
import path from 'node:path';
import type { Kernel } from '../../kernel.js';
import { createSystemCtx, requireTenant } from '../../context.js';
import { importProducts, type ImportFormat } from './product-import.js';

const FORMATS: Record<string, ImportFormat> = { '.csv': 'csv', '.jsonl': 'jsonl', '.ndjson': 'jsonl' };

/** A bar such as `[########............]  40%  400/1000 products  3 failed`, redrawn in place on a terminal. */
export function progressBar(stream: NodeJS.WriteStream, total: number): { update(done: number, failed: number): void; end(): void } {
  const width = 30;
  let lastDrawn = -1;
  const started = Date.now();
  return {
    update(done, failed) {
      const pct = total ? Math.floor((done / total) * 100) : 100;
      // Redraw on a terminal at most every percent; in a log, a line every 10%.
      if (stream.isTTY ? pct === lastDrawn && done !== total : Math.floor(pct / 10) === Math.floor(lastDrawn / 10) && done !== total) return;
      lastDrawn = pct;
      const filled = Math.round((pct / 100) * width);
      const rate = done / Math.max(0.001, (Date.now() - started) / 1000);
      const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}%  ${done}/${total} products  ${failed} failed  ${rate.toFixed(0)}/s`;
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
  const text = fs.readFileSync(file, 'utf8');
  const ctx = requireTenant(createSystemCtx(kernel, tenant, { actor: { type: 'system', name: 'cli-import' } }));
  let bar: ReturnType<typeof progressBar> | undefined;
  const report = await importProducts(ctx, text, format, (done, total, failed) => {
    bar ??= progressBar(process.stderr, total);
    bar.update(done, failed);
  });
  bar?.end();
  console.log(`${report.imported} of ${report.products} products imported into "${slug}"; ${report.failed} failed`);
  for (const e of report.errors) console.log(`  line ${e.line} ${e.pointer} ${e.code}: ${e.message}`);
  if (report.errorsTruncated) console.log('  (more errors not shown)');
  return report.failed ? 1 : 0;
}
