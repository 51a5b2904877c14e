// Write-only plugin settings are sealed at rest (AES-256-GCM, core/plugins/secrets.ts): a dump of
// the table shows no secret, the plugin still reads them, and keys rotate.
import crypto from 'node:crypto';
import { expect } from 'chai';
import { startTestKit, type TestKit, type KitTenant } from '../../core/plugins/testkit.js';
import { scoped } from '../../core/db/model.js';
import { TenantPlugin } from '../../core/plugins/plugin.model.js';
import { keyring, open, seal, sealFields } from '../../core/plugins/secrets.js';
import payments from '../../plugins/payments/index.js';

describe('plugin secrets at rest', () => {
  let kit: TestKit;
  let shop: KitTenant;
  const KEY = 'sk_test_never_in_the_dump_123';

  before(async () => {
    kit = await startTestKit({ plugin: payments });
    shop = await kit.tenant({ enable: ['payments'], settings: { payments: { cardEnabled: true, cardSecretKey: KEY, cardWebhookSecrets: 'whsec_dump_1', cardBaseUrl: 'http://127.0.0.1:9' } } });
  });
  after(() => kit?.close());

  it('stores writeOnly fields sealed, keeps them on a write that omits them, and the plugin reads them in the clear', async () => {
    const row = await scoped(shop.ctx, TenantPlugin).where('plugin', 'payments').first();
    const dump = JSON.stringify(row);
    expect(dump).not.to.include(KEY);
    expect(dump).not.to.include('whsec_dump_1');
    expect(row!.settings!.cardSecretKey).to.match(/^enc:v1:[0-9a-f]{8}:/);
    const res = await kit.request('PUT', '/admin/v1/plugins/payments/settings', { token: shop.ownerToken, body: { settings: { cardEnabled: true, cardBaseUrl: 'http://127.0.0.1:10' } } });
    expect(res.status, res.text).to.equal(200);
    expect(res.text).not.to.include(KEY);
    const after = await scoped(shop.ctx, TenantPlugin).where('plugin', 'payments').first();
    expect(open(after!.settings!.cardSecretKey as string)).to.equal(KEY);
  });

  it('rotates: an old key still opens, a write re-seals with the new key, a value of an unknown key is refused', () => {
    const a = crypto.randomBytes(32).toString('base64');
    const b = crypto.randomBytes(32).toString('base64');
    const before = keyring({ BAZAAR_SECRETS_KEY: a });
    const sealed = seal('s3cret', before);
    const during = keyring({ BAZAAR_SECRETS_KEY: b, BAZAAR_SECRETS_KEYS_PREVIOUS: a });
    expect(open(sealed, during)).to.equal('s3cret');
    const resealed = sealFields({ k: sealed, other: 'plain' }, ['k'], during)!;
    expect(resealed.k).to.match(new RegExp(`^enc:v1:${during.current.id}:`));
    expect(resealed.other).to.equal('plain');
    expect(() => open(resealed.k as string, keyring({ BAZAAR_SECRETS_KEY: a }))).to.throw(/not configured/);
    expect(() => keyring({ BAZAAR_SECRETS_KEY: 'short' })).to.throw(/32 bytes/);
  });
});
