// Bulk import of products from CSV or JSON lines, read as a stream: the text arrives in pieces
// (an import job reads its file a chunk at a time) and products come out one at a time, so a
// file of any size holds only one product's rows in memory. Every product is created in its own
// transaction (all of it or none of it); bad rows are reported with their line numbers and
// the good ones are imported. Import creates products: a slug or SKU that exists is an error
// on its line, so running the same file twice creates nothing twice.
//
// JSON lines: one product per line, the same object as POST /admin/v1/products.
// CSV: one row per variant; the rows of a product are consecutive and share its `handle`
// (product columns are read from its first row). Columns (all but handle and name optional):
//   handle, status, name, description, slug     text in the store's default locale (slug defaults to handle)
//   name:<locale>, description:<locale>, slug:<locale>
//   sku, option:<name>, price:<CUR>, compare_at:<CUR>, stock    prices as decimals ("19.99")
//   attr:<name> ("a|b" is a list), categories (handles, "|"-separated), images (URLs, "|"-separated)
// A record (CSV) or line (JSON lines) is at most MAX_RECORD_CHARS characters.
import { MAX_STOCK_LEVEL } from '../../money/limits.js';
import type { TenantCtx } from '../../context.js';
import { AppError, type FieldError } from '../../errors.js';
import { ajvStrict, toFieldErrors } from '../../http/validation.js';
import { isCurrency } from '../../money/currencies.js';
import { parseDecimal } from '../../money/money.js';
import { Category } from '../catalog.model.js';
import { productIn } from '../catalog.schemas.js';
import { table } from '../tables.js';
import type { ProductInput, VariantInput } from '../product.service.js';
import { CsvStream, CsvError, MAX_RECORD_CHARS, type CsvRecord } from './csv.js';
import { jsonProblem } from '../../http/json-guard.js';

export type ImportFormat = 'csv' | 'jsonl';

export interface ImportError {
  line: number;
  pointer: string;
  code: string;
  message: string;
}

/** One product of the file: its input when every row of it is good, else what was wrong. */
export interface Unit {
  /** Line of the product (its first row) and of each variant row. */
  line: number;
  variantLines: number[];
  input?: ProductInput;
  errors: ImportError[];
}

const validateProduct = ajvStrict.compile(productIn);

function schemaErrors(input: unknown, line: number, variantLines: number[]): ImportError[] {
  if (validateProduct(input)) return [];
  return toFieldErrors('line', validateProduct.errors).map((e) => {
    const at = lineOf(e.pointer, line, variantLines);
    return { line: at, pointer: e.pointer, code: e.code, message: `line ${at}: ${e.message.replace(/^line\.?/, '')}` };
  });
}

/** /variants/2/... points at the row of the third variant. */
function lineOf(pointer: string, line: number, variantLines: number[]): number {
  const m = /^\/variants\/(\d+)/.exec(pointer);
  return m ? (variantLines[Number(m[1])] ?? line) : line;
}

const failedUnit = (line: number, pointer: string, code: string, message: string): Unit => ({ line, variantLines: [], errors: [{ line, pointer, code, message }] });

function jsonLineUnit(raw: string, line: number): Unit {
  let input: unknown;
  try {
    input = JSON.parse(raw);
  } catch {
    return failedUnit(line, '/', 'MALFORMED_JSON', `line ${line} is not valid JSON`);
  }
  // Deep or ill-formed text is refused here as it is in a request body (json-guard).
  const problem = jsonProblem(input, 'line');
  if (problem) return failedUnit(line, problem.pointer, problem.code === 'unicode' ? 'MALFORMED_UNICODE' : 'TOO_DEEP', `line ${line}: ${problem.message.replace(/^line\.?/, '')}`);
  const variantLines = Array.isArray((input as ProductInput)?.variants) ? (input as ProductInput).variants!.map(() => line) : [];
  const errors = schemaErrors(input, line, variantLines);
  return { line, variantLines, input: errors.length ? undefined : (input as ProductInput), errors };
}

async function* jsonLinesUnits(pieces: AsyncIterable<string>): AsyncGenerator<Unit> {
  let carry = '';
  let line = 1;
  /** The line being skipped because it is too long (0: none). */
  let skipping = 0;
  const take = (raw: string, at: number): Unit | null => (raw.trim() ? jsonLineUnit(raw.endsWith('\r') ? raw.slice(0, -1) : raw, at) : null);
  for await (const piece of pieces) {
    let from = 0;
    for (let nl = piece.indexOf('\n'); nl !== -1; nl = piece.indexOf('\n', from)) {
      const raw = carry + piece.slice(from, nl);
      carry = '';
      from = nl + 1;
      if (skipping) {
        skipping = 0;
      } else if (raw.length > MAX_RECORD_CHARS) {
        yield failedUnit(line, '/', 'RECORD_TOO_LONG', `line ${line} is longer than ${MAX_RECORD_CHARS} characters`);
      } else {
        const unit = take(raw, line);
        if (unit) yield unit;
      }
      line++;
    }
    if (skipping) continue;
    carry += piece.slice(from);
    if (carry.length > MAX_RECORD_CHARS) {
      yield failedUnit(line, '/', 'RECORD_TOO_LONG', `line ${line} is longer than ${MAX_RECORD_CHARS} characters`);
      carry = '';
      skipping = line;
    }
  }
  if (!skipping) {
    const unit = take(carry, line);
    if (unit) yield unit;
  }
}

