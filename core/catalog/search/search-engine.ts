// The catalog's search behind a small interface. The built-in engine keeps its index in the
// tenant's own database (SQLite or MySQL); an external engine (Meilisearch, OpenSearch, ...)
// can replace it later as a plugin through useSearchEngine().
import type { TenantCtx } from '../../context.js';
import { builtinSearchEngine } from './builtin-engine.js';

export interface SearchDocument {
  productId: string;
  /** Shopper-facing text per locale. */
  texts: { locale: string; name: string; description: string }[];
}

export interface SearchHit {
  productId: string;
  score: number;
}

export interface SearchResult {
  hits: SearchHit[];
  total: number;
  /** The query with its typos corrected, when the engine corrected any. */
  corrected?: string;
}

export interface SearchEngine {
  readonly name: string;
  /** Adds or replaces a product (only active products are indexed). Runs inside the write's transaction. */
  index(ctx: TenantCtx, doc: SearchDocument): Promise<void>;
  remove(ctx: TenantCtx, productId: string): Promise<void>;
  /** Drops the tenant's whole index (before a rebuild). */
  clear(ctx: TenantCtx): Promise<void>;
  search(ctx: TenantCtx, query: string, opts: { limit: number; offset: number }): Promise<SearchResult>;
  /** Completions of what the shopper has typed so far, as whole queries. */
  suggest(ctx: TenantCtx, prefix: string, limit: number): Promise<string[]>;
}

let engine: SearchEngine = builtinSearchEngine;

export function searchEngine(): SearchEngine {
  return engine;
}

/** Swaps the engine for this process (a search plugin at boot; tests). */
export function useSearchEngine(next: SearchEngine): void {
  engine = next;
}
