// Zones and methods of a store (saved with their checks), and the rates a cart gets from them.
import { scoped, newId, withTransaction, InvalidError, NotFoundError, ConflictError, isUniqueViolation, exchangeRate, money, type TenantCtx, type ShippingInput, type FieldError, type CatalogReadService } from '@bazaar/sdk';
import { LogisticsCustomerGroup, LogisticsMethod, LogisticsZone } from './logistics.model.js';
import { badRange, findOverlap, matchZone, type ZoneArea } from './zones.js';
import type { ConfigMemo } from './config.js';
import { badBrackets, calculate, checkEligibility, type Calculator, type Eligibility, type SubtotalBasis } from './calculators.js';

export interface ZoneInput {
  name: string;
  areas: ZoneArea[];
}

export interface MethodInput {
  zoneId: string;
  code: string;
  label: string;
  labels?: Record<string, string>;
  currency: string;
  eligibility?: Eligibility;
  calculator: Calculator;
  subtotalBasis?: SubtotalBasis;
  taxIncluded?: boolean;
  taxRateBp?: number | null;
  minDays?: number | null;
  maxDays?: number | null;
  active?: boolean;
  position?: number;
}

const field = (pointer: string, code: string, message: string): FieldError => ({ in: 'body', pointer, code, message });
const invalid = (errors: FieldError[]) => new InvalidError('LOGISTICS_INVALID', 'The shipping settings are not valid', { errors });

export function zoneView(z: LogisticsZone) {
  return { id: z.id, name: z.name, areas: z.areas, createdAt: z.createdAt, updatedAt: z.updatedAt };
}

export function methodView(m: LogisticsMethod) {
  return {
    id: m.id, zoneId: m.zoneId, code: m.code, label: m.label, labels: m.labels ?? {}, currency: m.currency, eligibility: m.eligibility ?? {}, calculator: m.calculator, subtotalBasis: m.subtotalBasis,
    taxIncluded: Boolean(m.taxIncluded), taxRateBp: m.taxRateBp, minDays: m.minDays, maxDays: m.maxDays, active: Boolean(m.active), position: m.position,
    createdAt: m.createdAt, updatedAt: m.updatedAt,
  };
}

// --- zones -------------------------------------------------------------------------------

async function checkZone(ctx: TenantCtx, id: string, input: ZoneInput): Promise<void> {
  const errors: FieldError[] = [];
  input.areas.forEach((a, i) =>
    (a.postalRules ?? []).forEach((r, j) => {
      const bad = badRange(r);
      if (bad) errors.push(field(`/areas/${i}/postalRules/${j}`, 'range', `body.areas[${i}].postalRules[${j}]: ${bad}`));
    }),
  );
  if (errors.length) throw invalid(errors);
  const others = await scoped(ctx, LogisticsZone).whereNot('id', id);
  const clash = findOverlap({ id, name: input.name, areas: input.areas }, others);
  if (clash) {
    throw new ConflictError('ZONE_OVERLAP', `This zone overlaps zone "${clash.zone.name}" at the same level; an address would match both`, {
      errors: [field(`/areas/${clash.areaIndex}`, 'overlap', `body.areas[${clash.areaIndex}] overlaps zone "${clash.zone.name}"`)],
      extra: { zoneId: clash.zone.id },
    });
  }
}

const nameTaken = () => new ConflictError('ZONE_NAME_TAKEN', 'Another zone has this name', { errors: [field('/name', 'taken', 'body.name is taken')] });

export async function createZone(ctx: TenantCtx, input: ZoneInput) {
  return withTransaction(ctx, async (trx) => {
    const id = newId();
    await checkZone(trx, id, input);
    try {
      await scoped(trx, LogisticsZone).insert({ id, name: input.name, areas: input.areas });
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken();
      throw err;
    }
    return zoneView((await scoped(trx, LogisticsZone).findById(id))!);
  });
}

export async function getZone(ctx: TenantCtx, id: string): Promise<LogisticsZone> {
  const z = await scoped(ctx, LogisticsZone).findById(id);
  if (!z) throw new NotFoundError('ZONE_NOT_FOUND', 'No such zone');
  return z;
}

export async function updateZone(ctx: TenantCtx, id: string, input: ZoneInput) {
  return withTransaction(ctx, async (trx) => {
    await getZone(trx, id);
    await checkZone(trx, id, input);
    try {
      await scoped(trx, LogisticsZone).patch({ name: input.name, areas: input.areas }).where('id', id);
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken();
      throw err;
    }
    return zoneView(await getZone(trx, id));
  });
}

