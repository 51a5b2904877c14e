// Idempotency keys get a lease (a running key whose process died is taken over after it), a
// holder (only the process holding the lease may record the answer), an expiry (keys live 24 h)
// and an encrypted body: the stored answer of a guest's checkout carries its order token.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  // Answers stored before this change are readable text: drop them (a replay of those keys runs afresh).
  await db('idempotency_keys').delete();
  await db.schema.alterTable('idempotency_keys', (t) => {
    t.string('holder', 32).nullable();
    t.datetime('lease_expires_at', { precision: 3 }).nullable();
    t.datetime('expires_at', { precision: 3 }).nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('idempotency_keys', (t) => {
    t.dropColumn('holder');
    t.dropColumn('lease_expires_at');
    t.dropColumn('expires_at');
  });
}
