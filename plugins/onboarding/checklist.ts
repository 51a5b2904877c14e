// Requirement templates per category and the checklist, evaluated on read (never stored): the
// application's data, attestations, documents and the reviewers' per-item verdicts.
import type { Application, AppStatus, Document, ItemReview, Requirement, DocumentSpec, Template } from './onboarding.model.js';

const MB = 1024 * 1024;
const doc = (o: Partial<DocumentSpec> = {}): DocumentSpec => ({ formats: ['pdf', 'jpg', 'png'], maxBytes: 10 * MB, minFiles: 1, mustBeUnexpired: false, minValidDays: 0, ...o });

/** Mainland China company (ONB-4): licence, legal representative's ID, bank proof, trademark, authorization chain. */
const CN: Requirement[] = [
  { id: 'company_profile', kind: 'computed', required: true, label: 'Company name, unified social credit code and registered address', fields: ['/company/legalName', '/company/registrationNumber', '/company/registeredAddress'] },
  { id: 'bank_account', kind: 'computed', required: true, label: 'Settlement bank account', fields: ['/bank/holderName', '/bank/bankName', '/bank/accountNumber'] },
  { id: 'business_licence', kind: 'verified', required: true, label: 'Business licence (unified social credit code)', document: doc({ mustBeUnexpired: true }) },
  { id: 'legal_rep_id', kind: 'verified', required: true, label: "Legal representative's ID, front and back", document: doc({ minFiles: 2, mustBeUnexpired: true }) },
  { id: 'bank_licence', kind: 'verified', required: true, label: 'Bank account-opening licence or bank proof', document: doc() },
  { id: 'trademark', kind: 'verified', required: true, label: 'Trademark certificate (R) or acceptance notice (TM)', document: doc({ mustBeUnexpired: true }) },
  { id: 'brand_chain', kind: 'computed', required: true, label: 'Authorization chain from the trademark owner to the company, each link valid for a year', fields: ['/brand/name', '/brand/owner'], rule: 'authorization_chain', minValidDays: 365 },
  { id: 'brand_authorization', kind: 'verified', required: true, label: 'Brand authorization chain back to the trademark owner, valid for at least a year', document: doc({ mustBeUnexpired: true, minValidDays: 365 }) },
  { id: 'terms', kind: 'attested', required: true, label: 'I accept the merchant terms' },
];

const GLOBAL: Requirement[] = [
  { id: 'company_profile', kind: 'computed', required: true, label: 'Legal name, registration number, tax ID and registered address', fields: ['/company/legalName', '/company/registrationNumber', '/company/taxId', '/company/registeredAddress'] },
  { id: 'ubos', kind: 'computed', required: true, label: 'Beneficial owners holding 25% or more', fields: ['/company/ubos/0/name'], rule: 'ubo_threshold' },
  { id: 'representative_id', kind: 'verified', required: true, label: "A representative's ID", document: doc({ mustBeUnexpired: true }) },
  { id: 'terms', kind: 'attested', required: true, label: 'I accept the merchant terms' },
];

export const DEFAULT_TEMPLATES = [
  { category: 'cn-general', name: 'Mainland China company, general goods', requirements: CN, depositAmount: null, depositCurrency: null, requiresQualityReport: false },
  {
    category: 'cn-food', name: 'Mainland China company, food (licence, quality reports, deposit)', depositAmount: 5_000_000, depositCurrency: 'CNY',
    requirements: [
      ...CN,
      { id: 'category_licence', kind: 'verified', required: true, label: 'Food business licence', document: doc({ mustBeUnexpired: true }) },
    ] as Requirement[],
    requiresQualityReport: true,
  },
  { category: 'global', name: 'Company outside mainland China', requirements: GLOBAL, depositAmount: null, depositCurrency: null, requiresQualityReport: false },
];

/** The item a category flagged `requiresQualityReport` gets when its template does not list one (ONB-4, 品控). */
export const QUALITY_REPORT: Requirement = { id: 'quality_report', kind: 'verified', required: true, label: 'Quality inspection report (CNAS/CMA)', document: doc() };

/** A template's requirements with what its flags add. */
export function requirementsOf(tpl: Pick<Template, 'requirements' | 'requiresQualityReport'>): Requirement[] {
  const reqs = tpl.requirements;
  return tpl.requiresQualityReport && !reqs.some((r) => r.id === QUALITY_REPORT.id) ? [...reqs, QUALITY_REPORT] : reqs;
}

export const UBO_THRESHOLD = 25;

interface Ubo {
  name?: string;
  sharePercent?: number;
  country?: string;
}

interface Authorization {
  from?: string;
  to?: string;
  validUntil?: string;
}

