// Bulk import of products from CSV or JSON lines. Every product is created in its own
// transaction (all of it or none of it); bad rows are reported with their line numbers and
// the good ones are imported. Import creates products: a slug or SKU that exists is an error
// on its line, so running the same file twice creates nothing twice.
//
// JSON lines: one product per line, the same object as POST /admin/v1/products.
// CSV: one row per variant; rows sharing a `handle` are one product (product columns are read
// from its first row). Columns (all but handle and name optional):
//   handle, status, name, description, slug     text in the store's default locale (slug defaults to handle)
//   name:<locale>, description:<locale>, slug:<locale>
//   sku, option:<name>, price:<CUR>, compare_at:<CUR>, stock    prices as decimals ("19.99")
//   attr:<name> ("a|b" is a list), categories (handles, "|"-separated), images (URLs, "|"-separated)
import { MAX_STOCK_LEVEL } from '../../money/limits.js';
import type { TenantCtx } from '../../context.js';
import { AppError, type FieldError } from '../../errors.js';
import { ajvStrict, toFieldErrors } from '../../http/validation.js';
import { isCurrency } from '../../money/currencies.js';
import { parseDecimal } from '../../money/money.js';
import { Category } from '../catalog.model.js';
import { productIn } from '../catalog.schemas.js';
import { table } from '../tables.js';
import { invalidateCatalog } from '../catalog.cache.js';
import { createProductRows, type ProductInput, type VariantInput } from '../product.service.js';
import { parseCsv, CsvError } from './csv.js';

export type ImportFormat = 'csv' | 'jsonl';

export interface ImportError {
  line: number;
  pointer: string;
  code: string;
  message: string;
}

export interface ImportReport {
  format: ImportFormat;
  products: number;
  imported: number;
  failed: number;
  errors: ImportError[];
  errorsTruncated?: boolean;
}

interface Unit {
  /** Line of the product (its first row) and of each variant row. */
  line: number;
  variantLines: number[];
  input?: ProductInput;
  errors: ImportError[];
}

const MAX_ERRORS = 1000;
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

function parseJsonLines(text: string): Unit[] {
  const units: Unit[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    let input: unknown;
    try {
      input = JSON.parse(raw);
    } catch {
      units.push({ line, variantLines: [], errors: [{ line, pointer: '/', code: 'MALFORMED_JSON', message: `line ${line} is not valid JSON` }] });
      return;
    }
    const variantLines = Array.isArray((input as ProductInput)?.variants) ? (input as ProductInput).variants!.map(() => line) : [];
    const errors = schemaErrors(input, line, variantLines);
    units.push({ line, variantLines, input: errors.length ? undefined : (input as ProductInput), errors });
  });
  return units;
}

function splitList(value: string): string[] {
  return value.split('|').map((s) => s.trim()).filter(Boolean);
}

async function parseCsvUnits(ctx: TenantCtx, text: string): Promise<Unit[]> {
  let records;
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvError) return [{ line: err.line, variantLines: [], errors: [{ line: err.line, pointer: '/', code: 'MALFORMED_CSV', message: err.message }] }];
    throw err;
  }
  const [header, ...rows] = records;
  if (!header) return [];
  const columns = header.fields.map((h) => h.trim());
  const missing = ['handle', 'name'].filter((c) => !columns.includes(c));
  if (missing.length) return [{ line: header.line, variantLines: [], errors: [{ line: header.line, pointer: '/', code: 'MISSING_COLUMN', message: `the header needs the column(s) ${missing.join(', ')}` }] }];
  const defaultLocale = ctx.tenant.defaultLocale;

  // Group rows by handle, in order of first appearance.
  const groups = new Map<string, { line: number; fields: Record<string, string> }[]>();
  const units: Unit[] = [];
  for (const r of rows) {
    const fields: Record<string, string> = {};
    columns.forEach((c, i) => (fields[c] = (r.fields[i] ?? '').trim()));
    if (r.fields.length > columns.length) {
      units.push({ line: r.line, variantLines: [], errors: [{ line: r.line, pointer: '/', code: 'TOO_MANY_FIELDS', message: `line ${r.line} has ${r.fields.length} fields; the header has ${columns.length}` }] });
      continue;
    }
    if (!fields.handle) {
      units.push({ line: r.line, variantLines: [], errors: [{ line: r.line, pointer: '/handle', code: 'required', message: `line ${r.line}: handle is required` }] });
      continue;
    }
    const group = groups.get(fields.handle) ?? [];
    group.push({ line: r.line, fields });
    groups.set(fields.handle, group);
  }

  const handles = new Set([...groups.values()].flatMap((g) => splitList(g[0].fields.categories ?? '')));
  const categoryIds = new Map<string, string>();
  if (handles.size) {
    for (const c of (await table(ctx, Category).select('id', 'handle').whereIn('handle', [...handles].map((h) => h.toLowerCase()))) as { id: string; handle: string }[]) categoryIds.set(c.handle, c.id);
  }

  for (const [handle, group] of groups) {
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
    units.push({ line: first.line, variantLines, input: errors.length ? undefined : input, errors });
  }
  return units.sort((a, b) => a.line - b.line);
}

/** Imports a whole file; onProgress(done, total, failed) is called after each product. */
export async function importProducts(ctx: TenantCtx, text: string, format: ImportFormat, onProgress?: (done: number, total: number, failed: number) => void): Promise<ImportReport> {
  const units = format === 'csv' ? await parseCsvUnits(ctx, text) : parseJsonLines(text);
  const errors: ImportError[] = [];
  let imported = 0;
  let failed = 0;
  for (const [i, unit] of units.entries()) {
    if (unit.input && !unit.errors.length) {
      try {
        await createProductRows(ctx, unit.input);
        imported++;
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) ctx.log.error({ err, line: unit.line }, 'import of a product failed');
        unit.errors.push(...fromAppError(err, unit));
      }
    }
    if (unit.errors.length) {
      failed++;
      errors.push(...unit.errors);
    }
    onProgress?.(i + 1, units.length, failed);
  }
  if (imported) await invalidateCatalog(ctx);
  const report: ImportReport = { format, products: units.length, imported, failed, errors: errors.slice(0, MAX_ERRORS) };
  if (errors.length > MAX_ERRORS) report.errorsTruncated = true;
  return report;
}

function fromAppError(err: unknown, unit: Unit): ImportError[] {
  if (!(err instanceof AppError) || err.status >= 500) return [{ line: unit.line, pointer: '/', code: 'INTERNAL', message: `line ${unit.line}: the product could not be saved` }];
  const fields: FieldError[] = err.errors?.length ? err.errors : [{ in: 'body', pointer: '/', code: err.code, message: err.message }];
  return fields.map((f) => {
    const line = lineOf(f.pointer, unit.line, unit.variantLines);
    return { line, pointer: f.pointer, code: f.code === 'taken' ? err.code : f.code, message: `line ${line}: ${f.message.replace(/^body\./, '')}` };
  });
}
