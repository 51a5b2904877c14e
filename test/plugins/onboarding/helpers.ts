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

/** Applies, is approved, sets the owner's password from the invitation, accepts the contract, signs the owner in. */
export async function openStore(kit: TestKit, rev: string): Promise<{ id: string; slug: string; storeId: string; applicant: { email: string; token: string }; owner: string }> {
  const who = await applicant(kit);
  const slug = `s-${Math.random().toString(36).slice(2, 10)}`;
  const id = await readyApplication(kit, who.token, { slug });
  const submitted = await kit.post(`/platform/v1/onboarding/applicant/applications/${id}/submit`, {}, { token: who.token });
  if (submitted.status !== 200) throw new Error(`submit: ${submitted.text}`);
  await kit.post(`/platform/v1/onboarding/applications/${id}/start-review`, {}, { token: rev });
  const approved = await kit.post(`/platform/v1/onboarding/applications/${id}/approve`, {}, { token: rev });
  if (approved.status !== 200) throw new Error(`approve: ${approved.text}`);
  const reset = /bzt_[0-9a-f]{32}_[A-Za-z0-9_-]{43}/.exec((await mailTo(kit, who.email)).text)![0];
  const pw = await kit.post('/admin/v1/auth/password-reset/confirm', { token: reset, password: 'owner password 123' });
  if (pw.status !== 204) throw new Error(`password: ${pw.text}`);
  const accepted = await kit.post(`/platform/v1/onboarding/applicant/applications/${id}/accept-contract`, {}, { token: who.token });
  if (!accepted.body.activatedAt) throw new Error(`contract: ${accepted.text}`);
  const login = await kit.post('/admin/v1/auth/login', { tenant: slug, email: who.email, password: 'owner password 123' });
  if (login.status !== 200) throw new Error(`login: ${login.text}`);
  return { id, slug, storeId: approved.body.storeId, applicant: who, owner: login.body.token };
}

export const productBody = (status: string, name = `P ${Math.random().toString(36).slice(2, 8)}`) => ({
  status, translations: { en: { name, description: name } }, attributes: {}, images: [], categoryIds: [],
  variants: [{ sku: `SKU-${Math.random().toString(36).slice(2, 10)}`, prices: [{ currency: 'USD', amount: 1500 }], stock: 50 }],
});

/** A product of the store approved at the quality gate and live. */
export async function liveProduct(kit: TestKit, rev: string, store: { storeId: string; owner: string }, name?: string): Promise<string> {
  const draft = await kit.post('/admin/v1/products', productBody('draft', name), { token: store.owner });
  if (draft.status !== 201) throw new Error(`draft: ${draft.text}`);
  await kit.patch(`/admin/v1/products/${draft.body.id}`, { status: 'active' }, { token: store.owner });
  const queue = await kit.get(`/platform/v1/onboarding/products?storeId=${store.storeId}`, { token: rev });
  const review = queue.body.items.find((p: { productId: string }) => p.productId === draft.body.id);
  if (!review) return draft.body.id; // published at once (automatic approval earned)
  const ok = await kit.post(`/platform/v1/onboarding/products/${review.id}/approve`, {}, { token: rev });
  if (ok.status !== 200) throw new Error(`approve product: ${ok.text}`);
  return draft.body.id;
}
