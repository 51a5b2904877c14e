// Documents in an S3-compatible store (a fake S3 on 127.0.0.1 that checks every SigV4 signature),
// the applicant sign-in throttle, and the production key read from the kernel's config.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { startTestKit, type TestKit } from '@bazaar/sdk/testing';
import onboarding from '../../../plugins/onboarding/index.js';
import { signV4 } from '../../../plugins/onboarding/s3.js';
import { PNG, applicant, readyApplication, reviewer, upload } from './helpers.js';

const A = '/platform/v1/onboarding/applicant';
const R = '/platform/v1/onboarding';
const KEY_ID = 'AKIDONBOARDINGTEST';
const SECRET = 'onboarding-test-secret-key';

/** An in-memory S3: path-style PUT/GET/DELETE, each request's SigV4 signature and payload hash recomputed. */
function fakeS3(secret = SECRET) {
  const objects = new Map<string, Buffer>();
  const refused: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const auth = String(req.headers.authorization ?? '');
      const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(auth);
      const amzDate = String(req.headers['x-amz-date'] ?? '');
      const hash = String(req.headers['x-amz-content-sha256'] ?? '');
      const deny = (code: string, status = 403) => {
        refused.push(code);
        res.writeHead(status, { 'content-type': 'application/xml' }).end(`<Error><Code>${code}</Code></Error>`);
      };
      if (!m || m[1] !== KEY_ID) return deny('InvalidAccessKeyId');
      if (hash !== crypto.createHash('sha256').update(body).digest('hex')) return deny('XAmzContentSHA256Mismatch', 400);
      const signed = Object.fromEntries(m[4].split(';').filter((h) => !['host', 'x-amz-date', 'x-amz-content-sha256'].includes(h)).map((h) => [h, String(req.headers[h])]));
      const now = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
      const expected = signV4({ method: req.method!, url: new URL(req.url!, `http://${req.headers.host}`), headers: signed, payloadHash: hash, now, region: m[3], accessKeyId: KEY_ID, secretAccessKey: secret });
      if (expected.authorization !== auth) return deny('SignatureDoesNotMatch');
      const key = req.url!;
      if (req.method === 'PUT') {
        objects.set(key, body);
        return res.writeHead(200).end();
      }
      if (req.method === 'GET') return objects.has(key) ? res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(objects.get(key)) : deny('NoSuchKey', 404);
      if (req.method === 'DELETE') {
        objects.delete(key);
        return res.writeHead(204).end();
      }
      return deny('MethodNotAllowed', 405);
    });
  });
  return {
    objects,
    refused,
    async start(): Promise<string> {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

describe('onboarding: S3 documents, sign-in throttle, config', function () {
  this.timeout(120_000);

  it('signs a request exactly as the AWS SigV4 example for S3 GetObject', () => {
    // docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html, "Example: GET Object".
    const h = signV4({
      method: 'GET', url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'), headers: { range: 'bytes=0-9' },
      payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', now: new Date('2013-05-24T00:00:00Z'),
      region: 'us-east-1', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    });
    expect(h.authorization).to.equal('AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
  });

  describe('with an S3-compatible store', () => {
    const s3 = fakeS3();
    let kit: TestKit;
    before(async () => {
      const endpoint = await s3.start();
      kit = await startTestKit({ plugin: onboarding, options: { onboarding: { maxUploadBytes: 64 * 1024, s3: { endpoint, bucket: 'bazaar-docs', region: 'cn-east-1', accessKeyId: KEY_ID, secretAccessKey: SECRET, prefix: 'onboarding/' } } } });
    });
    after(async () => {
      await kit?.close();
      await s3.close();
    });

    it('keeps each document encrypted in the bucket under the applicant, gives it back, and deletes it', async () => {
      const me = await applicant(kit);
      const rev = await reviewer(kit);
      const id = await readyApplication(kit, me.token, { skip: ['bank_licence'] });
      const up = await upload(kit, me.token, id, 'bank_licence', PNG, { filename: 'bank.png', type: 'image/png' });
      expect(up.status).to.equal(201);
      const key = [...s3.objects.keys()].find((k) => k.endsWith(up.body.id))!;
      expect(key).to.match(new RegExp(`^/bazaar-docs/onboarding/[0-9a-f-]{36}/${up.body.id}$`));
      expect(s3.objects.get(key)!.includes(PNG.subarray(0, 8))).to.equal(false);
      const back = await fetch(`${kit.baseUrl}${R}/applications/${id}/documents/${up.body.id}/content`, { headers: { authorization: `Bearer ${rev}` } });
      expect(back.status).to.equal(200);
      expect(Buffer.from(await back.arrayBuffer()).equals(PNG)).to.equal(true);
      const gone = await fetch(`${kit.baseUrl}${A}/applications/${id}/documents/${up.body.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${me.token}` } });
      expect(gone.status).to.equal(204);
      expect(s3.objects.has(key)).to.equal(false);
      expect(s3.refused).to.deep.equal([]);
    });

    it('a store that refuses the signature is a 503 naming the store, and nothing is recorded', async () => {
      const bad = fakeS3('another secret');
      const endpoint = await bad.start();
      const kit2 = await startTestKit({ plugin: onboarding, options: { onboarding: { s3: { endpoint, bucket: 'bazaar-docs', region: 'cn-east-1', accessKeyId: KEY_ID, secretAccessKey: SECRET } } } });
      try {
        const me = await applicant(kit2);
        const id = await readyApplication(kit2, me.token, { skip: ['business_licence', 'legal_rep_id', 'bank_licence', 'trademark', 'brand_authorization'] });
        const up = await upload(kit2, me.token, id, 'bank_licence');
        expect(up.status).to.equal(503);
        expect(up.body.code).to.equal('DOCUMENT_STORE_UNAVAILABLE');
        expect(bad.refused).to.deep.equal(['SignatureDoesNotMatch']);
        expect(await kit2.kernel.pool.control('onboarding_documents').where('application_id', id)).to.deep.equal([]);
      } finally {
        await kit2.close();
        await bad.close();
      }
    });
  });

  describe('applicant sign-in throttle (LOGIN_MAX_FAILURES=3)', () => {
    let kit: TestKit;
    before(async () => {
      kit = await startTestKit({ plugin: onboarding, env: { LOGIN_MAX_FAILURES: '3', LOGIN_WINDOW_SECONDS: '600' } });
      // Redis outlives a run: this address starts with no attempts counted.
      await kit.kernel.cache.del('p:plugin:onboarding:login:ip:127.0.0.1');
    });
    after(async () => {
      await kit?.close();
    });

    it('counts each attempt before the password check, per account and per address', async () => {
      const login = (email: string, password: string) => kit.post(`${A}/login`, { email, password });
      const s = await applicant(kit);
      // A right password starts the account afresh: three more failures are still only 401s.
      expect((await login(s.email, 'wrong password 1')).status).to.equal(401);
      expect((await login(s.email, 'a long enough password')).status).to.equal(200);
      for (let i = 0; i < 3; i++) expect((await login(s.email, `wrong ${i}`)).status).to.equal(401);

      // Six guesses at once: only three reach the password check; then even the right one is refused.
      const a = await applicant(kit);
      const burst = await Promise.all(Array.from({ length: 6 }, (_, i) => login(a.email, `guess ${i}`)));
      expect(burst.map((r) => r.status).sort()).to.deep.equal([401, 401, 401, 429, 429, 429]);
      const right = await login(a.email, 'a long enough password');
      expect(right.status).to.equal(429);
      expect(right.body.code).to.equal('LOGIN_THROTTLED');
      expect(Number(right.headers.get('retry-after'))).to.be.within(1, 600);

      // This address has now made 12 attempts (3 x 4): a fresh account from it is refused too.
      const fresh = await login('nobody-yet@apply.test', 'whatever it is');
      expect(fresh.status).to.equal(429);
    });
  });

  it('demands its encryption key when the kernel runs in production (read from api.config, not process.env)', async () => {
    expect(process.env.NODE_ENV).not.to.equal('production');
    let failure: Error | undefined;
    try {
      const kit = await startTestKit({ plugin: onboarding, env: { NODE_ENV: 'production', METRICS_TOKEN: 'a-metrics-token-of-enough-length' } });
      await kit.close();
    } catch (err) {
      failure = err as Error;
    }
    expect(failure?.message).to.include('"encryptionKey" is required in production');
  });
});
