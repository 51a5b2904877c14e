// The onboarding service: applicants, applications, documents, reviews, decisions, provisioning.
import crypto from 'node:crypto';
import type { Ctx, Knex, OrderStatsService, PluginCache, PluginConfigView, PluginMetrics, TenantProvisionService, NotificationService } from '@bazaar/sdk';
import { AppError, ConflictError, ForbiddenError, InvalidError, NotFoundError, TooManyRequestsError, UnauthorizedError, exponentOf, isUniqueViolation, newId, recordAudit } from '@bazaar/sdk';
import { Applicant, ApplicantToken, Application, Decision, Deposit, Document, ItemReview, Reviewer, Template, type AppStatus, type PayoutAccountStatus, type ReasonRef, type Requirement, type StoreStatus } from './onboarding.model.js';
import { TRANSITIONS, addBusinessDays, blocking, evaluate, pointerValue, requirementsOf, type Action } from './checklist.js';
import { CONTENT_TYPES, EXTENSIONS, mask, scryptHash, scryptVerify, sniff, type DocumentStore, type Sealer } from './files.js';

export interface OnboardingOptions {
  reviewBusinessDays: number;
  activationDeadlineDays: number;
  /** ONB-8: days a store has to top its deposit up before it is suspended (15, Tmall). */
  topUpDays: number;
  maxUploadBytes: number;
  confirmTtlHours: number;
  sessionTtlHours: number;
  maxOpenApplications: number;
}

export interface Deps {
  options: OnboardingOptions;
  sealer: Sealer;
  store: DocumentStore;
  provisioner: TenantProvisionService;
  orders: OrderStatsService;
  mail: NotificationService;
  metrics: PluginMetrics;
  /** Sign-in attempt counters (Redis when configured, so every web process shares them). */
  cache: PluginCache;
  config: PluginConfigView;
  issueToken(): { token: string; hash: string };
  t(ctx: Ctx, key: string, vars?: Record<string, unknown>): string;
}

const field = (pointer: string, code: string, message: string, where = 'body') => [{ in: where, pointer, code, message }];
const nowIso = () => new Date().toISOString();
/** Minor units as the major-unit amount a person reads (500000 CNY minor -> "5000.00"). */
const major = (minor: number, currency: string) => (minor / 10 ** exponentOf(currency)).toFixed(exponentOf(currency));
/** Sensitive fields: encrypted at rest, masked in answers (ONB-13). */
const SECRET_FIELDS = ['/bank/accountNumber', '/legalRepresentative/idNumber'];
export const REVIEW = 'onboarding:review';
export const PII = 'merchant:pii:read';
/** An address may fail for a few accounts before it is stopped too (the core's IP_FACTOR). */
export const LOGIN_IP_FACTOR = 4;

function actorOf(ctx: Ctx): { type: string; id: string | null } {
  const a = ctx.actor;
  return { type: a.type, id: 'id' in a ? a.id : a.type === 'system' ? a.name : null };
}

