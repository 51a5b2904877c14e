// A variant's shipping facts (weight, box, HS code, origin) between the API's shape and the
// row's columns. Values are kept in the unit the merchant gave; calculators convert.
export type WeightUnit = 'g' | 'kg' | 'lb' | 'oz';
export type DimensionUnit = 'mm' | 'cm' | 'in';

export interface VariantShipping {
  weight: { value: number; unit: WeightUnit } | null;
  dimensions: { length: number; width: number; height: number; unit: DimensionUnit } | null;
  hsCode: string | null;
  originCountry: string | null;
}

export interface VariantShippingRow {
  weight: number | string | null;
  weightUnit: string | null;
  length: number | string | null;
  width: number | string | null;
  height: number | string | null;
  dimensionUnit: string | null;
  hsCode: string | null;
  originCountry: string | null;
}

/** Columns to write for a (partial) shipping input; keys left out of the input are not touched. */
export function shippingColumns(input: Partial<VariantShipping> | undefined): Record<string, unknown> {
  if (!input) return {};
  const out: Record<string, unknown> = {};
  if (input.weight !== undefined) Object.assign(out, { weight: input.weight?.value ?? null, weightUnit: input.weight?.unit ?? null });
  if (input.dimensions !== undefined) {
    const d = input.dimensions;
    Object.assign(out, { length: d?.length ?? null, width: d?.width ?? null, height: d?.height ?? null, dimensionUnit: d?.unit ?? null });
  }
  if (input.hsCode !== undefined) out.hsCode = input.hsCode;
  if (input.originCountry !== undefined) out.originCountry = input.originCountry;
  return out;
}

/** The same columns in snake case, for raw inserts. */
export function shippingRowColumns(input: Partial<VariantShipping> | undefined): Record<string, unknown> {
  const snake: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(shippingColumns(input))) snake[k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = v;
  return snake;
}

const num = (v: number | string | null): number | null => (v === null || v === undefined ? null : Number(v));

export function shippingView(row: Partial<VariantShippingRow>): VariantShipping {
  const weight = num(row.weight ?? null);
  const [l, w, h] = [num(row.length ?? null), num(row.width ?? null), num(row.height ?? null)];
  return {
    weight: weight !== null && row.weightUnit ? { value: weight, unit: row.weightUnit as WeightUnit } : null,
    dimensions: l !== null && w !== null && h !== null && row.dimensionUnit ? { length: l, width: w, height: h, unit: row.dimensionUnit as DimensionUnit } : null,
    hsCode: row.hsCode ?? null,
    originCountry: row.originCountry ?? null,
  };
}
