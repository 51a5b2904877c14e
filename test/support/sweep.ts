// The cross-tenant sweep's registry. Each domain adds a fixture (test/<domain>/*.sweep.ts) that
// seeds data in the victim tenant and says which path segment or parameter names each id, and
// gives sample bodies so requests reach the lookup instead of failing validation.
import type { TestTenant } from './factories.js';

export interface SweepSeed {
  /** `staff` -> an id for `/admin/v1/staff/:id`; `productId` -> an id for `:productId`. */
  ids: Record<string, string>;
  /** Strings that must never appear in an answer to the attacker: ids, emails, names. */
  secrets: string[];
}

export interface SweepFixture {
  name: string;
  /** `attacker`: the store whose owner makes the requests (a platform plugin may need to act for it too). */
  seed(victim: TestTenant, attacker: TestTenant): Promise<SweepSeed>;
  /** `METHOD /path` -> a valid body. */
  bodies?: Record<string, unknown>;
  /** `METHOD /path` -> why the sweep does not call it (it touches no tenant row by id). */
  skip?: Record<string, string>;
  /** Runs after the sweep: the victim's data is all still there. */
  verify?(victim: TestTenant, seed: SweepSeed): Promise<void>;
}

export const sweepFixtures: SweepFixture[] = [];

export function addSweepFixture(f: SweepFixture): void {
  sweepFixtures.push(f);
}
