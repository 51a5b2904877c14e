// Catalog and inventory tables as objection models. All tenant-owned: reach them with scoped().
import { TenantModel, registerTenantModel } from '../db/model.js';

export type ProductStatus = 'draft' | 'active' | 'archived';
export const PRODUCT_STATUSES: ProductStatus[] = ['draft', 'active', 'archived'];

export interface ProductImage {
  url: string;
  alt: string;
}

export class Product extends TenantModel {
  static override tableName = 'products';
  static override jsonAttributes = ['attributes', 'images'];
  id!: string;
  status!: ProductStatus;
  attributes!: Record<string, unknown>;
  images!: ProductImage[];
  publishedAt!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

export class ProductTranslation extends TenantModel {
  static override tableName = 'product_translations';
  static override idColumn = ['product_id', 'locale'];
  static override generateId = false;
  static override timestamps = false;
  productId!: string;
  locale!: string;
  name!: string;
  nameKey!: string;
  slug!: string;
  description!: string;
}

export class Variant extends TenantModel {
  static override tableName = 'product_variants';
  static override jsonAttributes = ['options'];
  id!: string;
  productId!: string;
  sku!: string;
  skuKey!: string;
  options!: Record<string, string>;
  position!: number;
  status!: 'active' | 'archived';
  weight!: number | string | null;
  weightUnit!: string | null;
  length!: number | string | null;
  width!: number | string | null;
  height!: number | string | null;
  dimensionUnit!: string | null;
  hsCode!: string | null;
  originCountry!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

export class VariantPrice extends TenantModel {
  static override tableName = 'variant_prices';
  static override idColumn = ['variant_id', 'currency'];
  static override generateId = false;
  static override timestamps = false;
  variantId!: string;
  currency!: string;
  productId!: string;
  amount!: number;
  compareAtAmount!: number | null;
  updatedAt!: string;
}

export class ProductPriceRange extends TenantModel {
  static override tableName = 'product_price_ranges';
  static override idColumn = ['product_id', 'currency'];
  static override generateId = false;
  static override timestamps = false;
  productId!: string;
  currency!: string;
  minAmount!: number;
  maxAmount!: number;
}

export class Category extends TenantModel {
  static override tableName = 'categories';
  static override jsonAttributes = ['names'];
  id!: string;
  parentId!: string | null;
  path!: string;
  depth!: number;
  handle!: string;
  names!: Record<string, string>;
  position!: number;
  createdAt!: string;
  updatedAt!: string;
}

export class ProductCategory extends TenantModel {
  static override tableName = 'product_categories';
  static override idColumn = ['product_id', 'category_id'];
  static override generateId = false;
  static override timestamps = false;
  productId!: string;
  categoryId!: string;
}

export class ProductFacet extends TenantModel {
  static override tableName = 'product_facets';
  static override idColumn = ['product_id', 'name', 'value'];
  static override generateId = false;
  static override timestamps = false;
  productId!: string;
  name!: string;
  value!: string;
}

export class StockLocation extends TenantModel {
  static override tableName = 'stock_locations';
  id!: string;
  code!: string;
  name!: string;
  isDefault!: boolean;
  createdAt!: string;
  updatedAt!: string;
}

export class StockLevel extends TenantModel {
  static override tableName = 'stock_levels';
  static override idColumn = ['variant_id', 'location_id'];
  static override generateId = false;
  static override timestamps = false;
  variantId!: string;
  locationId!: string;
  productId!: string;
  onHand!: number;
  reserved!: number;
  updatedAt!: string;
}

export class StockMovement extends TenantModel {
  static override tableName = 'stock_movements';
  static override timestamps = false;
  id!: string;
  variantId!: string;
  locationId!: string;
  reason!: string;
  onHandDelta!: number;
  reservedDelta!: number;
  onHandAfter!: number;
  reservedAfter!: number;
  reference!: string | null;
  note!: string | null;
  actorType!: string;
  actorId!: string | null;
  createdAt!: string;
}

export class SearchTerm extends TenantModel {
  static override tableName = 'search_terms';
  static override idColumn = 'term';
  static override generateId = false;
  static override timestamps = false;
  term!: string;
  docCount!: number;
}

export class SearchGram extends TenantModel {
  static override tableName = 'search_grams';
  static override idColumn = ['gram', 'len', 'term'];
  static override generateId = false;
  static override timestamps = false;
  gram!: string;
  len!: number;
  term!: string;
}

export class SearchPosting extends TenantModel {
  static override tableName = 'search_postings';
  static override idColumn = ['term', 'product_id'];
  static override generateId = false;
  static override timestamps = false;
  term!: string;
  productId!: string;
  weight!: number;
}

export class SearchQuery extends TenantModel {
  static override tableName = 'search_queries';
  static override idColumn = ['day', 'query'];
  static override generateId = false;
  static override timestamps = false;
  day!: string;
  query!: string;
  count!: number;
  zeroResults!: number;
}

for (const model of [
  Product, ProductTranslation, Variant, VariantPrice, ProductPriceRange, Category, ProductCategory, ProductFacet,
  StockLocation, StockLevel, StockMovement, SearchTerm, SearchGram, SearchPosting, SearchQuery,
]) {
  registerTenantModel(model);
}
