// The filter as the host runs it (plugin gate, ctx, settings, client address, IP lists, rate
// limit, inspection), called directly without HTTP. Its cost is measured by bench/waf.sh
// (npm run bench:waf), not asserted here.
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { expect } from 'chai';
import { startTestKit, type KitTenant, type TestKit } from '../../../core/plugins/testkit.js';
import { hostOf } from '../../../core/plugins/host.js';
import { ANONYMOUS } from '../../../core/context.js';
import waf from '../../../plugins/waf/index.js';

const BROWSER = {
  'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  accept: 'application/json',
  'accept-language': 'en-GB,en;q=0.9',
  'accept-encoding': 'gzip, deflate, br',
  connection: 'keep-alive',
  referer: 'https://shop.example.com/collections/shoes',
};

describe('waf filter middleware', function () {
  this.timeout(60_000);
  let kit: TestKit;
  let on: KitTenant;
  let off: KitTenant;

  before(async () => {
    kit = await startTestKit({ plugin: waf });
    on = await kit.tenant({ enable: ['waf'] });
    off = await kit.tenant();
  });
  after(async () => {
    await kit?.close();
  });

  /** Sends one storefront GET through the filter; the status it was refused with, or 'next'. */
  async function send(t: KitTenant, i: number, query: string): Promise<number | 'next'> {
    const filter = hostOf(kit.kernel).middleware().find((m) => m.name === 'waf:filter')!;
    const socket = new Socket();
    Object.defineProperty(socket, 'remoteAddress', { value: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` });
    const req = new IncomingMessage(socket);
    req.method = 'GET';
    req.url = `/store/v1/products?${query}`;
    req.headers = { host: `${t.slug}.localhost`, ...BROWSER, cookie: `cart=c${i % 97}; locale=en` };
    const koa = kit.runtime.app.createContext(req, new ServerResponse(req));
    Object.assign(koa.state, { tenant: t.tenant, requestId: `r${i}`, actor: ANONYMOUS, locale: 'en', startedAt: 0n });
    let reached = false;
    try {
      await filter.middleware(koa as never, async () => {
        reached = true;
      });
    } catch (err) {
      return (err as { status: number }).status;
    }
    return reached ? 'next' : koa.status;
  }

  it('lets 5,000 ordinary storefront GETs from as many shoppers through', async () => {
    const refused: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const outcome = await send(on, i, `limit=20&sort=price_asc&category=shoes&page=${1 + (i % 5)}`);
      if (outcome !== 'next') refused.push(`#${i}: ${outcome}`);
    }
    expect(refused).to.deep.equal([]);
  });

  it('refuses an attack among them with 403, the same on every repeat', async () => {
    const attack = `q=${encodeURIComponent("' union select password from users--")}`;
    const outcomes = [];
    for (let i = 0; i < 5; i++) {
      outcomes.push(await send(on, 6000 + i, 'limit=20&sort=price_asc'), await send(on, 7000 + i, attack));
    }
    expect(outcomes).to.deep.equal(Array.from({ length: 5 }, () => ['next', 403]).flat());
  });

  it('reads the query from its raw bytes: overlong UTF-8 that Koa turns into U+FFFD is still judged', async () => {
    const overlong = 'note=%c0%bciframe%20src%3D//evil.example%c0%be&limit=20';
    expect(await send(on, 8000, overlong)).to.equal(403);
    expect(await send(on, 8001, 'note=caf%e9%20cr%e8me&limit=20')).to.equal('next');
  });

  it('passes the request of a store with the plugin off straight to next()', async () => {
    const attack = `q=${encodeURIComponent("' union select password from users--")}`;
    expect(await send(off, 1, 'limit=20')).to.equal('next');
    expect(await send(off, 2, attack)).to.equal('next');
  });
});