export async function deleteZone(ctx: TenantCtx, id: string): Promise<void> {
  await getZone(ctx, id);
  if (await scoped(ctx, LogisticsMethod).where('zone_id', id).first()) throw new ConflictError('ZONE_IN_USE', 'Methods still use this zone; delete or move them first');
  await scoped(ctx, LogisticsZone).delete().where('id', id);
}

export async function matchAddress(ctx: TenantCtx, address: { country: string; region?: string; postalCode?: string }) {
  const hit = matchZone(await scoped(ctx, LogisticsZone).orderBy('id'), address);
  return hit ? { zone: zoneView(hit.zone), level: (['country', 'region', 'postal'] as const)[hit.specificity - 1] } : { zone: null, level: null };
}

// --- methods -----------------------------------------------------------------------------

function checkMethod(ctx: TenantCtx, input: MethodInput): void {
  const errors: FieldError[] = [];
  if (!ctx.tenant.currencies.includes(input.currency)) errors.push(field('/currency', 'currency', `body.currency must be one of the store's currencies (${ctx.tenant.currencies.join(', ')})`));
  const c = input.calculator;
  if ('brackets' in c) {
    const bad = badBrackets(c.brackets);
    if (bad) errors.push(field('/calculator/brackets', 'brackets', `body.calculator.brackets: ${bad}`));
    if (c.type !== 'order_value' && !c.brackets.length) errors.push(field('/calculator/brackets', 'brackets', 'body.calculator.brackets needs at least one bracket'));
  }
  if (c.type === 'order_value' && !c.brackets.length && c.freeOver === undefined) errors.push(field('/calculator', 'empty', 'body.calculator needs brackets or freeOver'));
  const e = input.eligibility ?? {};
  if (e.weight && e.weight.min !== undefined && e.weight.max !== undefined && e.weight.max <= e.weight.min) errors.push(field('/eligibility/weight', 'range', 'body.eligibility.weight.max must be above min'));
  if (e.subtotal && e.subtotal.min !== undefined && e.subtotal.max !== undefined && e.subtotal.max <= e.subtotal.min) errors.push(field('/eligibility/subtotal', 'range', 'body.eligibility.subtotal.max must be above min'));
  if (input.minDays != null && input.maxDays != null && input.maxDays < input.minDays) errors.push(field('/maxDays', 'range', 'body.maxDays must not be below minDays'));
  if (errors.length) throw invalid(errors);
}

async function requireZoneField(ctx: TenantCtx, zoneId: string): Promise<void> {
  if (!(await scoped(ctx, LogisticsZone).findById(zoneId))) throw invalid([field('/zoneId', 'not_found', 'body.zoneId names no zone of this store')]);
}

const codeTaken = () => new ConflictError('METHOD_CODE_TAKEN', 'Another method has this code', { errors: [field('/code', 'taken', 'body.code is taken')] });

function methodRow(input: MethodInput) {
  return {
    zoneId: input.zoneId, code: input.code, label: input.label, labels: input.labels ?? {}, currency: input.currency, eligibility: input.eligibility ?? {}, calculator: input.calculator, subtotalBasis: input.subtotalBasis ?? 'after_discounts',
    taxIncluded: input.taxIncluded ?? true, taxRateBp: input.taxRateBp ?? null, minDays: input.minDays ?? null, maxDays: input.maxDays ?? null, active: input.active ?? true, position: input.position ?? 0,
  };
}

export async function getMethod(ctx: TenantCtx, id: string): Promise<LogisticsMethod> {
  const m = await scoped(ctx, LogisticsMethod).findById(id);
  if (!m) throw new NotFoundError('METHOD_NOT_FOUND', 'No such shipping method');
  return m;
}

export async function createMethod(ctx: TenantCtx, input: MethodInput) {
  checkMethod(ctx, input);
  await requireZoneField(ctx, input.zoneId);
  try {
    const m = await scoped(ctx, LogisticsMethod).insert(methodRow(input));
    return methodView(await getMethod(ctx, m.id));
  } catch (err) {
    if (isUniqueViolation(err)) throw codeTaken();
    throw err;
  }
}

export async function updateMethod(ctx: TenantCtx, id: string, input: MethodInput) {
  await getMethod(ctx, id);
  checkMethod(ctx, input);
  await requireZoneField(ctx, input.zoneId);
  try {
    await scoped(ctx, LogisticsMethod).patch(methodRow(input)).where('id', id);
  } catch (err) {
    if (isUniqueViolation(err)) throw codeTaken();
    throw err;
  }
  return methodView(await getMethod(ctx, id));
}

