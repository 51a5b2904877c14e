// Password reset by mail, delivered over SMTP to a real SMTP server started by the test.
import { expect } from 'chai';
import { SMTPServer } from 'smtp-server';
import { createRuntime, type Runtime } from '../../core/server.js';
import { testConfig } from '../support/runtime.js';
import { makeTenant, makeCustomer, PASSWORD, type TestTenant } from '../support/factories.js';

interface Mail {
  to: string;
  raw: string;
}

describe('POST /store/v1/auth/password-reset (over SMTP)', () => {
  let smtp: SMTPServer;
  let inbox: Mail[];
  let rt: Runtime;
  let base: string;
  let shop: TestTenant;

  before(async () => {
    inbox = [];
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      onData(stream, session, done) {
        let raw = '';
        stream.on('data', (c: Buffer) => (raw += c.toString()));
        stream.on('end', () => {
          inbox.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), raw });
          done();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    const port = (smtp.server.address() as { port: number }).port;
    shop = await makeTenant();
    // Its own queue prefix: on Redis the shared test runtime would otherwise take its mail jobs.
    rt = await createRuntime({ config: testConfig({ SMTP_URL: `smtp://127.0.0.1:${port}`, QUEUE_PREFIX: '{bazaar-smtp-test}' }), role: 'all', migrate: false });
    const server = await rt.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  after(async () => {
    await rt.close();
    await new Promise((r) => smtp.close(() => r(undefined)));
  });

  async function send(path: string, body: unknown) {
    const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-tenant': shop.slug }, body: JSON.stringify(body) });
    return { status: res.status, body: (res.status === 204 || res.status === 202 ? null : await res.json()) as any };
  }

  async function waitForMail(to: string): Promise<Mail> {
    for (let i = 0; i < 100; i++) {
      const mail = inbox.find((m) => m.to === to);
      if (mail) return mail;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no mail for ${to}`);
  }

  it('mails a single-use token that sets a new password', async () => {
    const c = await makeCustomer(shop);
    expect((await send('/store/v1/auth/password-reset', { email: c.email })).status).to.equal(202);
    const mail = await waitForMail(c.email);
    expect(mail.raw).to.include(`Reset your password at ${shop.tenant.name}`);
    const token = /(bzt_[0-9a-f]{32}_[A-Za-z0-9_-]{43})/.exec(mail.raw.replace(/=\r?\n/g, ''))![1];
    expect((await send('/store/v1/auth/password-reset/confirm', { token, password: 'my new password 1' })).status).to.equal(204);
    const again = await send('/store/v1/auth/password-reset/confirm', { token, password: 'my new password 2' });
    expect(again.status).to.equal(400);
    expect(again.body.code).to.equal('RESET_TOKEN_INVALID');
    expect((await send('/store/v1/auth/login', { email: c.email, password: PASSWORD })).status).to.equal(401);
    expect((await send('/store/v1/auth/login', { email: c.email, password: 'my new password 1' })).status).to.equal(200);
  });

  it('answers an unknown email the same way and sends nothing', async () => {
    const before = inbox.length;
    expect((await send('/store/v1/auth/password-reset', { email: 'nobody-here@example.com' })).status).to.equal(202);
    await new Promise((r) => setTimeout(r, 300));
    expect(inbox.length).to.equal(before);
  });

  it('refuses a forged token', async () => {
    const forged = `bzt_${shop.tenant.id.replace(/-/g, '')}_${'A'.repeat(43)}`;
    const res = await send('/store/v1/auth/password-reset/confirm', { token: forged, password: 'whatever password' });
    expect(res.status).to.equal(400);
    expect(res.body.errors[0].pointer).to.equal('/token');
  });
});
