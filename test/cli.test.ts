import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { SMTPServer } from 'smtp-server';
import { testEnv } from './support/runtime.js';
import { unique, PASSWORD } from './support/factories.js';
import { post } from './support/http.js';

function bazaar(...args: string[]) {
  return spawnSync(process.execPath, ['bin/bazaar.js', ...args], { env: testEnv(), encoding: 'utf8', timeout: 60_000 });
}

describe('bazaar CLI', function () {
  this.timeout(120_000);

  it('tenant:create provisions a store whose owner can sign in', () => {
    const slug = unique('cli');
    const out = bazaar('tenant:create', '--slug', slug, '--name', 'CLI Shop', '--owner-email', `o@${slug}.test`, '--owner-password', PASSWORD, '--currency', 'JPY');
    expect(out.status, out.stderr).to.equal(0);
    const tenant = JSON.parse(out.stdout);
    expect(tenant).to.include({ slug, defaultCurrency: 'JPY' });
    return post('/admin/v1/auth/login', { tenant: slug, email: `o@${slug}.test`, password: PASSWORD }).then((res) => expect(res.status).to.equal(200));
  });

  it('tenant:create without a password sends the owner the link before exiting, on the in-process queue, and says where it went', async () => {
    const inbox: { to: string; raw: string }[] = [];
    const smtp = new SMTPServer({
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
    try {
      const host = `127.0.0.1:${(smtp.server.address() as { port: number }).port}`;
      const slug = unique('cli-mail');
      const owner = `o@${slug}.test`;
      const child = spawn(process.execPath, ['bin/bazaar.js', 'tenant:create', '--slug', slug, '--name', 'Mail Shop', '--owner-email', owner], {
        env: testEnv({ REDIS_URL: '', SMTP_URL: `smtp://${host}` }),
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.stdout.resume();
      const code = await new Promise<number | null>((r) => child.on('exit', r));
      expect(code, stderr).to.equal(0);
      expect(inbox.map((m) => m.to)).to.include(owner);
      expect(stderr).to.include(`mailed to ${owner}`).and.include(host);
    } finally {
      await new Promise((r) => smtp.close(() => r(undefined)));
    }
  });

  it('tenant:create names the bad flag and creates nothing', () => {
    const out = bazaar('tenant:create', '--slug', 'Not A Slug', '--name', 'x', '--owner-email', 'nope', '--currency', 'ZZZ');
    expect(out.status).to.equal(2);
    expect(out.stderr).to.include('--slug').and.include('--owner-email').and.include('--currency');
  });

  it('admin:create makes a platform admin who can sign in', async () => {
    const email = `${unique('root')}@platform.test`;
    const out = bazaar('admin:create', '--email', email, '--password', PASSWORD);
    expect(out.status, out.stderr).to.equal(0);
    const login = await post('/platform/v1/auth/login', { email, password: PASSWORD });
    expect(login.status).to.equal(200);
  });

  it('explains itself on an unknown command', () => {
    const out = bazaar('frobnicate');
    expect(out.status).to.equal(2);
    expect(out.stdout).to.include('usage: bazaar');
  });
});