function splitList(value: string): string[] {
  return value.split('|').map((s) => s.trim()).filter(Boolean);
}

async function* csvUnits(ctx: TenantCtx, pieces: AsyncIterable<string>): AsyncGenerator<Unit> {
  const csv = new CsvStream();
  let columns: string[] | undefined;
  let group: { handle: string; rows: { line: number; fields: Record<string, string> }[] } | undefined;
  /** Rows refused on their own while a product's rows are open: reported after it, in line order. */
  let pending: Unit[] = [];
  /** Handles of products already read: a product's rows must be consecutive. */
  const seen = new Map<string, number>();
  const categoryIds = new Map<string, string | null>();

  // Each batch of records is turned into units; the CSV's own errors end the file.
  async function* units(records: CsvRecord[]): AsyncGenerator<Unit> {
    for (const r of records) {
      if (!columns) {
        columns = r.fields.map((h) => h.trim());
        const missing = ['handle', 'name'].filter((c) => !columns!.includes(c));
        if (missing.length) throw new StopImport(failedUnit(r.line, '/', 'MISSING_COLUMN', `the header needs the column(s) ${missing.join(', ')}`));
        continue;
      }
      const fields: Record<string, string> = {};
      columns.forEach((c, i) => (fields[c] = (r.fields[i] ?? '').trim()));
      let refused: Unit | undefined;
      if (r.fields.length > columns.length) refused = failedUnit(r.line, '/', 'TOO_MANY_FIELDS', `line ${r.line} has ${r.fields.length} fields; the header has ${columns.length}`);
      else if (!fields.handle) refused = failedUnit(r.line, '/handle', 'required', `line ${r.line}: handle is required`);
      else if (fields.handle !== group?.handle && seen.has(fields.handle)) {
        refused = failedUnit(r.line, '/handle', 'HANDLE_NOT_CONSECUTIVE', `line ${r.line}: the rows of "${fields.handle}" (from line ${seen.get(fields.handle)}) must be consecutive`);
      }
      if (refused) {
        if (group) pending.push(refused);
        else yield refused;
        continue;
      }
      if (group && fields.handle === group.handle) {
        group.rows.push({ line: r.line, fields });
        continue;
      }
      if (group) yield* flush();
      group = { handle: fields.handle, rows: [{ line: r.line, fields }] };
      seen.set(fields.handle, r.line);
    }
  }
  async function* flush(): AsyncGenerator<Unit> {
    if (group) yield await csvUnit(ctx, group.handle, group.rows, categoryIds);
    group = undefined;
    yield* pending;
    pending = [];
  }

  try {
    for await (const piece of pieces) {
      let records: CsvRecord[];
      try {
        records = csv.push(piece);
      } catch (err) {
        if (!(err instanceof CsvError)) throw err;
        yield* flush();
        yield failedUnit(err.line, '/', err.code, err.message);
        return;
      }
      yield* units(records);
    }
    let last: CsvRecord[];
    try {
      last = csv.end();
    } catch (err) {
      if (!(err instanceof CsvError)) throw err;
      yield* flush();
      yield failedUnit(err.line, '/', err.code, err.message);
      return;
    }
    yield* units(last);
    yield* flush();
  } catch (err) {
    if (!(err instanceof StopImport)) throw err;
    yield err.unit;
  }
}

/** The file cannot be read on (a header without the needed columns): its one unit says why. */
class StopImport extends Error {
  constructor(readonly unit: Unit) {
    super(unit.errors[0].message);
  }
}

