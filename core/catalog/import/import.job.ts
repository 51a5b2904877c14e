// The import job: reads the stored file a chunk at a time, in pieces small enough that the
// event loop never waits long (the web process may be this process), and saves each product
// in a transaction that also moves the import's checkpoint. So a job killed at any point
// resumes after the last product it saved: nothing is lost and nothing is imported twice.
// The job holds a lease on its import; a worker's scan requeues imports whose lease ran out.
import { StringDecoder } from 'node:string_decoder';
import type { Kernel } from '../../kernel.js';
import type { JobInfo } from '../../events/queue.js';
import { createSystemCtx, requireTenant, withTransaction, type TenantCtx } from '../../context.js';
import { scoped } from '../../db/model.js';
import { AppError } from '../../errors.js';
import { invalidateCatalog } from '../catalog.cache.js';
import { createProductRows } from '../product.service.js';
import { insertRows, table } from '../tables.js';
import { ProductImport, ProductImportChunk, ProductImportError } from './import.model.js';
import { productUnits, fromAppError, type ImportError, type Unit } from './product-import.js';
import { IMPORT_ATTEMPTS, IMPORT_QUEUE, MAX_IMPORT_ERRORS, discardImport, queueImport, viewOf, type ImportView } from './import.service.js';

/** A job that saves nothing for this long has lost its import to another worker. */
export const IMPORT_LEASE_MS = 60_000;
/** Text is parsed this many characters at a time, with a turn of the event loop in between. */
const PIECE_CHARS = 64 * 1024;
/** Failed products are recorded this many at a time. */
const FAILURES_PER_CHECKPOINT = 200;
/** An upload left unfinished (its request died) is removed after this long. */
const UPLOAD_ABANDONED_MS = 60 * 60 * 1000;

export interface ImportJob {
  tenantId: string;
  importId: string;
  requestId?: string;
}

