// Mail goes through the notification provider of a plugin the store has enabled; other stores
// keep the core's provider.
import { expect } from 'chai';
import { definePlugin } from '@bazaar/sdk';
import { startTestKit, type TestKit } from '../../core/plugins/testkit.js';
import type { Message } from '../../core/notify/notification.js';

const sent: { to: string; subject: string; tenantId: string | null }[] = [];

const smsLike = definePlugin({
  name: 'mail-relay',
  version: '1.0.0',
  core: '>=0.1.0',
  register(api) {
    api.provide('notification', {
      id: 'mail-relay',
      name: 'mail-relay',
      async send(message: Message, meta: { tenantId: string | null }) {
        sent.push({ to: message.to, subject: message.subject, tenantId: meta.tenantId });
      },
    });
  },
});

describe('notification providers per store', function () {
  this.timeout(60_000);
  let kit: TestKit;
  before(async () => {
    kit = await startTestKit({ plugin: smsLike });
  });
  after(async () => kit?.close());

  it("sends a store's mail through its enabled plugin provider, and nobody else's", async () => {
    const withPlugin = await kit.tenant({ enable: ['mail-relay'] });
    const without = await kit.tenant();
    const signup = (slug: string, email: string) => kit.post('/store/v1/auth/signup', { email, password: 'correct horse battery', name: 'N' }, { tenant: slug });
    expect((await signup(withPlugin.slug, 'a@example.com')).status).to.equal(201);
    expect((await signup(without.slug, 'b@example.com')).status).to.equal(201);
    expect((await kit.post('/store/v1/auth/password-reset', { email: 'a@example.com' }, { tenant: withPlugin.slug })).status).to.equal(202);
    expect((await kit.post('/store/v1/auth/password-reset', { email: 'b@example.com' }, { tenant: without.slug })).status).to.equal(202);
    await kit.waitFor(() => sent.some((m) => m.to === 'a@example.com'), { what: 'mail through the plugin' });
    // The other store's mail goes to the core's provider (the log in tests).
    await kit.waitFor(() => kit.logs.some((l) => l.mail?.to === 'b@example.com'), { what: 'mail through the core provider' });
    expect(sent.map((m) => m.to)).to.deep.equal(['a@example.com']);
    expect(sent[0].tenantId).to.equal(withPlugin.tenant.id);
  });
});
