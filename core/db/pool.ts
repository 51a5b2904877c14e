// Placement: the tenant registry records which database a tenant lives on. The control
// database (DATABASE_URL) holds the registry and platform tables and is the default placement.
import { createKnex, type Knex } from './knex.js';

export class DbPool {
  readonly control: Knex;
  private readonly placements = new Map<string, Knex>();

  constructor(controlUrl: string, placements: Readonly<Record<string, string>>) {
    this.control = createKnex(controlUrl);
    this.placements.set('default', this.control);
    for (const [name, url] of Object.entries(placements)) {
      if (name !== 'default') this.placements.set(name, createKnex(url));
    }
  }

  has(placement: string): boolean {
    return this.placements.has(placement);
  }

  forTenant(tenant: { placement: string }): Knex {
    const db = this.placements.get(tenant.placement);
    if (!db) throw new Error(`tenant placement "${tenant.placement}" is not configured (DATABASE_PLACEMENTS)`);
    return db;
  }

  all(): Knex[] {
    return [...new Set(this.placements.values())];
  }

  names(): string[] {
    return [...this.placements.keys()];
  }

  async destroy(): Promise<void> {
    await Promise.all(this.all().map((db) => db.destroy()));
  }
}