export async function deleteMethod(ctx: TenantCtx, id: string): Promise<void> {
  await getMethod(ctx, id);
  await scoped(ctx, LogisticsMethod).delete().where('id', id);
}

// --- customer groups ---------------------------------------------------------------------

export async function customerGroups(ctx: TenantCtx, customerId: string): Promise<string[]> {
  return (await scoped(ctx, LogisticsCustomerGroup).where('customer_id', customerId).orderBy('group_name')).map((g) => g.groupName);
}

export async function setCustomerGroups(ctx: TenantCtx, customerId: string, groups: string[]): Promise<string[]> {
  await withTransaction(ctx, async (trx) => {
    await scoped(trx, LogisticsCustomerGroup).delete().where('customer_id', customerId);
    for (const g of [...new Set(groups)]) await scoped(trx, LogisticsCustomerGroup).insert({ customerId, groupName: g });
  });
  return customerGroups(ctx, customerId);
}

// --- rates -------------------------------------------------------------------------------

export interface StaticRate {
  method: LogisticsMethod;
  /** Minor units of the cart's currency. */
  amount: number;
  /** What the calculator said, in the method's currency. */
  calculated: { amount: number; currency: string; taxIncluded: boolean; taxRate?: number };
}

async function convert(ctx: TenantCtx, amount: number, from: string, to: string, rates: Map<string, string | null>): Promise<number | null> {
  if (from === to) return amount;
  const key = `${from}>${to}`;
  if (!rates.has(key)) rates.set(key, await exchangeRate(ctx, from, to));
  const rate = rates.get(key);
  return rate ? money(amount, from).convert(to, rate).toMinor() : null;
}

export interface EligibleMethod {
  method: LogisticsMethod;
  /** Compared subtotal in the method's currency. */
  subtotal: number;
}

/** The active methods of the zone that takes the address which this cart is eligible for, static or carrier. */
/** `config`: the store's zones and methods as remembered (config.ts); the same rows the queries read. */
export async function eligibleMethods(ctx: TenantCtx, input: ShippingInput, catalog: CatalogReadService, rates: Map<string, string | null>, config: ConfigMemo): Promise<EligibleMethod[]> {
  if (!input.address) return [];
  const known = await config.get(ctx);
  const hit = matchZone(known.zones, { country: input.address.country, region: input.address.region, postalCode: input.address.postalCode });
  if (!hit) return [];
  const methods = known.methods.filter((m) => m.zoneId === hit.zone.id);
  const live = methods.filter((m) => Boolean(m.active));
  if (!live.length) return [];
  const categories = live.some((m) => m.eligibility?.excludedCategoryIds?.length) ? await catalog.productCategories(ctx, input.lines.map((l) => l.productId)) : undefined;
  const groups = live.some((m) => m.eligibility?.customerGroups?.length) && input.customerId ? await customerGroups(ctx, input.customerId) : [];
  const out: EligibleMethod[] = [];
  for (const m of live) {
    // The spec's default (requirement 24): after the order's discounts; a method may say before.
    const compared = m.subtotalBasis === 'before_discounts' ? input.subtotal : input.discountedSubtotal;
    const subtotal = await convert(ctx, compared, input.currency, m.currency, rates);
    if (subtotal === null) continue;
    if (checkEligibility(m.eligibility ?? {}, { subtotal, lines: input.lines, categories, groups })) continue;
    out.push({ method: m, subtotal });
  }
  return out;
}

export { convert as convertAmount };

/** Every eligible static method for this cart at its address, priced in the cart's currency. */
export async function staticRates(ctx: TenantCtx, input: ShippingInput, eligible: EligibleMethod[], rates = new Map<string, string | null>()): Promise<StaticRate[]> {
  const out: StaticRate[] = [];
  for (const { method: m, subtotal } of eligible) {
    const amount = calculate(m.calculator, { subtotal, lines: input.lines });
    if (amount === null) continue;
    const inCart = await convert(ctx, amount, m.currency, input.currency, rates);
    if (inCart === null) continue;
    out.push({ method: m, amount: inCart, calculated: { amount, currency: m.currency, taxIncluded: Boolean(m.taxIncluded), ...(m.taxRateBp !== null ? { taxRate: m.taxRateBp / 100 } : {}) } });
  }
  return out;
}
