// The harness refuses any socket outside loopback (test/support/network-guard.ts).
import net from 'node:net';
import { expect } from 'chai';
import { isLoopback, takeNetworkViolations } from './support/network-guard.js';

describe('network guard', () => {
  it('knows loopback', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1', undefined]) expect(isLoopback(h), String(h)).to.equal(true);
    for (const h of ['10.0.0.1', '203.0.113.9', 'api.stripe.com', '::ffff:8.8.8.8', '2001:db8::1']) expect(isLoopback(h), h).to.equal(false);
  });

  it('refuses a connection to the outside before it is made, and records it', async () => {
    const err = await new Promise<Error>((resolve) => {
      const s = net.connect({ host: '203.0.113.9', port: 443 });
      s.on('error', resolve);
      s.on('connect', () => resolve(new Error('connected')));
    });
    expect(err.message).to.match(/network guard: .*203\.0\.113\.9/);
    const fetched = await fetch('http://api.stripe.com:80/v1/charges').then(() => 'reached', (e: Error) => String(e.cause ?? e));
    expect(fetched).to.match(/network guard|not loopback/);
    expect(takeNetworkViolations()).to.have.length(2); // taken here, so this test itself passes
  });

  it('lets loopback through', async () => {
    const server = net.createServer((c) => c.end('hi'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const got = await new Promise<string>((resolve, reject) => net.connect(port, '127.0.0.1').on('data', (d) => resolve(String(d))).on('error', reject));
    server.close();
    expect(got).to.equal('hi');
  });
});