/** One product from its consecutive CSV rows. */
async function csvUnit(ctx: TenantCtx, handle: string, group: { line: number; fields: Record<string, string> }[], categoryIds: Map<string, string | null>): Promise<Unit> {
  const defaultLocale = ctx.tenant.defaultLocale;
  const unknown = [...new Set(splitList(group[0].fields.categories ?? '').map((h) => h.toLowerCase()))].filter((h) => !categoryIds.has(h));
  if (unknown.length) {
    for (const h of unknown) categoryIds.set(h, null);
    for (const c of (await table(ctx, Category).select('id', 'handle').whereIn('handle', unknown)) as { id: string; handle: string }[]) categoryIds.set(c.handle, c.id);
  }
  const first = group[0];
  const errors: ImportError[] = [];
  const bad = (line: number, column: string, code: string, message: string) => errors.push({ line, pointer: `/${column}`, code, message: `line ${line}, column ${column}: ${message}` });
  const translations: ProductInput['translations'] = {};
  for (const [column, value] of Object.entries(first.fields)) {
    const m = /^(name|description|slug)(?::(.+))?$/.exec(column);
    if (!m || !value) continue;
    const locale = m[2] ?? defaultLocale;
    const t = (translations[locale] ??= { name: '' }) as unknown as Record<string, string>;
    t[m[1]] = m[1] === 'slug' ? value.toLowerCase() : value;
  }
  const own = translations[defaultLocale];
  if (own && !own.slug) own.slug = handle.toLowerCase();
  for (const [locale, t] of Object.entries(translations)) if (!t.name) bad(first.line, `name${locale === defaultLocale ? '' : ':' + locale}`, 'required', `a ${locale} slug or description needs a ${locale} name`);

  const attributes: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(first.fields)) {
    const m = /^attr:(.+)$/.exec(column);
    if (m && value) attributes[m[1]] = value.includes('|') ? splitList(value) : value;
  }
  const categoryIdsOf = splitList(first.fields.categories ?? '').flatMap((h) => {
    const id = categoryIds.get(h.toLowerCase());
    if (!id) bad(first.line, 'categories', 'CATEGORY_NOT_FOUND', `no category has the handle "${h}"`);
    return id ? [id] : [];
  });
  const images = splitList(first.fields.images ?? '').map((url) => ({ url, alt: own?.name ?? '' }));

  const variants: VariantInput[] = [];
  for (const row of group) {
    if (!row.fields.sku) {
      if (group.length > 1 || Object.entries(row.fields).some(([c, v]) => v && /^(price|option|compare_at):|^stock$/.test(c))) bad(row.line, 'sku', 'required', 'a variant row needs a sku');
      continue;
    }
    const options: Record<string, string> = {};
    const prices: NonNullable<VariantInput['prices']> = [];
    const withPrice = new Set<string>();
    for (const [column, value] of Object.entries(row.fields)) {
      if (!value) continue;
      const option = /^option:(.+)$/.exec(column);
      if (option) options[option[1]] = value;
      const priced = /^(price|compare_at):(.+)$/.exec(column);
      if (!priced) continue;
      const currency = priced[2].toUpperCase();
      if (!isCurrency(currency)) {
        bad(row.line, column, 'UNKNOWN_CURRENCY', `"${priced[2]}" is not an ISO 4217 currency`);
        continue;
      }
      let minor: number;
      try {
        minor = parseDecimal(value, currency).toMinor();
      } catch (err) {
        bad(row.line, column, 'INVALID_PRICE', (err as Error).message);
        continue;
      }
      if (minor < 0) {
        bad(row.line, column, 'INVALID_PRICE', 'a price cannot be negative');
        continue;
      }
      const p = prices.find((x) => x.currency === currency) ?? prices[prices.push({ currency, amount: 0 }) - 1];
      if (priced[1] === 'price') {
        p.amount = minor;
        withPrice.add(currency);
      } else {
        p.compareAtAmount = minor;
      }
    }
    for (const p of prices) if (!withPrice.has(p.currency)) bad(row.line, `compare_at:${p.currency}`, 'required', `needs a price:${p.currency} as well`);
    let stock: number | undefined;
    if (row.fields.stock) {
      stock = Number(row.fields.stock);
      if (!Number.isSafeInteger(stock) || stock < 0 || stock > MAX_STOCK_LEVEL) bad(row.line, 'stock', 'INVALID_QUANTITY', `"${row.fields.stock}" is not a whole number of units from 0 to ${MAX_STOCK_LEVEL}`);
    }
    variants.push({ sku: row.fields.sku, ...(Object.keys(options).length ? { options } : {}), prices, ...(stock !== undefined ? { stock } : {}) });
  }
  const input: ProductInput = {
    ...(first.fields.status ? { status: first.fields.status as ProductInput['status'] } : {}),
    translations,
    attributes,
    images,
    categoryIds: categoryIdsOf,
    variants,
  };
  const variantLines = group.filter((r) => r.fields.sku).map((r) => r.line);
  if (!errors.length) errors.push(...schemaErrors(input, first.line, variantLines));
  return { line: first.line, variantLines, input: errors.length ? undefined : input, errors };
}

/** The products of a file as they are read, in the file's order. */
export function productUnits(ctx: TenantCtx, pieces: AsyncIterable<string>, format: ImportFormat): AsyncGenerator<Unit> {
  return format === 'csv' ? csvUnits(ctx, pieces) : jsonLinesUnits(pieces);
}

export function fromAppError(err: unknown, unit: Unit): ImportError[] {
  if (!(err instanceof AppError) || err.status >= 500) return [{ line: unit.line, pointer: '/', code: 'INTERNAL', message: `line ${unit.line}: the product could not be saved` }];
  const fields: FieldError[] = err.errors?.length ? err.errors : [{ in: 'body', pointer: '/', code: err.code, message: err.message }];
  return fields.map((f) => {
    const line = lineOf(f.pointer, unit.line, unit.variantLines);
    return { line, pointer: f.pointer, code: f.code === 'taken' ? err.code : f.code, message: `line ${line}: ${f.message.replace(/^body\./, '')}` };
  });
}
