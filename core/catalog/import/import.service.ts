// Product imports as jobs: the upload is stored (chunks in the database, so any worker can read
// it and a crash loses nothing) and queued; the job (import.job.ts) reads it as a stream.
// The API shows each import's progress and the errors of its rows.
import type { TenantCtx } from '../../context.js';
import { AppError, ConflictError, NotFoundError } from '../../errors.js';
import { scoped } from '../../db/model.js';
import { pageByIdDesc } from '../../http/pagination.js';
import { ProductImport, ProductImportChunk, ProductImportError } from './import.model.js';
import type { ImportError, ImportFormat } from './product-import.js';

export const IMPORT_QUEUE = 'catalog.import';
/** The largest file an import takes (the API's limit; the CLI reads files of any size). */
export const IMPORT_LIMIT_BYTES = 50 * 1024 * 1024;
/** A stored file is cut in pieces of this size (well under MariaDB's max_allowed_packet). */
export const CHUNK_BYTES = 1024 * 1024;
/** How many imports a store may have waiting or running at once. */
export const MAX_OPEN_IMPORTS = 3;
/** An import reports at most this many row errors (the counts cover all of them). */
export const MAX_IMPORT_ERRORS = 1000;
export const IMPORT_ATTEMPTS = 5;

export interface ImportView {
  id: string;
  status: ProductImport['status'];
  format: ImportFormat;
  bytes: number;
  bytesRead: number;
  /** 0-100, by bytes read. */
  percent: number;
  products: number;
  imported: number;
  failed: number;
  errorCount: number;
  errorsTruncated: boolean;
  failure: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  errors?: ImportError[];
}

export function viewOf(row: ProductImport): ImportView {
  const bytes = Number(row.bytes);
  const bytesRead = Number(row.bytesRead);
  return {
    id: row.id,
    status: row.status,
    format: row.format,
    bytes,
    bytesRead,
    percent: row.status === 'done' ? 100 : bytes ? Math.min(99, Math.floor((bytesRead / bytes) * 100)) : 0,
    products: row.products,
    imported: row.imported,
    failed: row.failed,
    errorCount: row.errorCount,
    errorsTruncated: row.errorCount > MAX_IMPORT_ERRORS,
    failure: row.failure,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

const actorName = (ctx: TenantCtx): string => {
  const a = ctx.actor;
  return 'id' in a ? `${a.type}:${a.id}` : a.type === 'system' ? `system:${a.name}` : a.type;
};

/**
 * Stores an uploaded file for an import, a chunk at a time as it arrives, and leaves it
 * `queued`; the caller queues the job (queueImport). More than `limitBytes`: 413, nothing kept.
 */
export async function storeImport(ctx: TenantCtx, format: ImportFormat, body: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, limitBytes = IMPORT_LIMIT_BYTES): Promise<ProductImport> {
  const open = await scoped(ctx, ProductImport).whereIn('status', ['uploading', 'queued', 'running']).resultSize();
  if (open >= MAX_OPEN_IMPORTS) {
    throw new ConflictError('IMPORTS_IN_PROGRESS', `A store runs at most ${MAX_OPEN_IMPORTS} imports at once; wait for one to finish`, { params: { max: MAX_OPEN_IMPORTS } });
  }
  const row = await scoped(ctx, ProductImport).insert({ status: 'uploading', format, actor: actorName(ctx).slice(0, 80) });
  let seq = 0;
  let size = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const write = async (data: Buffer) => {
    await scoped(ctx, ProductImportChunk).insert({ importId: row.id, seq: seq++, data });
  };
  try {
    for await (const part of body) {
      const chunk = typeof part === 'string' ? Buffer.from(part) : part;
      size += chunk.length;
      if (size > limitBytes) {
        throw new AppError(413, 'PAYLOAD_TOO_LARGE', `An import is at most ${limitBytes / 1024 / 1024} MB; use the CLI (bazaar import:products) for larger files`);
      }
      pending.push(chunk);
      pendingBytes += chunk.length;
      while (pendingBytes >= CHUNK_BYTES) {
        const all = Buffer.concat(pending);
        await write(all.subarray(0, CHUNK_BYTES));
        pending = [all.subarray(CHUNK_BYTES)];
        pendingBytes = pending[0].length;
      }
    }
    if (pendingBytes) await write(Buffer.concat(pending));
    await scoped(ctx, ProductImport).findById(row.id).patch({ status: 'queued', bytes: size });
  } catch (err) {
    await discardImport(ctx, row.id).catch((e: unknown) => ctx.log.warn({ err: e, importId: row.id }, 'an unfinished upload was not removed'));
    throw err;
  }
  return (await scoped(ctx, ProductImport).findById(row.id))!;
}

/** Queues the job of a stored import. If the queue cannot take it now, the worker's scan will. */
export async function queueImport(ctx: TenantCtx, id: string, jobId = id): Promise<void> {
  try {
    await ctx.kernel.queue.add(IMPORT_QUEUE, { tenantId: ctx.tenant.id, importId: id, requestId: ctx.requestId }, { jobId, attempts: IMPORT_ATTEMPTS, backoffMs: 2000 });
  } catch (err) {
    ctx.log.warn({ err, importId: id }, 'import not queued now; the worker picks it up on its next scan');
  }
}

export async function discardImport(ctx: TenantCtx, id: string): Promise<void> {
  await scoped(ctx, ProductImportChunk).where('import_id', id).delete();
  await scoped(ctx, ProductImportError).where('import_id', id).delete();
  await scoped(ctx, ProductImport).findById(id).delete();
}

export async function listImports(ctx: TenantCtx, query: { limit: number; cursor?: string }): Promise<{ items: ImportView[]; nextCursor: string | null }> {
  const page = await pageByIdDesc(scoped(ctx, ProductImport).whereNot('status', 'uploading'), 'id', query.limit, query.cursor);
  return { items: page.items.map(viewOf), nextCursor: page.nextCursor };
}

/** One import with its progress and the errors reported so far (at most MAX_IMPORT_ERRORS). */
export async function getImport(ctx: TenantCtx, id: string): Promise<ImportView> {
  const row = await scoped(ctx, ProductImport).findById(id).whereNot('status', 'uploading');
  if (!row) throw new NotFoundError('IMPORT_NOT_FOUND', 'No import has this id');
  const errors = await scoped(ctx, ProductImportError).where('import_id', id).orderBy('seq').limit(MAX_IMPORT_ERRORS);
  return { ...viewOf(row), errors: errors.map((e) => ({ line: e.line, pointer: e.pointer, code: e.code, message: e.message })) };
}