/** Another runner moved the import on: this one stops without saving. */
class LeaseLost extends Error {}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function* readPieces(ctx: TenantCtx, importId: string, onChunk: (bytes: number) => void): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for (let seq = 0; ; seq++) {
    const row = (await table(ctx, ProductImportChunk).select('data').where({ import_id: importId, seq }).first()) as { data: Buffer | Uint8Array } | undefined;
    if (!row) break;
    const data = Buffer.isBuffer(row.data) ? row.data : Buffer.from(row.data);
    const text = decoder.write(data);
    for (let i = 0; i < text.length; i += PIECE_CHARS) {
      yield text.slice(i, i + PIECE_CHARS);
      await turn();
    }
    onChunk(data.length);
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

/** Claims the import (queued, or running with a lease that ran out); false if another runner has it or it is over. */
async function claim(ctx: TenantCtx, id: string): Promise<boolean> {
  const now = new Date();
  const claimed = await scoped(ctx, ProductImport)
    .findById(id)
    .where((q) => q.where('status', 'queued').orWhere((r) => r.where('status', 'running').where((l) => l.whereNull('lease_expires_at').orWhere('lease_expires_at', '<', now))))
    .patch({ status: 'running', leaseExpiresAt: new Date(now.getTime() + IMPORT_LEASE_MS).toISOString() });
  if (claimed) await scoped(ctx, ProductImport).findById(id).whereNull('started_at').patch({ startedAt: now.toISOString() });
  return claimed > 0;
}

/**
 * Runs one import to its end (or resumes it). `onProgress` is called after each product (the
 * CLI draws its bar with it); an error it throws stops the job as a crash would.
 */
export async function runImportJob(kernel: Kernel, job: ImportJob, info: JobInfo = { id: job.importId, attemptsMade: 0 }, onProgress?: (view: ImportView) => void): Promise<void> {
  const tenant = await kernel.tenants.byId(job.tenantId);
  if (!tenant) return;
  const ctx = requireTenant(createSystemCtx(kernel, tenant, { requestId: job.requestId, actor: { type: 'system', name: 'product-import' } }));
  if (!(await claim(ctx, job.importId))) return;
  const start = (await scoped(ctx, ProductImport).findById(job.importId))!;
  const state = { products: start.products, imported: start.imported, failed: start.failed, errorCount: start.errorCount, bytesRead: 0 };
  let skip = start.products;
  const failures: Unit[] = [];
  try {
    const pieces = readPieces(ctx, start.id, (n) => (state.bytesRead += n));
    for await (const unit of productUnits(ctx, pieces, start.format)) {
      // Products saved before a crash come out of the file again: skip them.
      if (skip > 0) {
        skip--;
        continue;
      }
      if (unit.input && !unit.errors.length) {
        await flushFailures(ctx, start.id, state, failures);
        await saveProduct(ctx, start.id, unit, state);
      } else {
        failures.push(unit);
      }
      if (failures.length >= FAILURES_PER_CHECKPOINT) await flushFailures(ctx, start.id, state, failures);
      onProgress?.(viewOf(Object.assign(start, state)));
    }
    await flushFailures(ctx, start.id, state, failures);
    await scoped(ctx, ProductImport)
      .findById(start.id)
      .patch({ status: 'done', bytesRead: start.bytes, leaseExpiresAt: null, finishedAt: new Date().toISOString() });
    await scoped(ctx, ProductImportChunk).where('import_id', start.id).delete();
    if (state.imported) await invalidateCatalog(ctx);
    onProgress?.(viewOf((await scoped(ctx, ProductImport).findById(start.id))!));
    ctx.log.info({ importId: start.id, products: state.products, imported: state.imported, failed: state.failed }, 'product import done');
  } catch (err) {
    if (err instanceof LeaseLost) return;
    if (state.imported) await invalidateCatalog(ctx).catch(() => undefined);
    const last = info.attemptsMade + 1 >= IMPORT_ATTEMPTS;
    ctx.log.warn({ err, importId: start.id, attempt: info.attemptsMade + 1, last }, last ? 'product import failed for good' : 'product import interrupted; it resumes where it stopped');
    await scoped(ctx, ProductImport)
      .findById(start.id)
      .patch(last ? { status: 'failed', leaseExpiresAt: null, failure: 'The import stopped on an internal error; the products saved so far are kept', finishedAt: new Date().toISOString() } : { leaseExpiresAt: null })
      .catch(() => undefined);
    if (last) await scoped(ctx, ProductImportChunk).where('import_id', start.id).delete().catch(() => undefined);
    throw err;
  }
}

interface Progress {
  products: number;
  imported: number;
  failed: number;
  errorCount: number;
  bytesRead: number;
}

/** Saves one product and the checkpoint together; a product that fails is recorded as failed instead. */
async function saveProduct(ctx: TenantCtx, importId: string, unit: Unit, state: Progress): Promise<void> {
  try {
    await withTransaction(ctx, async (trx) => {
      await createProductRows(trx, unit.input!);
      await checkpoint(trx, importId, state, 1, 0, []);
    });
    return;
  } catch (err) {
    if (err instanceof LeaseLost) throw err;
    if (!(err instanceof AppError) || err.status >= 500) ctx.log.error({ err, line: unit.line }, 'import of a product failed');
    unit.errors.push(...fromAppError(err, unit));
  }
  const failures = [unit];
  await flushFailures(ctx, importId, state, failures);
}

/** Records failed products in one checkpoint (a file of bad rows costs one write per batch, not per row). */
async function flushFailures(ctx: TenantCtx, importId: string, state: Progress, failures: Unit[]): Promise<void> {
  if (!failures.length) return;
  const errors = failures.flatMap((u) => u.errors);
  await withTransaction(ctx, (trx) => checkpoint(trx, importId, state, 0, failures.length, errors));
  failures.length = 0;
}

/** Moves the checkpoint on by the products just done; only if no other runner moved it meanwhile. */
async function checkpoint(ctx: TenantCtx, importId: string, state: Progress, imported: number, failed: number, errors: ImportError[]): Promise<void> {
  const next = {
    products: state.products + imported + failed,
    imported: state.imported + imported,
    failed: state.failed + failed,
    errorCount: state.errorCount + errors.length,
    bytesRead: state.bytesRead,
  };
  const moved = await scoped(ctx, ProductImport)
    .findById(importId)
    .where('products', state.products)
    .patch({ ...next, leaseExpiresAt: new Date(Date.now() + IMPORT_LEASE_MS).toISOString() });
  if (!moved) throw new LeaseLost();
  const room = Math.max(0, MAX_IMPORT_ERRORS - state.errorCount);
  const kept = errors.slice(0, room).map((e, i) => ({
    import_id: importId, seq: state.errorCount + i, line: e.line, pointer: e.pointer.slice(0, 300), code: e.code.slice(0, 64), message: e.message.slice(0, 1000),
  }));
  await insertRows(ctx, ProductImportError, kept, 100);
  Object.assign(state, next);
}

/**
 * Queues every import that should be running and is not: queued ones the queue never took
 * (Redis was down at upload), and running ones whose job died (its lease ran out; the in-process
 * queue forgets its jobs on a restart). Removes uploads abandoned mid-way.
 */
export async function requeueImports(kernel: Kernel): Promise<number> {
  let queued = 0;
  const now = Date.now();
  for (const db of kernel.pool.all()) {
    const rows = (await db('product_imports')
      .select('tenant_id', 'id', 'status', 'created_at')
      .where((q) => q.whereIn('status', ['queued', 'uploading']).orWhere((r) => r.where('status', 'running').where((l) => l.whereNull('lease_expires_at').orWhere('lease_expires_at', '<', new Date(now)))))
      .limit(500)) as { tenant_id: string; id: string; status: string; created_at: unknown }[];
    for (const row of rows) {
      const tenant = await kernel.tenants.byId(row.tenant_id);
      if (!tenant) continue;
      const ctx = requireTenant(createSystemCtx(kernel, tenant, { actor: { type: 'system', name: 'product-import' } }));
      if (row.status === 'uploading') {
        const created = new Date(typeof row.created_at === 'number' ? row.created_at : String(row.created_at)).getTime();
        if (now - created > UPLOAD_ABANDONED_MS) await discardImport(ctx, row.id);
        continue;
      }
      // A fresh job id per lease period: the first job of a running import may be over in the queue's eyes.
      await queueImport(ctx, row.id, row.status === 'queued' ? row.id : `${row.id}:${Math.floor(now / IMPORT_LEASE_MS)}`);
      queued++;
    }
  }
  return queued;
}

/** Worker side: consume the import queue, and scan for imports to (re)start now and then. */
export function processImports(kernel: Kernel, scanEveryMs = 15_000): void {
  kernel.queue.process(IMPORT_QUEUE, 1, (data, info) => runImportJob(kernel, data as unknown as ImportJob, info));
  const scan = () => requeueImports(kernel).catch((err: Error) => kernel.log.debug({ err: err.message }, 'import scan failed'));
  setTimeout(scan, 1000).unref();
  setInterval(scan, scanEveryMs).unref();
}