export function createService(deps: Deps) {
  const { options, sealer, store } = deps;

  // ---- applicants ------------------------------------------------------------------------

  async function signUp(ctx: Ctx, input: { email: string; password: string; name: string }) {
    const email = input.email.trim().toLowerCase();
    let applicant: Applicant;
    try {
      applicant = await Applicant.query(ctx.db).insert({ email, name: input.name, passwordHash: await scryptHash(input.password), emailConfirmedAt: null });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('APPLICANT_EXISTS', 'An applicant with this email exists', { errors: field('/email', 'taken', 'body.email is already registered') });
      throw err;
    }
    const { token, hash } = deps.issueToken();
    await ApplicantToken.query(ctx.db).insert({ tokenHash: hash, applicantId: applicant.id, kind: 'confirm', expiresAt: new Date(Date.now() + options.confirmTtlHours * 3600_000).toISOString(), usedAt: null, createdAt: nowIso() });
    await deps.mail.sendMail(ctx, { to: email, subject: deps.t(ctx, 'mail.confirm.subject'), text: deps.t(ctx, 'mail.confirm.body', { name: input.name, token, hours: options.confirmTtlHours }) });
    return applicant;
  }

  async function startSession(ctx: Ctx, applicantId: string) {
    const { token, hash } = deps.issueToken();
    const expiresAt = new Date(Date.now() + options.sessionTtlHours * 3600_000).toISOString();
    await ApplicantToken.query(ctx.db).insert({ tokenHash: hash, applicantId, kind: 'session', expiresAt, usedAt: null, createdAt: nowIso() });
    return { token, expiresAt };
  }

  async function confirm(ctx: Ctx, tokenHash: string) {
    const invalid = new InvalidError('CONFIRM_TOKEN_INVALID', 'The confirmation token is invalid, used or expired', { errors: field('/token', 'invalid', 'body.token is invalid, used or expired') });
    const row = await ApplicantToken.query(ctx.db).findById(tokenHash);
    if (!row || row.kind !== 'confirm' || row.usedAt || row.expiresAt <= nowIso()) throw invalid;
    const flipped = await ApplicantToken.query(ctx.db).patch({ usedAt: nowIso() }).where('token_hash', tokenHash).whereNull('used_at');
    if (flipped !== 1) throw invalid;
    await Applicant.query(ctx.db).patch({ emailConfirmedAt: nowIso() }).where('id', row.applicantId);
    return startSession(ctx, row.applicantId);
  }

  /**
   * As the core's staff sign-in: the attempt is counted atomically BEFORE the password is checked,
   * per account and per client address, so guesses sent at once cannot slip in between a read and
   * a write; past the limit every attempt is a 429 with Retry-After, right password or not.
   */
  async function login(ctx: Ctx, emailIn: string, password: string, ip: string) {
    const email = emailIn.trim().toLowerCase();
    const max = deps.config.loginMaxFailures;
    const window = deps.config.loginWindowSeconds;
    const accountKey = `login:acct:${crypto.createHash('sha256').update(email).digest('hex')}`;
    const [account, address] = await deps.cache.incrMany([
      { ctx, key: accountKey, ttlSeconds: window },
      { ctx, key: `login:ip:${ip}`, ttlSeconds: window },
    ]);
    const over = [account.count > max ? account : null, address.count > max * LOGIN_IP_FACTOR ? address : null].filter((c) => c !== null);
    if (over.length) throw new TooManyRequestsError(Math.max(...over.map((c) => c.ttlSeconds)), 'LOGIN_THROTTLED');
    const applicant = await Applicant.query(ctx.db).where('email', email).first();
    const ok = applicant ? await scryptVerify(password, applicant.passwordHash) : (await scryptHash(password), false);
    if (!applicant || !ok) throw new UnauthorizedError('INVALID_CREDENTIALS', 'The email or password is not right');
    await deps.cache.del(ctx, accountKey);
    if (!applicant.emailConfirmedAt) throw new ForbiddenError('EMAIL_NOT_CONFIRMED', 'Confirm your email first');
    return startSession(ctx, applicant.id);
  }

  async function resolveSession(ctx: Ctx, hash: string): Promise<string | undefined> {
    const row = await ApplicantToken.query(ctx.db).findById(hash);
    return row && row.kind === 'session' && row.expiresAt > nowIso() ? row.applicantId : undefined;
  }

  async function logout(ctx: Ctx, hash: string) {
    await ApplicantToken.query(ctx.db).delete().where('token_hash', hash);
  }

  // ---- reviewers ---------------------------------------------------------------------------

  async function grants(ctx: Ctx): Promise<Set<string>> {
    if (ctx.actor.type !== 'platform') return new Set();
    const r = await Reviewer.query(ctx.db).findById(ctx.actor.id);
    return new Set(r?.permissions ?? []);
  }

  async function requireGrant(ctx: Ctx, permission: string) {
    if (!(await grants(ctx)).has(permission)) throw new ForbiddenError('PERMISSION_DENIED', `This needs the ${permission} permission`, { params: { permission }, extra: { permission } });
  }

  async function setReviewer(ctx: Ctx, adminId: string, permissions: string[]) {
    const before = await Reviewer.query(ctx.db).findById(adminId);
    if (before) await Reviewer.query(ctx.db).patch({ permissions }).where('admin_id', adminId);
    else await Reviewer.query(ctx.db).insert({ adminId, permissions });
    await recordAudit(ctx, { action: 'onboarding.reviewer.granted', targetType: 'platform_admin', targetId: adminId, before: before ? { permissions: before.permissions } : null, after: { permissions } });
    return { adminId, permissions };
  }

  // ---- templates ---------------------------------------------------------------------------

  async function template(ctx: Ctx, category: string): Promise<Template> {
    const t = await Template.query(ctx.db).where('category', category).first();
    if (!t) throw new InvalidError('UNKNOWN_CATEGORY', 'No checklist template for this category', { errors: field('/category', 'unknown', 'body.category has no template') });
    return t;
  }

  async function putTemplate(ctx: Ctx, category: string, body: { name: string; requirements: Requirement[]; deposit?: { amount: number; currency: string } | null; requiresQualityReport?: boolean; requiresPayoutAccount?: boolean }) {
    const ids = body.requirements.map((r) => r.id);
    const dup = ids.findIndex((id, i) => ids.indexOf(id) !== i);
    if (dup >= 0) throw new InvalidError('DUPLICATE_REQUIREMENT', 'Requirement ids must be unique', { errors: field(`/requirements/${dup}/id`, 'duplicate', 'body.requirements ids repeat') });
    body.requirements.forEach((r, i) => {
      if (r.kind === 'verified' && !r.document) throw new InvalidError('VALIDATION_FAILED', 'A verified requirement needs a document spec', { errors: field(`/requirements/${i}/document`, 'required', 'body.requirements[].document is required for kind verified') });
      if (r.kind === 'computed' && !r.fields?.length) throw new InvalidError('VALIDATION_FAILED', 'A computed requirement needs fields', { errors: field(`/requirements/${i}/fields`, 'required', 'body.requirements[].fields is required for kind computed') });
    });
    const before = await Template.query(ctx.db).where('category', category).first();
    const row = { name: body.name, requirements: body.requirements, depositAmount: body.deposit?.amount ?? null, depositCurrency: body.deposit?.currency ?? null, requiresQualityReport: body.requiresQualityReport ?? false, requiresPayoutAccount: body.requiresPayoutAccount ?? false };
    if (before) await Template.query(ctx.db).patch(row).where('id', before.id);
    else await Template.query(ctx.db).insert({ category, ...row });
    await recordAudit(ctx, { action: 'onboarding.template.saved', targetType: 'onboarding_template', targetId: category, before: before ?? null, after: row });
    return template(ctx, category);
  }

  // ---- applications ------------------------------------------------------------------------

  async function load(ctx: Ctx, id: string, applicantId?: string): Promise<Application> {
    const q = Application.query(ctx.db).findById(id);
    const app = await q;
    // Another applicant's application looks exactly like one that does not exist.
    if (!app || (applicantId && app.applicantId !== applicantId)) throw new NotFoundError('APPLICATION_NOT_FOUND', 'No such application');
    return app;
  }

  function sealData(data: Record<string, any>): Record<string, any> {
    const out = structuredClone(data);
    for (const p of SECRET_FIELDS) {
      const [, group, key] = p.split('/');
      const v = out[group]?.[key];
      if (typeof v === 'string' && !v.startsWith('enc:')) out[group][key] = sealer.sealText(v);
    }
    return out;
  }

  function viewData(data: Record<string, any>, unmasked: boolean): Record<string, any> {
    const out = structuredClone(data);
    for (const p of SECRET_FIELDS) {
      const [, group, key] = p.split('/');
      const v = out[group]?.[key];
      if (typeof v === 'string') out[group][key] = unmasked ? sealer.openText(v) : mask(sealer.openText(v));
    }
    return out;
  }

  async function checklist(ctx: Ctx, app: Application) {
    const tpl = await template(ctx, app.category);
    const [docs, items] = await Promise.all([Document.query(ctx.db).where('application_id', app.id).orderBy('id'), ItemReview.query(ctx.db).where('application_id', app.id)]);
    const ev = evaluate(app, requirementsOf(tpl), docs, items);
    return { tpl, docs, reviews: items, items: ev.items, progress: ev.progress };
  }

  async function view(ctx: Ctx, app: Application, opts: { reviewer: boolean; unmasked?: boolean }) {
    const c = await checklist(ctx, app);
    const decisions = await Decision.query(ctx.db).where('application_id', app.id).orderBy('id');
    const now = Date.now();
    return {
      id: app.id,
      status: app.status,
      category: app.category,
      storeName: app.storeName,
      storeSlug: app.storeSlug,
      data: viewData(app.data, Boolean(opts.unmasked)),
      attestations: app.attestations,
      checklist: c.items,
      progress: c.progress,
      blocking: blocking(c.items),
      documents: c.docs.map(docView),
      decisions: decisions.map((d) => ({ action: d.action, fromStatus: d.fromStatus, toStatus: d.toStatus, reasons: d.reasons, externalNote: d.externalNote, ...(opts.reviewer ? { internalNote: d.internalNote, overrideReason: d.overrideReason, actorId: d.actorId } : {}), createdAt: d.createdAt })),
      submittedAt: app.submittedAt,
      slaDueAt: app.slaDueAt,
      breached: Boolean(app.slaDueAt && ['submitted', 'in_review'].includes(app.status) && Date.parse(app.slaDueAt) < now),
      storeId: app.storeId,
      activationDueAt: app.activationDueAt,
      contractAcceptedAt: app.contractAcceptedAt,
      activatedAt: app.activatedAt,
      deposit: c.tpl.depositAmount ? { required: Number(c.tpl.depositAmount), currency: c.tpl.depositCurrency, balance: await depositBalance(ctx, app.id), topUpDueAt: app.topUpDueAt } : null,
      store: app.storeId ? { id: app.storeId, status: app.storeStatus, reason: app.storeStatusReason, terminatedAt: app.terminatedAt } : null,
      payoutAccount: c.tpl.requiresPayoutAccount ? { required: true, status: app.payoutAccountStatus ?? 'none' } : { required: false, status: app.payoutAccountStatus ?? 'none' },
      ...(opts.reviewer ? { reviewerId: app.reviewerId } : {}),
      createdAt: app.createdAt,
      updatedAt: app.updatedAt,
    };
  }

  async function create(ctx: Ctx, applicantId: string, body: { category: string; storeName: string; storeSlug: string; data?: Record<string, any> }) {
    await template(ctx, body.category);
    const open = await Application.query(ctx.db).where('applicant_id', applicantId).whereNotIn('status', ['withdrawn', 'rejected']).resultSize();
    if (open >= options.maxOpenApplications) throw new ConflictError('TOO_MANY_APPLICATIONS', 'You have as many open applications as allowed');
    return Application.query(ctx.db).insert({ applicantId, status: 'draft', category: body.category, storeName: body.storeName, storeSlug: body.storeSlug, data: sealData(body.data ?? {}), attestations: [], reviewerId: null, submittedAt: null, slaDueAt: null, slaBreachedAt: null, decidedAt: null, storeId: null, activationDueAt: null, contractAcceptedAt: null, activatedAt: null, storeStatus: null, storeStatusReason: null, topUpDueAt: null, payoutAccountStatus: null, payoutAccountRef: null, terminatedAt: null });
  }

  function assertEditable(app: Application) {
    if (app.status !== 'draft' && app.status !== 'needs_info') throw new ConflictError('APPLICATION_LOCKED', `An application in status ${app.status} cannot be changed`, { extra: { currentState: app.status } });
  }

  /** Changing what a reviewed item rests on: accepted items stay as they are, rejected ones go back to review. */
  async function touchItems(ctx: Ctx, app: Application, changed: string[]) {
    const items = await ItemReview.query(ctx.db).where('application_id', app.id).whereIn('requirement_id', changed);
    const accepted = items.find((i) => i.status === 'accepted');
    if (accepted) throw new ConflictError('ITEM_ACCEPTED', `The item ${accepted.requirementId} was accepted and stays as it is`, { extra: { requirementId: accepted.requirementId } });
    if (items.length) await ItemReview.query(ctx.db).delete().whereIn('id', items.map((i) => i.id));
  }

  async function update(ctx: Ctx, applicantId: string, id: string, body: { storeName?: string; storeSlug?: string; data?: Record<string, any> }) {
    const app = await load(ctx, id, applicantId);
    assertEditable(app);
    const tpl = await template(ctx, app.category);
    const data = body.data ? sealData(body.data) : app.data;
    if (body.data) {
      const old = viewData(app.data, true);
      const next = viewData(data, true);
      const changed = requirementsOf(tpl).filter((r) => r.kind === 'computed' && (r.fields ?? []).some((f) => JSON.stringify(pointerValue(old, f)) !== JSON.stringify(pointerValue(next, f)))).map((r) => r.id);
      if (changed.length) await touchItems(ctx, app, changed);
    }
    await Application.query(ctx.db).patch({ data, ...(body.storeName ? { storeName: body.storeName } : {}), ...(body.storeSlug ? { storeSlug: body.storeSlug } : {}) }).where('id', id);
    return load(ctx, id);
  }

  async function attest(ctx: Ctx, applicantId: string, id: string, requirementId: string) {
    const app = await load(ctx, id, applicantId);
    assertEditable(app);
    const tpl = await template(ctx, app.category);
    if (!tpl.requirements.some((r) => r.id === requirementId && r.kind === 'attested')) throw new InvalidError('UNKNOWN_REQUIREMENT', 'No attestation with this id in the checklist', { errors: field('/requirementId', 'unknown', 'body.requirementId names no attested requirement') });
    if (!app.attestations.includes(requirementId)) await Application.query(ctx.db).patch({ attestations: [...app.attestations, requirementId] }).where('id', id);
    return load(ctx, id);
  }

  // ---- documents ---------------------------------------------------------------------------

  function docView(d: Document) {
    return { id: d.id, requirementId: d.requirementId, filename: d.filename, contentType: d.contentType, size: d.size, sha256: d.sha256, expiresAt: d.expiresAt, createdAt: d.createdAt };
  }

  async function upload(ctx: Ctx, applicantId: string, id: string, q: { requirement: string; filename: string; expiresAt?: string }, claimedType: string, read: (limit: number) => Promise<Buffer>) {
    const app = await load(ctx, id, applicantId);
    assertEditable(app);
    const tpl = await template(ctx, app.category);
    const req = requirementsOf(tpl).find((r) => r.id === q.requirement && r.kind === 'verified');
    if (!req) throw new InvalidError('UNKNOWN_REQUIREMENT', 'No document requirement with this id in the checklist', { errors: field('/requirement', 'unknown', 'query.requirement names no verified requirement', 'query') });
    const spec = req.document!;
    const limit = Math.min(spec.maxBytes, options.maxUploadBytes);
    const ext = q.filename.split('.').pop()!.toLowerCase();
    const byName = (Object.keys(EXTENSIONS) as (keyof typeof EXTENSIONS)[]).find((f) => EXTENSIONS[f].includes(ext));
    if (!byName || !spec.formats.includes(byName)) throw new InvalidError('DOCUMENT_TYPE_NOT_ALLOWED', `Accepted formats: ${spec.formats.join(', ')}`, { errors: field('/filename', 'format', `query.filename must end in ${spec.formats.join(', ')}`, 'query') });
    if (spec.mustBeUnexpired && !q.expiresAt) throw new InvalidError('VALIDATION_FAILED', 'This document needs its expiry date', { errors: field('/expiresAt', 'required', 'query.expiresAt is required for this document', 'query') });
    if (q.expiresAt && Date.parse(q.expiresAt) <= Date.now()) throw new InvalidError('DOCUMENT_EXPIRED', 'The document has expired', { errors: field('/expiresAt', 'expired', 'query.expiresAt is in the past', 'query') });
    const bytes = await read(limit);
    if (bytes.length === 0) throw new InvalidError('VALIDATION_FAILED', 'The document is empty', { errors: field('', 'empty', 'body is empty') });
    const actual = sniff(bytes);
    if (!actual || actual !== byName || CONTENT_TYPES[actual] !== claimedType) {
      throw new InvalidError('DOCUMENT_CONTENT_MISMATCH', 'The file is not what its name and type say', { errors: field('', 'content', `body bytes are ${actual ?? 'not pdf, jpg or png'}, not ${byName}`), extra: { detected: actual ?? null } });
    }
    await touchItems(ctx, app, [req.id]);
    const docId = newId();
    const storageKey = `${applicantId}/${docId}`;
    await store.put(storageKey, sealer.seal(bytes));
    const doc = await Document.query(ctx.db).insert({ id: docId, applicationId: app.id, requirementId: req.id, filename: q.filename, contentType: CONTENT_TYPES[actual], format: actual, size: bytes.length, sha256: crypto.createHash('sha256').update(bytes).digest('hex'), storageKey, expiresAt: q.expiresAt ? new Date(q.expiresAt).toISOString() : null });
    return docView(doc);
  }

  async function removeDocument(ctx: Ctx, applicantId: string, id: string, docId: string) {
    const app = await load(ctx, id, applicantId);
    assertEditable(app);
    const doc = await Document.query(ctx.db).findById(docId);
    if (!doc || doc.applicationId !== app.id) throw new NotFoundError('DOCUMENT_NOT_FOUND', 'No such document');
    await touchItems(ctx, app, [doc.requirementId]);
    await Document.query(ctx.db).deleteById(docId);
    await store.delete(doc.storageKey);
  }

  async function documentContent(ctx: Ctx, id: string, docId: string, applicantId?: string) {
    const app = await load(ctx, id, applicantId);
    const doc = await Document.query(ctx.db).findById(docId);
    if (!doc || doc.applicationId !== app.id) throw new NotFoundError('DOCUMENT_NOT_FOUND', 'No such document');
    const bytes = sealer.open(await store.get(doc.storageKey));
    if (!applicantId) await recordAudit(ctx, { action: 'onboarding.document.viewed', targetType: 'onboarding_document', targetId: doc.id, after: { applicationId: app.id, requirementId: doc.requirementId } });
    return { bytes, contentType: doc.contentType, filename: doc.filename };
  }

  // ---- transitions -------------------------------------------------------------------------

  async function record(ctx: Ctx, app: Application, action: string, from: AppStatus, to: AppStatus, extra: { reasons?: ReasonRef[]; externalNote?: string | null; internalNote?: string | null; overrideReason?: string | null } = {}) {
    const a = actorOf(ctx);
    await Decision.query(ctx.db).insert({ applicationId: app.id, action, fromStatus: from, toStatus: to, reasons: extra.reasons ?? [], externalNote: extra.externalNote ?? null, internalNote: extra.internalNote ?? null, overrideReason: extra.overrideReason ?? null, actorType: a.type, actorId: a.id, createdAt: nowIso() });
    await recordAudit(ctx, { action: `onboarding.application.${action}`, targetType: 'onboarding_application', targetId: app.id, tenantId: app.storeId, before: { status: from }, after: { status: to, reasons: extra.reasons ?? [], internalNote: extra.internalNote ?? null, overrideReason: extra.overrideReason ?? null } });
  }

  /** 409 for an action the status does not allow, naming who moved it there last (the console's "already decided by X"). */
  async function conflict(ctx: Ctx, app: Application, action: Action): Promise<AppError> {
    const last = await Decision.query(ctx.db).where('application_id', app.id).orderBy('created_at', 'desc').orderBy('id', 'desc').first();
    const decidedBy = last ? { actorType: last.actorType, actorId: last.actorId, action: last.action, at: last.createdAt } : null;
    return new ConflictError('INVALID_TRANSITION', `Cannot ${action} an application in status ${app.status}`, { params: { action, status: app.status }, extra: { currentState: app.status, action, decidedBy } });
  }

  /** The one write of a status: only from an allowed status, so a racing second writer gets 409. */
  async function move(ctx: Ctx, app: Application, action: Action, patch: Partial<Application> = {}, db: Knex = ctx.db): Promise<void> {
    const { from, to } = TRANSITIONS[action];
    if (!from.includes(app.status)) throw await conflict(ctx, app, action);
    const n = await Application.query(db).patch({ ...patch, status: to } as never).where('id', app.id).where('status', app.status);
    if (n !== 1) throw await conflict(ctx, await load(ctx, app.id), action);
  }

  async function transition(ctx: Ctx, id: string, action: Action, body: Record<string, any> = {}, applicantId?: string) {
    const app = await load(ctx, id, applicantId);
    const { from, to } = TRANSITIONS[action];
    if (!from.includes(app.status)) throw await conflict(ctx, app, action);
    const c = await checklist(ctx, app);
    const extra: Parameters<typeof record>[5] = { externalNote: body.externalNote ?? null, internalNote: body.internalNote ?? null };
    const patch: Partial<Application> = {};
    if (action === 'submit') {
      const missing = blocking(c.items);
      if (missing.length) {
        throw new AppError(422, 'CHECKLIST_INCOMPLETE', 'Some required items are incomplete', { extra: { blocking: missing }, errors: missing.map((m) => ({ in: 'checklist', pointer: `/${m}`, code: c.items.find((i) => i.id === m)!.status, message: `requirement ${m} is ${c.items.find((i) => i.id === m)!.status}` })) });
      }
      const at = new Date();
      Object.assign(patch, { submittedAt: at.toISOString(), slaDueAt: addBusinessDays(at, options.reviewBusinessDays).toISOString(), slaBreachedAt: null, reviewerId: null });
    }
    if (action === 'start-review') patch.reviewerId = actorOf(ctx).id;
    if (action === 'request-info' || action === 'reject') {
      const reasons = body.reasons as ReasonRef[];
      reasons.forEach((r, i) => {
        if (!c.items.some((it) => it.id === r.requirementId)) throw new InvalidError('UNKNOWN_REQUIREMENT', 'A reason names no requirement of the checklist', { errors: field(`/reasons/${i}/requirementId`, 'unknown', 'body.reasons[].requirementId names no requirement') });
      });
      extra.reasons = reasons;
    }
    if (action === 'approve') {
      const missing = blocking(c.items);
      if (missing.length && !body.override) {
        throw new AppError(422, 'CHECKLIST_INCOMPLETE', 'Some required items are incomplete or refused', { extra: { blocking: missing }, errors: missing.map((m) => ({ in: 'checklist', pointer: `/${m}`, code: c.items.find((i) => i.id === m)!.status, message: `requirement ${m} blocks approval` })) });
      }
      if (body.override && !body.overrideReason) throw new InvalidError('VALIDATION_FAILED', 'An override needs its reason', { errors: field('/overrideReason', 'required', 'body.overrideReason is required with override') });
      extra.overrideReason = body.override ? body.overrideReason : null;
    }
    if (action === 'approve' || action === 'reject') patch.decidedAt = nowIso();
    await move(ctx, app, action, patch);
    // Per-item verdicts that come with the decision.
    if (action === 'request-info' || action === 'reject') {
      const byReq = new Map<string, string[]>();
      for (const r of extra.reasons!) byReq.set(r.requirementId, [...(byReq.get(r.requirementId) ?? []), r.code]);
      for (const [requirementId, codes] of byReq) await setItem(ctx, app.id, requirementId, 'rejected', codes, body.externalNote ?? null);
    }
    if (action === 'approve') {
      for (const it of c.items) if (it.status === 'complete') await setItem(ctx, app.id, it.id, 'accepted', [], null);
      try {
        await provision(ctx, app, c.tpl);
      } catch (err) {
        await Application.query(ctx.db).patch({ status: 'in_review', decidedAt: null }).where('id', app.id).where('status', 'approved');
        throw err;
      }
    }
    await record(ctx, app, action, app.status, to, extra);
    return load(ctx, app.id);
  }

  async function setItem(ctx: Ctx, applicationId: string, requirementId: string, status: 'accepted' | 'rejected', reasons: string[], note: string | null) {
    await ItemReview.query(ctx.db).delete().where({ application_id: applicationId, requirement_id: requirementId });
    await ItemReview.query(ctx.db).insert({ applicationId, requirementId, status, reasons, note, reviewerId: actorOf(ctx).id, reviewedAt: nowIso() });
  }

  async function reviewItem(ctx: Ctx, id: string, requirementId: string, body: { decision: 'accept' | 'reject'; reasons?: string[]; note?: string }) {
    const app = await load(ctx, id);
    if (app.status !== 'in_review') throw new ConflictError('APPLICATION_NOT_IN_REVIEW', `Items are reviewed while the application is in review (it is ${app.status})`, { extra: { currentState: app.status } });
    const c = await checklist(ctx, app);
    const item = c.items.find((i) => i.id === requirementId);
    if (!item) throw new NotFoundError('REQUIREMENT_NOT_FOUND', 'No such requirement in this checklist');
    if (body.decision === 'reject' && !body.reasons?.length) throw new InvalidError('VALIDATION_FAILED', 'A refusal needs at least one reason code', { errors: field('/reasons', 'required', 'body.reasons needs at least one code') });
    await setItem(ctx, app.id, requirementId, body.decision === 'accept' ? 'accepted' : 'rejected', body.decision === 'accept' ? [] : body.reasons!, body.note ?? null);
    await recordAudit(ctx, { action: `onboarding.item.${body.decision}ed`, targetType: 'onboarding_application', targetId: app.id, after: { requirementId, reasons: body.reasons ?? [] } });
    return load(ctx, app.id);
  }

  // ---- approval: the store ------------------------------------------------------------------

  async function provision(ctx: Ctx, app: Application, tpl: Template) {
    const applicant = await Applicant.query(ctx.db).findById(app.applicantId);
    let storeId: string;
    try {
      const made = await deps.provisioner.provision(ctx, { slug: app.storeSlug, name: app.storeName, status: 'pending', defaultCurrency: tpl.depositCurrency ?? undefined, owner: { email: applicant!.email, name: applicant!.name } });
      storeId = made.id;
    } catch (err) {
      if ((err as AppError).status === 409 || (err as AppError).code === 'SLUG_RESERVED') throw new ConflictError('STORE_SLUG_TAKEN', 'The store slug is taken; ask the applicant for another', { extra: { storeSlug: app.storeSlug } });
      throw err;
    }
    const due = new Date(Date.now() + options.activationDeadlineDays * 86_400_000).toISOString();
    await Application.query(ctx.db).patch({ storeId, activationDueAt: due, storeStatus: 'pending_activation' }).where('id', app.id);
  }

  async function depositBalance(ctx: Ctx, applicationId: string): Promise<number> {
    const rows = await Deposit.query(ctx.db).where('application_id', applicationId);
    return rows.reduce((s, d) => s + (d.type === 'paid' ? 1 : -1) * Number(d.amount), 0);
  }

  async function deposits(ctx: Ctx, id: string) {
    const app = await load(ctx, id);
    const rows = await Deposit.query(ctx.db).where('application_id', app.id).orderBy('created_at').orderBy('id');
    return { items: rows.map((d) => ({ id: d.id, type: d.type, amount: Number(d.amount), currency: d.currency, reference: d.reference, violationId: d.violationId, createdBy: d.createdBy, createdAt: d.createdAt })), balance: await depositBalance(ctx, app.id) };
  }

  /** What still keeps an approved store from opening (ONB-2): contract, deposit, payout account. */
  async function prerequisites(ctx: Ctx, app: Application): Promise<string[]> {
    const tpl = await template(ctx, app.category);
    const missing: string[] = [];
    if (!app.contractAcceptedAt) missing.push('contract');
    if (tpl.depositAmount && (await depositBalance(ctx, app.id)) < Number(tpl.depositAmount)) missing.push('deposit');
    if (tpl.requiresPayoutAccount && app.payoutAccountStatus !== 'active') missing.push('payout_account');
    return missing;
  }

  async function tryActivate(ctx: Ctx, app: Application) {
    if (app.status !== 'approved' || app.activatedAt || !app.storeId) return;
    if ((await prerequisites(ctx, app)).length) return;
    const n = await Application.query(ctx.db).patch({ activatedAt: nowIso(), storeStatus: 'open' }).where('id', app.id).whereNull('activated_at');
    if (n !== 1) return;
    await deps.provisioner.activate(ctx, app.storeId);
    await recordAudit(ctx, { action: 'onboarding.store.activated', targetType: 'onboarding_application', targetId: app.id, tenantId: app.storeId, after: { storeId: app.storeId } });
  }

  async function acceptContract(ctx: Ctx, applicantId: string, id: string) {
    const app = await load(ctx, id, applicantId);
    if (app.status !== 'approved') throw new ConflictError('APPLICATION_NOT_APPROVED', 'Only an approved application has a contract to accept', { extra: { currentState: app.status } });
    if (!app.contractAcceptedAt) await Application.query(ctx.db).patch({ contractAcceptedAt: nowIso() }).where('id', app.id);
    await tryActivate(ctx, await load(ctx, id));
    return load(ctx, id);
  }

  /**
   * The append-only deposit ledger (ONB-8): paid, deducted (for a violation) or refunded. A balance
   * below the category's deposit on an open store starts the top-up deadline; a balance that covers
   * it again clears the deadline and reopens a store suspended for the shortfall.
   */
  async function addDeposit(ctx: Ctx, id: string, body: { type: 'paid' | 'deducted' | 'refunded'; amount: number; currency: string; reference?: string; violationId?: string }) {
    const app = await load(ctx, id);
    if (app.status !== 'approved') throw new ConflictError('APPLICATION_NOT_APPROVED', 'Deposits are kept for approved applications', { extra: { currentState: app.status } });
    const tpl = await template(ctx, app.category);
    if (tpl.depositCurrency && body.currency !== tpl.depositCurrency) throw new InvalidError('CURRENCY_MISMATCH', `The deposit is kept in ${tpl.depositCurrency}`, { errors: field('/currency', 'mismatch', `body.currency must be ${tpl.depositCurrency}`) });
    if (body.type === 'deducted' && !body.violationId) throw new InvalidError('VALIDATION_FAILED', 'A deduction names the violation it pays for', { errors: field('/violationId', 'required', 'body.violationId is required for a deduction') });
    if (body.type !== 'deducted' && body.violationId) throw new InvalidError('VALIDATION_FAILED', 'Only a deduction names a violation', { errors: field('/violationId', 'not_allowed', 'body.violationId is only for type deducted') });
    if (app.storeStatus === 'terminated' && body.type !== 'refunded') throw new ConflictError('STORE_TERMINATED', 'The store is terminated: its deposit can only be refunded');
    const before = await depositBalance(ctx, app.id);
    if (body.type !== 'paid' && body.amount > before) throw new AppError(422, 'DEPOSIT_INSUFFICIENT', `The deposit balance is ${before}`, { extra: { balance: before }, errors: field('/amount', 'too_large', `body.amount exceeds the balance of ${before}`) });
    const row = await Deposit.query(ctx.db).insert({ applicationId: app.id, storeId: app.storeId, type: body.type, amount: body.amount, currency: body.currency, reference: body.reference ?? null, violationId: body.violationId ?? null, createdBy: actorOf(ctx).id ?? 'unknown', createdAt: nowIso() });
    await recordAudit(ctx, { action: `onboarding.deposit.${body.type}`, targetType: 'onboarding_application', targetId: app.id, tenantId: app.storeId, after: { amount: body.amount, currency: body.currency, reference: body.reference ?? null, violationId: body.violationId ?? null } });
    const balance = await depositBalance(ctx, app.id);
    await tryActivate(ctx, app);
    await checkShortfall(ctx, await load(ctx, app.id), balance);
    return { id: row.id, type: row.type, amount: Number(row.amount), currency: row.currency, reference: row.reference, violationId: row.violationId, createdAt: row.createdAt, balance };
  }

  async function checkShortfall(ctx: Ctx, app: Application, balance: number) {
    const tpl = await template(ctx, app.category);
    if (!tpl.depositAmount || !app.activatedAt || app.storeStatus === 'terminated') return;
    const short = balance < Number(tpl.depositAmount);
    if (short && !app.topUpDueAt) {
      const due = new Date(Date.now() + options.topUpDays * 86_400_000).toISOString();
      await Application.query(ctx.db).patch({ topUpDueAt: due }).where('id', app.id).whereNull('top_up_due_at');
      await recordAudit(ctx, { action: 'onboarding.deposit.top_up_due', targetType: 'onboarding_application', targetId: app.id, tenantId: app.storeId, after: { balance, required: Number(tpl.depositAmount), topUpDueAt: due } });
      const applicant = await Applicant.query(ctx.db).findById(app.applicantId);
      if (applicant) await deps.mail.sendMail(ctx, { to: applicant.email, subject: deps.t(ctx, 'mail.topUp.subject'), text: deps.t(ctx, 'mail.topUp.body', { store: app.storeName, amount: major(Number(tpl.depositAmount) - balance, tpl.depositCurrency!), currency: tpl.depositCurrency, due }) });
    }
    if (!short && app.topUpDueAt) {
      await Application.query(ctx.db).patch({ topUpDueAt: null }).where('id', app.id);
      if (app.storeStatus === 'suspended' && app.storeStatusReason === 'DEPOSIT_SHORTFALL') await moveStore(ctx, app, 'resume', ['suspended'], 'open', null);
    }
  }

  // ---- the store after approval (ONB-2) --------------------------------------------------------

  /** One write of the store's status, only from the expected ones: a racing second writer gets 409. */
  async function moveStore(ctx: Ctx, app: Application, action: 'suspend' | 'resume' | 'terminate', from: StoreStatus[], to: StoreStatus, reason: string | null, note?: string) {
    if (!app.storeId || !app.storeStatus || !from.includes(app.storeStatus)) throw new ConflictError('INVALID_STORE_TRANSITION', `Cannot ${action} a store in status ${app.storeStatus ?? 'none'}`, { extra: { storeStatus: app.storeStatus, action } });
    if (action === 'terminate') await deps.provisioner.terminate(ctx, app.storeId, reason ?? 'TERMINATED');
    const n = await Application.query(ctx.db).patch({ storeStatus: to, storeStatusReason: reason, ...(to === 'terminated' ? { terminatedAt: nowIso(), topUpDueAt: null } : {}) }).where('id', app.id).where('store_status', app.storeStatus);
    if (n !== 1) throw new ConflictError('INVALID_STORE_TRANSITION', 'The store changed status meanwhile', { extra: { action } });
    try {
      if (action === 'suspend') await deps.provisioner.suspend(ctx, app.storeId, reason ?? 'SUSPENDED');
      if (action === 'resume') await deps.provisioner.resume(ctx, app.storeId);
    } catch (err) {
      // The core refused: the store's record goes back to what the core still says.
      await Application.query(ctx.db).patch({ storeStatus: app.storeStatus, storeStatusReason: app.storeStatusReason }).where('id', app.id).where('store_status', to);
      throw err;
    }
    await recordAudit(ctx, { action: `onboarding.store.${action}`, targetType: 'onboarding_application', targetId: app.id, tenantId: app.storeId, before: { storeStatus: app.storeStatus }, after: { storeStatus: to, reason, note: note ?? null } });
  }

  async function storeAction(ctx: Ctx, id: string, action: 'suspend' | 'resume' | 'terminate', body: { reason?: string; note?: string }, applicantId?: string) {
    const app = await load(ctx, id, applicantId);
    if (action === 'suspend') await moveStore(ctx, app, 'suspend', ['open'], 'suspended', body.reason ?? 'OTHER', body.note);
    if (action === 'resume') {
      const tpl = await template(ctx, app.category);
      if (app.storeStatusReason === 'DEPOSIT_SHORTFALL' && tpl.depositAmount && (await depositBalance(ctx, app.id)) < Number(tpl.depositAmount)) throw new ConflictError('DEPOSIT_SHORTFALL', 'The deposit is still short; record the top-up first');
      await moveStore(ctx, app, 'resume', ['suspended'], 'open', null, body.note);
    }
    if (action === 'terminate') {
      // Mercur: only when nothing is left to settle; here, the deposit refunded (orders: the core checks).
      const balance = await depositBalance(ctx, app.id);
      if (balance > 0) throw new ConflictError('DEPOSIT_UNSETTLED', `The deposit balance (${balance}) must be refunded first`, { extra: { balance } });
      await moveStore(ctx, app, 'terminate', applicantId ? ['open'] : ['open', 'suspended'], 'terminated', body.reason ?? (applicantId ? 'SELLER_REQUEST' : 'OTHER'), body.note);
    }
    return load(ctx, app.id);
  }

  /** The payout account's status (ONB-2 prerequisite), recorded by a reviewer until payouts (ONB-7) bring provider webhooks. */
  async function setPayoutAccount(ctx: Ctx, id: string, body: { status: PayoutAccountStatus; reference?: string }) {
    const app = await load(ctx, id);
    if (app.status !== 'approved') throw new ConflictError('APPLICATION_NOT_APPROVED', 'A payout account belongs to an approved application', { extra: { currentState: app.status } });
    await Application.query(ctx.db).patch({ payoutAccountStatus: body.status, payoutAccountRef: body.reference ?? app.payoutAccountRef }).where('id', app.id);
    await recordAudit(ctx, { action: 'onboarding.payout_account.set', targetType: 'onboarding_application', targetId: app.id, tenantId: app.storeId, before: { status: app.payoutAccountStatus }, after: { status: body.status, reference: body.reference ?? null } });
    await tryActivate(ctx, await load(ctx, app.id));
    return load(ctx, app.id);
  }

  // ---- queue and sweeps ----------------------------------------------------------------------

  async function queue(ctx: Ctx, q: { status?: AppStatus; breached?: boolean; limit: number }) {
    const b = Application.query(ctx.db);
    if (q.status) b.where('status', q.status);
    else b.whereIn('status', ['submitted', 'in_review']);
    if (q.breached) b.where('sla_due_at', '<', new Date());
    // Soonest deadline first; those without one (drafts) last.
    const rows = await b.orderByRaw('case when sla_due_at is null then 1 else 0 end').orderBy('sla_due_at').orderBy('id').limit(q.limit);
    const now = Date.now();
    return {
      items: rows.map((a) => ({ id: a.id, status: a.status, category: a.category, storeName: a.storeName, storeSlug: a.storeSlug, submittedAt: a.submittedAt, slaDueAt: a.slaDueAt, breached: Boolean(a.slaDueAt && ['submitted', 'in_review'].includes(a.status) && Date.parse(a.slaDueAt) < now), reviewerId: a.reviewerId })),
    };
  }

  /** Flags applications past their review deadline (counted once each) and lapses approvals not activated in time. */
  async function sweep(ctx: Ctx, now = new Date()) {
    const late = await Application.query(ctx.db).whereIn('status', ['submitted', 'in_review']).whereNull('sla_breached_at').where('sla_due_at', '<', now);
    let breaches = 0;
    for (const a of late) {
      const n = await Application.query(ctx.db).patch({ slaBreachedAt: now.toISOString() }).where('id', a.id).whereNull('sla_breached_at');
      if (n === 1) {
        breaches++;
        deps.metrics.count(ctx, 'review_sla_breaches_total', { category: a.category });
      }
    }
    const lapsed = await Application.query(ctx.db).where('status', 'approved').whereNull('activated_at').where('activation_due_at', '<', now);
    for (const a of lapsed) {
      const n = await Application.query(ctx.db).patch({ status: 'rejected', decidedAt: now.toISOString() }).where('id', a.id).where('status', 'approved').whereNull('activated_at');
      if (n === 1) await record(ctx, a, 'activation-expired', 'approved', 'rejected', { reasons: [{ code: 'ACTIVATION_EXPIRED', requirementId: 'activation' }], externalNote: deps.t(ctx, 'activationExpired') });
    }
    const overdue = await Application.query(ctx.db).where('store_status', 'open').whereNotNull('top_up_due_at').where('top_up_due_at', '<', now);
    let suspended = 0;
    for (const a of overdue) {
      try {
        await moveStore(ctx, a, 'suspend', ['open'], 'suspended', 'DEPOSIT_SHORTFALL');
        suspended++;
      } catch (err) {
        if ((err as AppError).status !== 409) throw err;
      }
    }
    return { breaches, lapsed: lapsed.length, suspended };
  }

  async function mine(ctx: Ctx, applicantId: string) {
    const rows = await Application.query(ctx.db).where('applicant_id', applicantId).orderBy('id', 'desc').limit(50);
    return { items: rows.map((a) => ({ id: a.id, status: a.status, category: a.category, storeName: a.storeName, storeSlug: a.storeSlug, submittedAt: a.submittedAt, updatedAt: a.updatedAt })) };
  }

  async function piiView(ctx: Ctx, id: string, unmask: boolean) {
    const app = await load(ctx, id);
    if (unmask) {
      await requireGrant(ctx, PII);
      await recordAudit(ctx, { action: 'onboarding.pii.read', targetType: 'onboarding_application', targetId: app.id, after: { fields: SECRET_FIELDS } });
    }
    return view(ctx, app, { reviewer: true, unmasked: unmask });
  }

  return { signUp, confirm, login, logout, resolveSession, grants, requireGrant, setReviewer, template, putTemplate, load, view, piiView, create, update, attest, upload, removeDocument, documentContent, transition, reviewItem, acceptContract, addDeposit, deposits, depositBalance, storeAction, setPayoutAccount, prerequisites, queue, sweep, mine };
}

export type OnboardingService = ReturnType<typeof createService>;
