// Shared set-up of the onboarding tests: a kit with the plugin, applicants signed up through the
// mailed confirmation token, a reviewer with the onboarding grant, and files of each kind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestKit, type TestKit } from '@bazaar/sdk/testing';
import onboarding from '../../../plugins/onboarding/index.js';

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
export const FUTURE = new Date(Date.now() + 3 * 365 * 86_400_000).toISOString();

export async function onboardingKit(extra: Record<string, unknown> = {}): Promise<TestKit & { storageDir: string }> {
  const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bazaar-onb-'));
  const kit = await startTestKit({ plugin: onboarding, options: { onboarding: { storageDir, maxUploadBytes: 64 * 1024, ...extra } } });
  return Object.assign(kit, { storageDir });
}

export function mailTo(kit: TestKit, to: string): Promise<{ subject: string; text: string }> {
  return kit.waitFor(() => [...kit.logs].reverse().find((l) => l.mail?.to === to)?.mail, { what: `a mail to ${to}` });
}

export async function applicant(kit: TestKit, email = `a-${Math.random().toString(36).slice(2, 10)}@apply.test`): Promise<{ email: string; token: string }> {
  const res = await kit.post('/platform/v1/onboarding/applicant/signup', { email, password: 'a long enough password', name: 'Li Lei' });
  if (res.status !== 201) throw new Error(`signup: ${res.text} ${JSON.stringify(kit.logs.filter((l) => l.level >= 50).map((l) => l.err?.message ?? l.err))}`);
  const mail = await mailTo(kit, email);
  const token = /bza_[A-Za-z0-9_-]{43}/.exec(mail.text)![0];
  const confirmed = await kit.post('/platform/v1/onboarding/applicant/confirm', { token });
  if (confirmed.status !== 200) throw new Error(`confirm: ${confirmed.text}`);
  return { email, token: confirmed.body.token };
}

export async function reviewer(kit: TestKit, permissions = ['onboarding:review', 'merchant:pii:read']): Promise<string> {
  const token = await kit.platformToken();
  const admin = (await kit.kernel.pool.control('platform_admins').first()) as { id: string };
  const res = await kit.put(`/platform/v1/onboarding/reviewers/${admin.id}`, { permissions }, { token });
  if (res.status !== 200) throw new Error(`grant: ${res.text}`);
  return token;
}

export const COMPLETE_DATA = {
  company: { legalName: '杭州示例贸易有限公司', registrationNumber: '91330100MA27XXXX1X', registeredAddress: '杭州市西湖区文三路 1 号', country: 'CN' },
  brand: { name: 'Sample', trademarkNumber: '12345678', trademarkType: 'R', owner: '杭州示例贸易有限公司' },
  bank: { holderName: '杭州示例贸易有限公司', bankName: 'ICBC', accountNumber: '6222020200112233445' },
  legalRepresentative: { name: '李雷', idNumber: '110101199003071234' },
};

export const CN_DOCS = [['business_licence', 1], ['legal_rep_id', 2], ['bank_licence', 1], ['trademark', 1], ['brand_authorization', 1]] as const;

export async function upload(kit: TestKit, token: string, appId: string, requirement: string, bytes = PDF, opts: { filename?: string; type?: string; expiresAt?: string | null } = {}) {
  const q = new URLSearchParams({ requirement, filename: opts.filename ?? `${requirement}.pdf` });
  if (opts.expiresAt !== null) q.set('expiresAt', opts.expiresAt ?? FUTURE);
  const res = await fetch(`${kit.baseUrl}/platform/v1/onboarding/applicant/applications/${appId}/documents?${q}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': opts.type ?? 'application/pdf' }, body: bytes });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, text };
}

/** A draft with every CN item filled in except `skip`. */
export async function readyApplication(kit: TestKit, token: string, opts: { slug?: string; category?: string; skip?: string[] } = {}): Promise<string> {
  const slug = opts.slug ?? `shop-${Math.random().toString(36).slice(2, 10)}`;
  const made = await kit.post('/platform/v1/onboarding/applicant/applications', { category: opts.category ?? 'cn-general', storeName: 'Sample Flagship', storeSlug: slug, data: COMPLETE_DATA }, { token });
  if (made.status !== 201) throw new Error(`create: ${made.text}`);
  const id = made.body.id as string;
  for (const [req, n] of CN_DOCS) {
    if (opts.skip?.includes(req)) continue;
    for (let i = 0; i < n; i++) {
      const up = await upload(kit, token, id, req);
      if (up.status !== 201) throw new Error(`upload ${req}: ${up.text}`);
    }
  }
  const att = await kit.post(`/platform/v1/onboarding/applicant/applications/${id}/attestations`, { requirementId: 'terms' }, { token });
  if (att.status !== 200) throw new Error(`attest: ${att.text}`);
  return id;
}
