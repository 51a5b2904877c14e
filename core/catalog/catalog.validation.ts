// Checks a JSON Schema cannot make: currencies the store sells in, duplicate SKUs and slugs
// inside one request, a translation in the store's default locale. Each failure names its
// field with a JSON pointer so an admin form (or an import report) can point at it.
import { MAX_UNIT_AMOUNT } from '../money/limits.js';
import type { TenantCtx } from '../context.js';
import { ConflictError, InvalidError, type FieldError } from '../errors.js';
import { isCurrency } from '../money/currencies.js';

export class FieldProblems {
  readonly invalid: FieldError[] = [];
  readonly conflicts: FieldError[] = [];
  private readonly codes = new Set<string>();
  private readonly conflictCodes = new Set<string>();

  constructor(private readonly where = 'body') {}

  bad(pointer: string, code: string, message: string): void {
    this.invalid.push({ in: this.where, pointer, code, message: `${this.where}${pointer.replace(/\//g, '.')} ${message}` });
    this.codes.add(code);
  }

  clash(pointer: string, code: string, message: string): void {
    this.conflicts.push({ in: this.where, pointer, code: 'taken', message: `${this.where}${pointer.replace(/\//g, '.')} ${message}` });
    this.conflictCodes.add(code);
  }

  /** Throws a 400 for bad values, else a 409 for clashes with existing rows. */
  throwIfAny(): void {
    if (this.invalid.length) {
      const code = this.codes.size === 1 ? [...this.codes][0] : 'VALIDATION_FAILED';
      throw new InvalidError(code, this.invalid.map((e) => e.message).join('; '), { errors: this.invalid });
    }
    if (this.conflicts.length) {
      const code = this.conflictCodes.size === 1 ? [...this.conflictCodes][0] : 'CONFLICT';
      throw new ConflictError(code, this.conflicts.map((e) => e.message).join('; '), { errors: this.conflicts });
    }
  }
}

export interface PriceInput {
  currency: string;
  amount: number;
  compareAtAmount?: number | null;
}

export function checkPrice(ctx: TenantCtx, p: FieldProblems, pointer: string, price: PriceInput): void {
  if (!isCurrency(price.currency)) p.bad(`${pointer}/currency`, 'UNKNOWN_CURRENCY', `"${price.currency}" is not an ISO 4217 currency`);
  else if (!ctx.tenant.currencies.includes(price.currency)) p.bad(`${pointer}/currency`, 'CURRENCY_NOT_ENABLED', `"${price.currency}" is not one of this store's currencies (${ctx.tenant.currencies.join(', ')})`);
  if (!Number.isSafeInteger(price.amount) || price.amount < 0 || price.amount > MAX_UNIT_AMOUNT) p.bad(`${pointer}/amount`, 'INVALID_PRICE', `must be a whole number of minor units, 0 to ${MAX_UNIT_AMOUNT}`);
  if (price.compareAtAmount !== undefined && price.compareAtAmount !== null && (!Number.isSafeInteger(price.compareAtAmount) || price.compareAtAmount < 0 || price.compareAtAmount > MAX_UNIT_AMOUNT)) {
    p.bad(`${pointer}/compareAtAmount`, 'INVALID_PRICE', `must be a whole number of minor units, 0 to ${MAX_UNIT_AMOUNT}`);
  }
}

export function checkPrices(ctx: TenantCtx, p: FieldProblems, pointer: string, prices: PriceInput[]): void {
  const seen = new Set<string>();
  prices.forEach((price, i) => {
    checkPrice(ctx, p, `${pointer}/${i}`, price);
    if (seen.has(price.currency)) p.bad(`${pointer}/${i}/currency`, 'DUPLICATE_CURRENCY', `repeats ${price.currency}`);
    seen.add(price.currency);
  });
}

export const skuKey = (sku: string) => sku.trim().toLowerCase();
