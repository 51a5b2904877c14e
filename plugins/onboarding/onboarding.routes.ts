// Routes: the applicant surface (`/platform/v1/onboarding/applicant/...`, an applicant token of
// the plugin's own kind, never a store's) and the reviewers' (platform admins with a grant).
import type { Ctx, PluginRoute, PrincipalTokens } from '@bazaar/sdk';
import { AppError, InvalidError, NotFoundError, UnauthorizedError, created, email, noContent, raw, route } from '@bazaar/sdk';
import { REASON_CODES, STATUSES, type Action } from './checklist.js';
import { PII, REVIEW, type OnboardingService } from './onboarding.service.js';
import { PRODUCT_REASON_CODES, type AfterOpening } from './after-opening.js';
import { Template } from './onboarding.model.js';
import type { Changes } from './changes.js';
import type { Penalties } from './penalties.js';

const tags = { applicant: ['platform: onboarding applicant'], review: ['platform: onboarding review'] };
const idParam = { type: 'string', pattern: '^[0-9a-f-]{36}$' };
const params = { type: 'object', required: ['id'], additionalProperties: false, properties: { id: idParam } };
const docParams = { type: 'object', required: ['id', 'docId'], additionalProperties: false, properties: { id: idParam, docId: idParam } };
const str = (max: number, min = 1) => ({ type: 'string', minLength: min, maxLength: max });
const slug = { type: 'string', pattern: '^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$' };
const ubo = { type: 'object', additionalProperties: false, required: ['name', 'sharePercent'], properties: { name: str(200), sharePercent: { type: 'number', minimum: 0, maximum: 100 }, country: str(2, 2) } };
const dataSchema = {
  type: 'object', additionalProperties: false,
  properties: {
    company: { type: 'object', additionalProperties: false, properties: { legalName: str(300), registrationNumber: str(64), taxId: str(64), registeredAddress: str(500), country: { type: 'string', pattern: '^[A-Z]{2}$' }, ubos: { type: 'array', maxItems: 20, items: ubo } } },
    brand: {
      type: 'object', additionalProperties: false,
      properties: {
        name: str(200), trademarkNumber: str(64), trademarkType: { enum: ['R', 'TM'] }, owner: str(300),
        authorizations: { type: 'array', maxItems: 10, items: { type: 'object', additionalProperties: false, required: ['from', 'to', 'validUntil'], properties: { from: str(300), to: str(300), validUntil: { type: 'string', format: 'date' } } } },
      },
    },
    bank: { type: 'object', additionalProperties: false, properties: { holderName: str(200), bankName: str(200), accountNumber: { type: 'string', pattern: '^[0-9A-Za-z ]{4,40}$', writeOnly: true } } },
    legalRepresentative: { type: 'object', additionalProperties: false, properties: { name: str(200), idNumber: { type: 'string', pattern: '^[0-9A-Za-z]{4,40}$', writeOnly: true } } },
  },
};
const appOut = { type: 'object', required: ['id', 'status', 'checklist', 'blocking'], properties: { id: { type: 'string' }, status: { enum: STATUSES }, checklist: { type: 'array' }, blocking: { type: 'array', items: { type: 'string' } } } };
const sessionOut = { type: 'object', required: ['token', 'expiresAt'], properties: { token: { type: 'string' }, expiresAt: { type: 'string' } } };
const notes = { externalNote: str(2000, 0), internalNote: str(2000, 0) };
const reasons = { type: 'array', minItems: 1, maxItems: 50, items: { type: 'object', additionalProperties: false, required: ['code', 'requirementId'], properties: { code: { enum: [...REASON_CODES] }, requirementId: str(64) } } };
const requirementSchema = {
  type: 'object', additionalProperties: false, required: ['id', 'kind', 'required', 'label'],
  properties: {
    id: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,63}$' }, kind: { enum: ['computed', 'attested', 'verified'] }, required: { type: 'boolean' }, label: str(300),
    fields: { type: 'array', minItems: 1, maxItems: 20, items: { type: 'string', pattern: '^(/[A-Za-z0-9_]{1,64}){1,4}$' } },
    rule: { enum: ['ubo_threshold', 'authorization_chain'] }, minValidDays: { type: 'integer', minimum: 0, maximum: 3650 },
    document: {
      type: 'object', additionalProperties: false, required: ['formats', 'maxBytes', 'minFiles', 'mustBeUnexpired', 'minValidDays'],
      properties: { formats: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['pdf', 'jpg', 'png'] } }, maxBytes: { type: 'integer', minimum: 1024, maximum: 10 * 1024 * 1024 }, minFiles: { type: 'integer', minimum: 1, maximum: 10 }, mustBeUnexpired: { type: 'boolean' }, minValidDays: { type: 'integer', minimum: 0, maximum: 3650 } },
    },
  },
};

const applicantId = (ctx: Ctx): string => {
  if (ctx.actor.type !== 'principal' || ctx.actor.kind !== 'applicant') throw new UnauthorizedError('UNAUTHORIZED', 'Sign in as an applicant');
  return ctx.actor.id;
};