const same = (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && a.trim().toLowerCase() === b.trim().toLowerCase();

/** Problems a computed requirement's rule finds in the application data. */
export function ruleProblems(r: Requirement, data: Record<string, any>, now: Date): string[] {
  const out: string[] = [];
  if (r.rule === 'ubo_threshold') {
    const ubos = (data.company?.ubos ?? []) as Ubo[];
    if (!ubos.length) out.push('ubos:none');
    const total = ubos.reduce((s, u) => s + (u.sharePercent ?? 0), 0);
    if (total > 100) out.push('ubos:total_over_100');
    ubos.forEach((u, i) => {
      if ((u.sharePercent ?? 0) >= UBO_THRESHOLD && !u.country) out.push(`ubos:country:${i}`);
    });
  }
  if (r.rule === 'authorization_chain') {
    const owner = data.brand?.owner as string | undefined;
    const company = data.company?.legalName as string | undefined;
    const chain = (data.brand?.authorizations ?? []) as Authorization[];
    if (owner && company && !same(owner, company)) {
      if (!chain.length) out.push('chain:missing');
      else {
        if (!same(chain[0].from, owner)) out.push('chain:start');
        for (let i = 1; i < chain.length; i++) if (!same(chain[i].from, chain[i - 1].to)) out.push(`chain:break:${i}`);
        if (!same(chain.at(-1)!.to, company)) out.push('chain:end');
        const min = now.getTime() + (r.minValidDays ?? 0) * 86_400_000;
        chain.forEach((a, i) => {
          if (!a.validUntil || Date.parse(a.validUntil) < min) out.push(`chain:valid_days:${i}`);
        });
      }
    }
  }
  return out;
}

export const REASON_CODES = ['DOC_ILLEGIBLE', 'DOC_EXPIRED', 'NAME_MISMATCH', 'ADDRESS_MISMATCH', 'AUTH_CHAIN_INCOMPLETE', 'TRADEMARK_INVALID', 'CATEGORY_NOT_ALLOWED', 'QUALITY_REPORT_MISSING', 'DUPLICATE_MERCHANT', 'SANCTIONS_HIT', 'BANK_UNVERIFIED', 'OTHER'] as const;

export type ItemStatus = 'incomplete' | 'complete' | 'accepted' | 'rejected';

export interface ChecklistItem {
  id: string;
  kind: Requirement['kind'];
  required: boolean;
  label: string;
  status: ItemStatus;
  /** Why an item is incomplete: `missing:/company/taxId`, `files:1/2`, `expired:<doc id>`. */
  problems: string[];
  reasons: string[];
  note: string | null;
  documents: string[];
}

export function pointerValue(data: unknown, pointer: string): unknown {
  let cur: unknown = data;
  for (const part of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const filled = (v: unknown) => v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');

export function evaluate(app: Application, requirements: Requirement[], docs: Document[], items: ItemReview[], now = new Date()): { items: ChecklistItem[]; progress: { done: number; total: number } } {
  const out: ChecklistItem[] = requirements.map((r) => {
    const problems: string[] = [];
    const mine = docs.filter((d) => d.requirementId === r.id);
    if (r.kind === 'computed') for (const f of r.fields ?? []) if (!filled(pointerValue(app.data, f))) problems.push(`missing:${f}`);
    if (r.kind === 'computed' && r.rule) problems.push(...ruleProblems(r, app.data, now));
    if (r.kind === 'attested' && !app.attestations.includes(r.id)) problems.push('not_attested');
    if (r.kind === 'verified') {
      const spec = r.document!;
      if (mine.length < spec.minFiles) problems.push(`files:${mine.length}/${spec.minFiles}`);
      for (const d of mine) {
        if (spec.mustBeUnexpired && (!d.expiresAt || Date.parse(d.expiresAt) <= now.getTime())) problems.push(`expired:${d.id}`);
        else if (spec.minValidDays && d.expiresAt && Date.parse(d.expiresAt) < now.getTime() + spec.minValidDays * 86_400_000) problems.push(`valid_days:${d.id}`);
      }
    }
    const review = items.find((i) => i.requirementId === r.id);
    const status: ItemStatus = review?.status === 'accepted' ? 'accepted' : review?.status === 'rejected' ? 'rejected' : problems.length ? 'incomplete' : 'complete';
    return { id: r.id, kind: r.kind, required: r.required, label: r.label, status, problems, reasons: review?.reasons ?? [], note: review?.note ?? null, documents: mine.map((d) => d.id) };
  });
  return { items: out, progress: { done: out.filter((i) => i.status === 'complete' || i.status === 'accepted').length, total: out.length } };
}

export function blocking(items: ChecklistItem[]): string[] {
  return items.filter((i) => i.required && (i.status === 'incomplete' || i.status === 'rejected')).map((i) => i.id);
}

// ---- the application machine (ONB-1) -------------------------------------------------------

export type Action = 'submit' | 'start-review' | 'request-info' | 'approve' | 'reject' | 'reopen' | 'withdraw';

export const TRANSITIONS: Record<Action, { from: AppStatus[]; to: AppStatus }> = {
  submit: { from: ['draft', 'needs_info'], to: 'submitted' },
  'start-review': { from: ['submitted'], to: 'in_review' },
  'request-info': { from: ['in_review'], to: 'needs_info' },
  approve: { from: ['in_review'], to: 'approved' },
  reject: { from: ['in_review'], to: 'rejected' },
  reopen: { from: ['rejected'], to: 'draft' },
  withdraw: { from: ['draft', 'submitted', 'needs_info'], to: 'withdrawn' },
};

export const STATUSES: AppStatus[] = ['draft', 'submitted', 'in_review', 'needs_info', 'approved', 'rejected', 'withdrawn'];

/** `from` + N business days (Monday to Friday, UTC), at the same time of day. */
export function addBusinessDays(from: Date, days: number): Date {
  const d = new Date(from.getTime());
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return d;
}
