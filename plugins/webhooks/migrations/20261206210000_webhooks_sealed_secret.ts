import type { Knex } from '@bazaar/sdk';
import { isSealed, sealSecret } from '@bazaar/sdk';

// Endpoint secrets are sealed at rest (enc:v1:<key id>:<base64>, about 130 characters): the column
// grows, and secrets stored in the clear before are sealed now.
export async function up(db: Knex): Promise<void> {
  // SQLite does not enforce a varchar's length; MySQL/MariaDB needs the column widened.
  if (!String(db.client.driverName).includes('sqlite')) {
    await db.schema.alterTable('webhooks_endpoints', (t) => {
      t.string('secret', 512).notNullable().alter();
    });
  }
  const rows = (await db('webhooks_endpoints').select('tenant_id', 'id', 'secret')) as { tenant_id: string; id: string; secret: string }[];
  for (const r of rows) {
    if (!isSealed(r.secret)) await db('webhooks_endpoints').where({ tenant_id: r.tenant_id, id: r.id }).update({ secret: sealSecret(r.secret) });
  }
}

export async function down(): Promise<void> {
  // Sealed secrets stay sealed and the column stays wide: narrowing it would cut them.
}