/** Reads the raw request body, refusing (413) past `limit` bytes without buffering the rest. */
function readBody(req: NodeJS.ReadableStream & { headers: Record<string, unknown> }, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  const tooLarge = () => new AppError(413, 'DOCUMENT_TOO_LARGE', `A document may have at most ${limit} bytes`, { params: { limit }, extra: { limit }, errors: [{ in: 'body', pointer: '', code: 'too_large', message: `body is larger than ${limit} bytes` }] });
  if (declared > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const changeOut = { type: 'object', required: ['id', 'storeId', 'productId', 'status', 'actions', 'patch', 'slaDueAt'], properties: { id: { type: 'string' }, storeId: { type: 'string' }, productId: { type: 'string' }, status: { enum: ['pending', 'confirmed', 'declined', 'canceled'] }, actions: { type: 'array' }, patch: { type: 'object' }, reasons: { type: 'array' }, slaDueAt: { type: 'string' }, breached: { type: 'boolean' } } };
const policyOut = { type: 'object', required: ['storeId', 'autoConfirm', 'confirmedInARow', 'eligible'], properties: { storeId: { type: 'string' }, autoConfirm: { type: 'boolean' }, confirmedInARow: { type: 'integer' }, autoConfirmAfter: { type: 'integer' }, eligible: { type: 'boolean' } } };
const restrictionOut = { type: 'object', required: ['id', 'storeId', 'level', 'kind', 'startsAt', 'endsAt', 'active', 'appeal'], properties: { id: { type: 'string' }, storeId: { type: 'string' }, level: { type: 'integer' }, kind: { enum: ['no_campaigns', 'deboost', 'no_new_listings'] }, startsAt: { type: 'string' }, endsAt: { type: 'string' }, active: { type: 'boolean' }, appeal: { type: 'object' } } };
const standingOut = { type: 'object', required: ['storeId', 'quarter', 'points', 'penalties', 'restrictions', 'active'], properties: { storeId: { type: 'string' }, quarter: { type: 'string' }, points: { type: 'integer' }, penalties: { type: 'array' }, restrictions: { type: 'array', items: restrictionOut }, active: { type: 'array', items: { type: 'string' } } } };
const storeParams = { type: 'object', required: ['storeId'], additionalProperties: false, properties: { storeId: idParam } };
const note = str(2000, 0);

export function onboardingRoutes(svc: OnboardingService, tokens: PrincipalTokens, after: AfterOpening, changes: Changes, penalties: Penalties): { platform: PluginRoute[] } {
  const storeAct = (action: 'suspend' | 'resume' | 'terminate', who: 'applicant' | 'reviewer', reasons: readonly string[]): PluginRoute =>
    route({
      method: 'POST', path: who === 'applicant' ? `/applicant/applications/:id/store/${action}` : `/applications/:id/store/${action}`,
      summary: who === 'applicant' ? 'Close my store for good (open, nothing left to settle)' : `The store: ${action} (audited)`,
      tags: tags[who === 'applicant' ? 'applicant' : 'review'], access: who === 'applicant' ? 'principal' : 'platform', params,
      body: { type: 'object', additionalProperties: false, ...(reasons.length && who === 'reviewer' ? { required: ['reason'] } : {}), properties: { ...(reasons.length ? { reason: { enum: [...reasons] } } : {}), note } },
      responses: { 200: appOut },
      errors: { 404: ['APPLICATION_NOT_FOUND'], 409: ['DEPOSIT_SHORTFALL', 'DEPOSIT_UNSETTLED', 'INVALID_STORE_TRANSITION', 'TENANT_HAS_OPEN_ORDERS'] },
      async handler({ ctx, params: p, body }) {
        if (who === 'reviewer') await svc.requireGrant(ctx, REVIEW);
        const app = await svc.storeAction(ctx, p.id, action, body as { reason?: string; note?: string }, who === 'applicant' ? applicantId(ctx) : undefined);
        return svc.view(ctx, app, { reviewer: who === 'reviewer' });
      },
    });

  const act = (action: Action, who: 'applicant' | 'reviewer', body?: Record<string, unknown>): PluginRoute =>
    route({
      method: 'POST', path: who === 'applicant' ? `/applicant/applications/:id/${action}` : `/applications/:id/${action}`,
      summary: `Application: ${action}`, tags: tags[who === 'applicant' ? 'applicant' : 'review'], access: who === 'applicant' ? 'principal' : 'platform',
      params, ...(body ? { body } : {}), responses: { 200: appOut },
      errors: { 400: ['UNKNOWN_REQUIREMENT'], 404: ['APPLICATION_NOT_FOUND'], 409: ['INVALID_TRANSITION'], 422: ['CHECKLIST_INCOMPLETE'] },
      async handler({ ctx, params: p, body: b }) {
        if (who === 'reviewer') await svc.requireGrant(ctx, REVIEW);
        const app = await svc.transition(ctx, p.id, action, (b ?? {}) as Record<string, unknown>, who === 'applicant' ? applicantId(ctx) : undefined);
        return svc.view(ctx, app, { reviewer: who === 'reviewer' });
      },
    });

  const platform: PluginRoute[] = [
    // ---- applicant: account
    route({
      method: 'POST', path: '/applicant/signup', summary: 'Sign up as an applicant; a confirmation token goes out by mail', tags: tags.applicant, access: 'public',
      body: { type: 'object', additionalProperties: false, required: ['email', 'password', 'name'], properties: { email, password: str(200, 10), name: str(200) } },
      responses: { 201: { type: 'object', required: ['id', 'email'], properties: { id: { type: 'string' }, email: { type: 'string' }, emailConfirmed: { type: 'boolean' } } } },
      errors: { 409: ['APPLICANT_EXISTS'] },
      async handler({ ctx, body }) {
        const a = await svc.signUp(ctx, body);
        return created({ id: a.id, email: a.email, emailConfirmed: false });
      },
    }),
    route({
      method: 'POST', path: '/applicant/confirm', summary: 'Confirm the email with the mailed token, and sign in', tags: tags.applicant, access: 'public',
      body: { type: 'object', additionalProperties: false, required: ['token'], properties: { token: str(100) } },
      responses: { 200: sessionOut },
      errors: { 400: ['CONFIRM_TOKEN_INVALID'] },
      handler: ({ ctx, body }) => svc.confirm(ctx, tokens.hash(body.token)),
    }),
    route({
      method: 'POST', path: '/applicant/login', summary: 'Sign in as an applicant', tags: tags.applicant, access: 'public',
      body: { type: 'object', additionalProperties: false, required: ['email', 'password'], properties: { email, password: str(200) } },
      responses: { 200: sessionOut },
      errors: { 401: ['INVALID_CREDENTIALS'], 403: ['EMAIL_NOT_CONFIRMED'], 429: ['LOGIN_THROTTLED'] },
      handler: ({ ctx, body, koa }) => svc.login(ctx, body.email, body.password, koa.ip),
    }),
    route({
      method: 'POST', path: '/applicant/logout', summary: 'End this applicant session', tags: tags.applicant, access: 'principal',
      responses: { 204: null },
      async handler({ ctx, headers }) {
        applicantId(ctx);
        await svc.logout(ctx, tokens.hash(String(headers.authorization ?? '').slice(7).trim()));
        return noContent();
      },
    }),
    // ---- applicant: applications
    route({
      method: 'GET', path: '/applicant/applications', summary: 'My applications', tags: tags.applicant, access: 'principal',
      responses: { 200: { type: 'object', required: ['items'], properties: { items: { type: 'array' } } } },
      handler: ({ ctx }) => svc.mine(ctx, applicantId(ctx)),
    }),
    route({
      method: 'POST', path: '/applicant/applications', summary: 'Start an application (draft)', tags: tags.applicant, access: 'principal',
      body: { type: 'object', additionalProperties: false, required: ['category', 'storeName', 'storeSlug'], properties: { category: str(64), storeName: str(200), storeSlug: slug, data: dataSchema } },
      responses: { 201: appOut },
      async handler({ ctx, body }) {
        const app = await svc.create(ctx, applicantId(ctx), body);
        return created(await svc.view(ctx, app, { reviewer: false }), `/platform/v1/onboarding/applicant/applications/${app.id}`);
      },
    }),
    route({
      method: 'GET', path: '/applicant/applications/:id', summary: 'My application with its checklist, refused items and reasons', tags: tags.applicant, access: 'principal',
      params, responses: { 200: appOut },
      errors: { 404: ['APPLICATION_NOT_FOUND'] },
      async handler({ ctx, params: p }) {
        return svc.view(ctx, await svc.load(ctx, p.id, applicantId(ctx)), { reviewer: false });
      },
    }),
    route({
      method: 'PATCH', path: '/applicant/applications/:id', summary: 'Change the application data (draft or needs_info)', tags: tags.applicant, access: 'principal',
      params, body: { type: 'object', additionalProperties: false, properties: { storeName: str(200), storeSlug: slug, data: dataSchema } },
      responses: { 200: appOut },
      errors: { 404: ['APPLICATION_NOT_FOUND'], 409: ['ITEM_ACCEPTED'] },
      async handler({ ctx, params: p, body }) {
        return svc.view(ctx, await svc.update(ctx, applicantId(ctx), p.id, body), { reviewer: false });
      },
    }),
    route({
      method: 'POST', path: '/applicant/applications/:id/attestations', summary: 'Attest an item (accept the terms)', tags: tags.applicant, access: 'principal',
      params, body: { type: 'object', additionalProperties: false, required: ['requirementId'], properties: { requirementId: str(64) } },
      responses: { 200: appOut },
      async handler({ ctx, params: p, body }) {
        return svc.view(ctx, await svc.attest(ctx, applicantId(ctx), p.id, body.requirementId), { reviewer: false });
      },
    }),
    route({
      method: 'POST', path: '/applicant/applications/:id/documents',
      summary: 'Upload a document: the raw bytes as the body, Content-Type application/pdf, image/jpeg or image/png (checked against the bytes)',
      tags: tags.applicant, access: 'principal', params,
      query: { type: 'object', additionalProperties: false, required: ['requirement', 'filename'], properties: { requirement: str(64), filename: { type: 'string', pattern: '^[\\p{L}\\p{N}_. -]{1,100}\\.[A-Za-z]{3,4}$' }, expiresAt: { type: 'string', format: 'date-time' } } },
      responses: { 201: { type: 'object', required: ['id', 'requirementId', 'size', 'sha256'], properties: { id: { type: 'string' }, requirementId: { type: 'string' }, size: { type: 'integer' }, sha256: { type: 'string' } } } },
      errors: { 400: ['DOCUMENT_CONTENT_MISMATCH', 'DOCUMENT_EXPIRED', 'DOCUMENT_TYPE_NOT_ALLOWED', 'UNKNOWN_REQUIREMENT'], 404: ['APPLICATION_NOT_FOUND'], 409: ['ITEM_ACCEPTED'], 413: ['DOCUMENT_TOO_LARGE'] },
      async handler({ ctx, params: p, query, koa }) {
        const who = applicantId(ctx);
        const type = (koa.get('content-type') || '').split(';')[0].trim().toLowerCase();
        if (!['application/pdf', 'image/jpeg', 'image/png'].includes(type)) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the document as application/pdf, image/jpeg or image/png');
        return created(await svc.upload(ctx, who, p.id, query, type, (limit) => readBody(koa.req as never, limit)));
      },
    }),
    route({
      method: 'GET', path: '/applicant/applications/:id/documents/:docId/content', summary: 'One of my documents', tags: tags.applicant, access: 'principal',
      params: docParams, responses: { 200: null },
      errors: { 404: ['APPLICATION_NOT_FOUND'] },
      async handler({ ctx, params: p }) {
        const d = await svc.documentContent(ctx, p.id, p.docId, applicantId(ctx));
        return raw(200, d.bytes, d.contentType);
      },
    }),
    route({
      method: 'DELETE', path: '/applicant/applications/:id/documents/:docId', summary: 'Remove a document (not one of an accepted item)', tags: tags.applicant, access: 'principal',
      params: docParams, responses: { 204: null },
      errors: { 404: ['APPLICATION_NOT_FOUND'] },
      async handler({ ctx, params: p }) {
        await svc.removeDocument(ctx, applicantId(ctx), p.id, p.docId);
        return noContent();
      },
    }),
    act('submit', 'applicant'),
    act('withdraw', 'applicant'),
    act('reopen', 'applicant'),
    storeAct('terminate', 'applicant', []),
    route({
      method: 'GET', path: '/applicant/applications/:id/scorecard', summary: "My store's scorecard, breaches listed", tags: tags.applicant, access: 'principal',
      params, responses: { 200: { type: 'object', required: ['storeId', 'thresholds'], properties: { storeId: { type: 'string' }, thresholds: { type: 'object' } } } },
      errors: { 404: ['APPLICATION_NOT_FOUND'] },
      async handler({ ctx, params: p }) {
        const app = await svc.load(ctx, p.id, applicantId(ctx));
        if (!app.storeId) throw new NotFoundError('STORE_NOT_FOUND', 'This application has no store yet');
        return after.scorecard(ctx, app.storeId);
      },
    }),
    route({
      method: 'GET', path: '/applicant/applications/:id/products', summary: "My store's products at the quality gate: held, refused (with reasons), approved", tags: tags.applicant, access: 'principal',
      params, query: { type: 'object', additionalProperties: false, properties: { status: { enum: ['proposed', 'approved', 'published', 'rejected'] }, limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 }, cursor: idParam } },
      responses: { 200: { type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array' }, nextCursor: { type: ['string', 'null'] } } } },
      errors: { 404: ['APPLICATION_NOT_FOUND'] },
      async handler({ ctx, params: p, query }) {
        const app = await svc.load(ctx, p.id, applicantId(ctx));
        if (!app.storeId) return { items: [], nextCursor: null };
        const page = await after.productQueue(ctx, { ...query, status: query.status ?? 'all', storeId: app.storeId });
        return { items: page.items.map(({ reviewerId: _r, ...rest }) => rest), nextCursor: page.nextCursor };
      },
    }),
    route({
      method: 'GET', path: '/applicant/applications/:id/changes', summary: "My store's changes to live products: waiting, confirmed, declined (with reasons), cancelled", tags: tags.applicant, access: 'principal',
      params, query: { type: 'object', additionalProperties: false, properties: { status: { enum: ['pending', 'confirmed', 'declined', 'canceled', 'all'] }, limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 }, cursor: str(200) } },
      responses: { 200: { type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array' }, nextCursor: { type: ['string', 'null'] } } } },
      errors: { 404: ['APPLICATION_NOT_FOUND'] },
      async handler({ ctx, params: p, query }) {
        const app = await svc.load(ctx, p.id, applicantId(ctx));
        if (!app.storeId) return { items: [], nextCursor: null };
        return changes.queue(ctx, { ...query, status: query.status ?? 'all', storeId: app.storeId }, { reviewer: false });
      },
    }),
    route({
      method: 'POST', path: '/applicant/applications/:id/changes/:changeId/cancel', summary: 'Withdraw a change of mine that is still waiting for review', tags: tags.applicant, access: 'principal',
      params: { type: 'object', required: ['id', 'changeId'], additionalProperties: false, properties: { id: idParam, changeId: idParam } }, responses: { 200: { type: 'object', required: ['id', 'status'], properties: { id: { type: 'string' }, status: { type: 'string' } } } },
      errors: { 404: ['APPLICATION_NOT_FOUND'], 409: ['CHANGE_ALREADY_DECIDED'] },
      async handler({ ctx, params: p }) {
        const app = await svc.load(ctx, p.id, applicantId(ctx));
        if (!app.storeId) throw new NotFoundError('CHANGE_NOT_FOUND', 'No such change request');
        return changes.cancel(ctx, app.storeId, p.changeId);
      },
    }),
    route({
      method: 'GET', path: '/applicant/applications/:id/standing', summary: "My store's penalty points this quarter and its restrictions, with their appeals", tags: tags.applicant, access: 'principal',
      params, responses: { 200: standingOut },
      errors: { 404: ['APPLICATION_NOT_FOUND'] },
      async handler({ ctx, params: p }) {
        const app = await svc.load(ctx, p.id, applicantId(ctx));
        if (!app.storeId) throw new NotFoundError('STORE_NOT_FOUND', 'This application has no store yet');
        return penalties.standing(ctx, app.storeId);
      },
    }),
    route({
      method: 'POST', path: '/applicant/applications/:id/restrictions/:restrictionId/appeal', summary: 'Appeal a restriction (within the appeal window, once)', tags: tags.applicant, access: 'principal',
      params: { type: 'object', required: ['id', 'restrictionId'], additionalProperties: false, properties: { id: idParam, restrictionId: idParam } },
      body: { type: 'object', additionalProperties: false, required: ['text'], properties: { text: str(2000) } },
      responses: { 200: restrictionOut },
      errors: { 409: ['APPEAL_EXISTS', 'APPEAL_WINDOW_CLOSED'] },
      async handler({ ctx, params: p, body }) {
        const app = await svc.load(ctx, p.id, applicantId(ctx));
        if (!app.storeId) throw new NotFoundError('RESTRICTION_NOT_FOUND', 'No such restriction');
        return penalties.appeal(ctx, app.storeId, p.restrictionId, body.text);
      },
    }),
    route({
      method: 'GET', path: '/applicant/applications/:id/deposits', summary: "My application's deposit ledger, oldest first, and its balance (what the platform recorded: paid, deducted for a violation, refunded)", tags: tags.applicant, access: 'principal',
      params, responses: { 200: { type: 'object', required: ['items', 'balance'], properties: { items: { type: 'array', items: { type: 'object', required: ['id', 'type', 'amount', 'currency', 'createdAt'], properties: { id: { type: 'string' }, type: { enum: ['paid', 'deducted', 'refunded'] }, amount: { type: 'integer' }, currency: { type: 'string' }, reference: { type: ['string', 'null'] }, violationId: { type: ['string', 'null'] }, createdAt: { type: 'string' } } } }, balance: { type: 'integer' } } } },
      errors: { 404: ['APPLICATION_NOT_FOUND'] },
      async handler({ ctx, params: p }) {
        const app = await svc.load(ctx, p.id, applicantId(ctx));
        const ledger = await svc.deposits(ctx, app.id);
        // Who recorded each movement is the platform's business.
        return { items: ledger.items.map(({ createdBy: _by, ...d }) => d), balance: ledger.balance };
      },
    }),
    route({
      method: 'POST', path: '/applicant/applications/:id/accept-contract', summary: 'Accept the merchant contract of an approved application (opens the store once its deposit is in)', tags: tags.applicant, access: 'principal',
      params, responses: { 200: appOut },
      errors: { 404: ['APPLICATION_NOT_FOUND'], 409: ['APPLICATION_NOT_APPROVED'] },
      async handler({ ctx, params: p }) {
        return svc.view(ctx, await svc.acceptContract(ctx, applicantId(ctx), p.id), { reviewer: false });
      },
    }),

    // ---- reviewers
    route({
      method: 'GET', path: '/applications', summary: 'Review queue, soonest review deadline first, breaches flagged', tags: tags.review, access: 'platform',
      query: { type: 'object', additionalProperties: false, properties: { status: { enum: STATUSES }, breached: { type: 'boolean' }, limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 } } },
      responses: { 200: { type: 'object', required: ['items'], properties: { items: { type: 'array' } } } },
      async handler({ ctx, query }) {
        await svc.requireGrant(ctx, REVIEW);
        return svc.queue(ctx, query);
      },
    }),
    route({
      method: 'GET', path: '/applications/:id', summary: 'One application, its checklist against the category template; unmask=true shows bank and ID numbers (merchant:pii:read, audited)', tags: tags.review, access: 'platform',
      params, query: { type: 'object', additionalProperties: false, properties: { unmask: { type: 'boolean', default: false } } },
      responses: { 200: appOut },
      async handler({ ctx, params: p, query }) {
        await svc.requireGrant(ctx, REVIEW);
        return svc.piiView(ctx, p.id, query.unmask);
      },
    }),
    route({
      method: 'GET', path: '/applications/:id/documents/:docId/content', summary: 'A document of the application: IDs and licences, so merchant:pii:read (every read audited)', tags: tags.review, access: 'platform',
      params: docParams, responses: { 200: null },
      async handler({ ctx, params: p }) {
        await svc.requireGrant(ctx, REVIEW);
        await svc.requireGrant(ctx, PII);
        const d = await svc.documentContent(ctx, p.id, p.docId);
        return raw(200, d.bytes, d.contentType);
      },
    }),
    act('start-review', 'reviewer'),
    route({
      method: 'POST', path: '/applications/:id/items/:requirementId', summary: 'Accept or refuse one checklist item, with reason codes', tags: tags.review, access: 'platform',
      params: { type: 'object', required: ['id', 'requirementId'], additionalProperties: false, properties: { id: idParam, requirementId: str(64) } },
      body: { type: 'object', additionalProperties: false, required: ['decision'], properties: { decision: { enum: ['accept', 'reject'] }, reasons: { type: 'array', maxItems: 12, items: { enum: [...REASON_CODES] } }, note: str(1000, 0) } },
      responses: { 200: appOut },
      async handler({ ctx, params: p, body }) {
        await svc.requireGrant(ctx, REVIEW);
        return svc.view(ctx, await svc.reviewItem(ctx, p.id, p.requirementId, body), { reviewer: true });
      },
    }),
    act('request-info', 'reviewer', { type: 'object', additionalProperties: false, required: ['reasons', 'externalNote'], properties: { reasons, ...notes } }),
    act('reject', 'reviewer', { type: 'object', additionalProperties: false, required: ['reasons', 'externalNote'], properties: { reasons, ...notes } }),
    act('approve', 'reviewer', { type: 'object', additionalProperties: false, properties: { override: { type: 'boolean' }, overrideReason: str(2000), ...notes } }),
    route({
      method: 'POST', path: '/applications/:id/deposits', summary: 'Record a deposit movement (append-only ledger)', tags: tags.review, access: 'platform',
      params, body: { type: 'object', additionalProperties: false, required: ['type', 'amount', 'currency'], properties: { type: { enum: ['paid', 'deducted', 'refunded'] }, amount: { type: 'integer', minimum: 1, maximum: 1e12 }, currency: { type: 'string', pattern: '^[A-Z]{3}$' }, reference: str(200), violationId: str(64) } },
      responses: { 201: { type: 'object', required: ['id', 'balance'], properties: { id: { type: 'string' }, balance: { type: 'integer' } } } },
      errors: { 400: ['CURRENCY_MISMATCH'], 422: ['DEPOSIT_INSUFFICIENT'] },
      async handler({ ctx, params: p, body }) {
        await svc.requireGrant(ctx, REVIEW);
        return created(await svc.addDeposit(ctx, p.id, body));
      },
    }),
    route({
      method: 'GET', path: '/applications/:id/deposits', summary: 'The deposit ledger of an application, oldest first, and its balance', tags: tags.review, access: 'platform',
      params, responses: { 200: { type: 'object', required: ['items', 'balance'], properties: { items: { type: 'array' }, balance: { type: 'integer' } } } },
      async handler({ ctx, params: p }) {
        await svc.requireGrant(ctx, REVIEW);
        return svc.deposits(ctx, p.id);
      },
    }),
    route({
      method: 'PUT', path: '/applications/:id/payout-account', summary: "The payout account's status at the provider (a store prerequisite where the category asks for it); audited", tags: tags.review, access: 'platform',
      params, body: { type: 'object', additionalProperties: false, required: ['status'], properties: { status: { enum: ['pending', 'active', 'restricted', 'rejected'] }, reference: str(100) } },
      responses: { 200: appOut },
      async handler({ ctx, params: p, body }) {
        await svc.requireGrant(ctx, REVIEW);
        return svc.view(ctx, await svc.setPayoutAccount(ctx, p.id, body), { reviewer: true });
      },
    }),
    storeAct('suspend', 'reviewer', ['DEPOSIT_SHORTFALL', 'SCORECARD', 'VIOLATION', 'FRAUD', 'OTHER']),
    storeAct('resume', 'reviewer', []),
    storeAct('terminate', 'reviewer', ['VIOLATION', 'FRAUD', 'SELLER_REQUEST', 'OTHER']),
    // ---- the quality gate (ONB-9)
    route({
      method: 'GET', path: '/products', summary: 'Products held for review (proposed first, oldest first), a page at a time', tags: tags.review, access: 'platform',
      query: { type: 'object', additionalProperties: false, properties: { status: { enum: ['proposed', 'approved', 'published', 'rejected'] }, storeId: idParam, limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 }, cursor: idParam } },
      responses: { 200: { type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array' }, nextCursor: { type: ['string', 'null'] } } } },
      async handler({ ctx, query }) {
        await svc.requireGrant(ctx, REVIEW);
        return after.productQueue(ctx, query);
      },
    }),
    route({
      method: 'POST', path: '/products/:id/approve', summary: 'Approve a held product: it is published at once (audited)', tags: tags.review, access: 'platform',
      params, body: { type: 'object', additionalProperties: false, properties: { note } }, responses: { 200: { type: 'object', required: ['id', 'status'], properties: { id: { type: 'string' }, status: { type: 'string' } } } },
      errors: { 409: ['PRODUCT_NOT_PROPOSED'] },
      async handler({ ctx, params: p, body }) {
        await svc.requireGrant(ctx, REVIEW);
        return after.decideProduct(ctx, p.id, { decision: 'approve', note: body.note });
      },
    }),
    route({
      method: 'POST', path: '/products/:id/reject', summary: 'Refuse a held product with coded reasons and a note for the merchant (audited)', tags: tags.review, access: 'platform',
      params, body: { type: 'object', additionalProperties: false, required: ['reasons'], properties: { reasons: { type: 'array', minItems: 1, maxItems: 8, uniqueItems: true, items: { enum: [...PRODUCT_REASON_CODES] } }, note } },
      responses: { 200: { type: 'object', required: ['id', 'status'], properties: { id: { type: 'string' }, status: { type: 'string' } } } },
      async handler({ ctx, params: p, body }) {
        await svc.requireGrant(ctx, REVIEW);
        return after.decideProduct(ctx, p.id, { decision: 'reject', reasons: body.reasons, note: body.note });
      },
    }),
    route({
      method: 'GET', path: '/stores/:storeId/gate', summary: "A store's standing at the quality gate: approvals in a row, automatic approval earned", tags: tags.review, access: 'platform',
      params: storeParams, responses: { 200: { type: 'object', required: ['approvedInARow', 'autoApprove'], properties: { approvedInARow: { type: 'integer' }, autoApprove: { type: 'boolean' } } } },
      async handler({ ctx, params: p }) {
        await svc.requireGrant(ctx, REVIEW);
        return after.standing(ctx, p.storeId);
      },
    }),
    // ---- change requests for live products (ONB-9)
    route({
      method: 'GET', path: '/changes', summary: 'Changes to live products waiting for review, soonest deadline first (breaches flagged), a page at a time', tags: tags.review, access: 'platform',
      query: { type: 'object', additionalProperties: false, properties: { status: { enum: ['pending', 'confirmed', 'declined', 'canceled', 'all'] }, storeId: idParam, productId: idParam, limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 }, cursor: str(200) } },
      responses: { 200: { type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array' }, nextCursor: { type: ['string', 'null'] } } } },
      async handler({ ctx, query }) {
        await svc.requireGrant(ctx, REVIEW);
        return changes.queue(ctx, query);
      },
    }),
    route({
      method: 'GET', path: '/changes/:id', summary: 'One change request: its ordered actions and the patch they fold into', tags: tags.review, access: 'platform',
      params, responses: { 200: changeOut },
      async handler({ ctx, params: p }) {
        await svc.requireGrant(ctx, REVIEW);
        return changes.view(await changes.get(ctx, p.id));
      },
    }),
    route({
      method: 'POST', path: '/changes/:id/confirm', summary: 'Confirm a change: its actions are applied to the live product in one transaction (audited); 409 names who decided first', tags: tags.review, access: 'platform',
      params, body: { type: 'object', additionalProperties: false, properties: { note } }, responses: { 200: changeOut },
      errors: { 409: ['CHANGE_ALREADY_DECIDED'] },
      async handler({ ctx, params: p, body }) {
        await svc.requireGrant(ctx, REVIEW);
        return changes.decide(ctx, p.id, { decision: 'confirm', note: body.note });
      },
    }),
    route({
      method: 'POST', path: '/changes/:id/decline', summary: 'Decline a change with coded reasons and a note for the merchant; the live product stays as it is (audited)', tags: tags.review, access: 'platform',
      params, body: { type: 'object', additionalProperties: false, required: ['reasons'], properties: { reasons: { type: 'array', minItems: 1, maxItems: 8, uniqueItems: true, items: { enum: [...PRODUCT_REASON_CODES] } }, note } },
      responses: { 200: changeOut },
      errors: { 409: ['CHANGE_ALREADY_DECIDED'] },
      async handler({ ctx, params: p, body }) {
        await svc.requireGrant(ctx, REVIEW);
        return changes.decide(ctx, p.id, { decision: 'decline', reasons: body.reasons, note: body.note });
      },
    }),
    route({
      method: 'POST', path: '/changes/:id/assign', summary: 'Take a change to review (or give it up with assigneeId null)', tags: tags.review, access: 'platform',
      params, body: { type: 'object', additionalProperties: false, properties: { assigneeId: { anyOf: [idParam, { type: 'null' }] } } }, responses: { 200: changeOut },
      async handler({ ctx, params: p, body }) {
        await svc.requireGrant(ctx, REVIEW);
        const me = 'id' in ctx.actor ? ctx.actor.id : null;
        return changes.assign(ctx, p.id, body.assigneeId === undefined ? me : body.assigneeId);
      },
    }),
    route({
      method: 'GET', path: '/stores/:storeId/changes-policy', summary: "A store's change policy: automatic confirmation, confirmed changes in a row, whether it is earned", tags: tags.review, access: 'platform',
      params: storeParams, responses: { 200: policyOut },
      async handler({ ctx, params: p }) {
        await svc.requireGrant(ctx, REVIEW);
        return changes.standing(ctx, p.storeId);
      },
    }),
    route({
      method: 'PUT', path: '/stores/:storeId/changes-policy', summary: "Switch a store's automatic confirmation of changes (on only once earned; audited)", tags: tags.review, access: 'platform',
      params: storeParams, body: { type: 'object', additionalProperties: false, required: ['autoConfirm'], properties: { autoConfirm: { type: 'boolean' } } }, responses: { 200: policyOut },
      errors: { 409: ['AUTO_CONFIRM_NOT_EARNED'] },
      async handler({ ctx, params: p, body }) {
        await svc.requireGrant(ctx, REVIEW);
        return changes.setPolicy(ctx, p.storeId, body.autoConfirm);
      },
    }),
    // ---- penalties, restrictions, appeals (ONB-11)
    route({
      method: 'POST', path: '/stores/:storeId/feedback', summary: "Record an order's rating, chargeback or guarantee claim (the order defect rate counts them); audited", tags: tags.review, access: 'platform',
      params: storeParams,
      body: {
        type: 'object', additionalProperties: false, required: ['orderId', 'kind'],
        properties: { orderId: idParam, kind: { enum: ['rating', 'chargeback', 'claim'] }, rating: { type: 'integer', minimum: 1, maximum: 5 }, reference: str(200), occurredAt: { type: 'string', format: 'date-time' } },
        if: { properties: { kind: { const: 'rating' } } }, then: { required: ['rating'] }, else: { not: { required: ['rating'] } },
      },
      responses: { 201: { type: 'object', required: ['id', 'orderId', 'kind'], properties: { id: { type: 'string' }, orderId: { type: 'string' }, kind: { type: 'string' }, rating: { type: ['integer', 'null'] } } } },
      errors: { 409: ['FEEDBACK_EXISTS'] },
      async handler({ ctx, params: p, body }) {
        await svc.requireGrant(ctx, REVIEW);
        return created(await penalties.recordFeedback(ctx, p.storeId, body));
      },
    }),
    route({
      method: 'GET', path: '/stores/:storeId/standing', summary: "A store's penalty points this quarter, by week and metric, and its restrictions", tags: tags.review, access: 'platform',
      params: storeParams, responses: { 200: standingOut },
      async handler({ ctx, params: p }) {
        await svc.requireGrant(ctx, REVIEW);
        return penalties.standing(ctx, p.storeId);
      },
    }),
    route({
      method: 'POST', path: '/penalties/evaluate', summary: "This week's penalty points from the latest cards, and the restrictions they reach (the schedule does it after each scorecard run)", tags: tags.review, access: 'platform',
      responses: { 200: { type: 'object', required: ['week', 'points', 'restricted'], properties: { week: { type: 'string' }, quarter: { type: 'string' }, points: { type: 'integer' }, restricted: { type: 'integer' } } } },
      async handler({ ctx }) {
        await svc.requireGrant(ctx, REVIEW);
        return penalties.evaluate(ctx);
      },
    }),
    route({
      method: 'GET', path: '/appeals', summary: 'Appeals of restrictions, oldest first (pending by default)', tags: tags.review, access: 'platform',
      query: { type: 'object', additionalProperties: false, properties: { status: { enum: ['pending', 'upheld', 'overturned'] }, limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 } } },
      responses: { 200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: restrictionOut } } } },
      async handler({ ctx, query }) {
        await svc.requireGrant(ctx, REVIEW);
        return penalties.appeals(ctx, query);
      },
    }),
    route({
      method: 'POST', path: '/restrictions/:id/appeal/decide', summary: 'Uphold a restriction or overturn it (lifted at once); 409 names who decided first; audited', tags: tags.review, access: 'platform',
      params, body: { type: 'object', additionalProperties: false, required: ['decision'], properties: { decision: { enum: ['uphold', 'overturn'] }, note } }, responses: { 200: restrictionOut },
      errors: { 409: ['APPEAL_ALREADY_DECIDED'] },
      async handler({ ctx, params: p, body }) {
        await svc.requireGrant(ctx, REVIEW);
        return penalties.decideAppeal(ctx, p.id, body);
      },
    }),
    // ---- the scorecard (ONB-11)
    route({
      method: 'GET', path: '/stores/:storeId/scorecard', summary: "A store's latest 30- and 90-day scorecard, breaches listed", tags: tags.review, access: 'platform',
      params: storeParams, responses: { 200: { type: 'object', required: ['storeId', 'thresholds'], properties: { storeId: { type: 'string' }, thresholds: { type: 'object' } } } },
      async handler({ ctx, params: p }) {
        await svc.requireGrant(ctx, REVIEW);
        return after.scorecard(ctx, p.storeId);
      },
    }),
    route({
      method: 'GET', path: '/scorecards/breaches', summary: 'Stores whose latest 30-day card breaches a threshold', tags: tags.review, access: 'platform',
      query: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 } } },
      responses: { 200: { type: 'object', required: ['items'], properties: { items: { type: 'array' } } } },
      async handler({ ctx, query }) {
        await svc.requireGrant(ctx, REVIEW);
        return after.breachingStores(ctx, query.limit);
      },
    }),
    route({
      method: 'POST', path: '/scorecards/compute', summary: "Compute today's scorecards now (the schedule does it every few hours)", tags: tags.review, access: 'platform',
      responses: { 200: { type: 'object', required: ['cards'], properties: { cards: { type: 'integer' } } } },
      async handler({ ctx }) {
        await svc.requireGrant(ctx, REVIEW);
        return after.computeScorecards(ctx);
      },
    }),
    route({
      method: 'GET', path: '/templates', summary: 'Checklist templates per category', tags: tags.review, access: 'platform',
      responses: { 200: { type: 'object', required: ['items'], properties: { items: { type: 'array' } } } },
      async handler({ ctx }) {
        await svc.requireGrant(ctx, REVIEW);
        return { items: await Template.query(ctx.db).orderBy('category') };
      },
    }),
    route({
      method: 'PUT', path: '/templates/:category', summary: 'Define the checklist of a category (audited)', tags: tags.review, access: 'platform',
      params: { type: 'object', required: ['category'], additionalProperties: false, properties: { category: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' } } },
      body: { type: 'object', additionalProperties: false, required: ['name', 'requirements'], properties: { name: str(200), requiresQualityReport: { type: 'boolean' }, requiresPayoutAccount: { type: 'boolean' }, requirements: { type: 'array', minItems: 1, maxItems: 50, items: requirementSchema }, deposit: { type: ['object', 'null'], additionalProperties: false, required: ['amount', 'currency'], properties: { amount: { type: 'integer', minimum: 1, maximum: 1e12 }, currency: { type: 'string', pattern: '^[A-Z]{3}$' } } } } },
      responses: { 200: { type: 'object', required: ['category', 'requirements'], properties: { category: { type: 'string' }, requirements: { type: 'array' } } } },
      async handler({ ctx, params: p, body }) {
        await svc.requireGrant(ctx, REVIEW);
        return svc.putTemplate(ctx, p.category, body);
      },
    }),
    route({
      method: 'PUT', path: '/reviewers/:adminId', summary: "Grant a platform admin onboarding permissions (onboarding:review, merchant:pii:read); audited", tags: tags.review, access: 'platform',
      params: { type: 'object', required: ['adminId'], additionalProperties: false, properties: { adminId: idParam } },
      body: { type: 'object', additionalProperties: false, required: ['permissions'], properties: { permissions: { type: 'array', maxItems: 2, uniqueItems: true, items: { enum: [REVIEW, PII] } } } },
      responses: { 200: { type: 'object', required: ['adminId', 'permissions'], properties: { adminId: { type: 'string' }, permissions: { type: 'array' } } } },
      handler: ({ ctx, params: p, body }) => svc.setReviewer(ctx, p.adminId, body.permissions),
    }),
  ];
  void InvalidError;
  return { platform };
}
