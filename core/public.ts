// The plugin SDK: the only module a plugin imports from core. Built-in plugins import it by
// path (`../../core/public.js`); published ones as `@bazaar/sdk`, which the host resolves to
// this file, so a plugin always shares the host's classes. docs/plugins.md is the guide.

// Manifest and api
export { definePlugin } from './plugins/manifest.js';
export type {
  PluginDefinition,
  PluginApi,
  PluginConfigView,
  PluginScope,
  PluginMiddleware,
  PluginRoute,
  PluginJob,
  PluginJobOptions,
  EnqueueOptions,
  PluginServices,
  Permission,
  ServicePermission,
  EventPermission,
  HttpContext,
  JsonSchema,
  MailMessage,
  StoreService,
  CustomerService,
  CatalogReadService,
  NotificationService,
  PluginCache,
  PluginMetrics,
  AuditService,
  TenantProvisionService,
  TenantProvisionInput,
  TenantReadService,
  ProvisionedTenant,
  PrincipalSpec,
  PrincipalTokens,
  ListeningServer,
} from './plugins/types.js';

// Context
export type { Ctx, TenantCtx, Tenant, Actor } from './context.js';
export { requireTenant, withTransaction } from './context.js';

// Routes and replies
export { route, reply, created, accepted, noContent, raw, Reply } from './http/route.js';
export type { RouteSpec, RouteInput, Access, Method } from './http/route.js';
export { id, idParams, email, timestamp, currency, locale, pageQuery, page } from './http/schemas.js';
export { pageByIdDesc, encodeCursor, decodeCursor } from './http/pagination.js';

// Errors: thrown by handlers, turned into problem+json by the core
export { AppError, InvalidError, UnauthorizedError, ForbiddenError, NotFoundError, ConflictError, TooManyRequestsError, UnavailableError, isUniqueViolation } from './errors.js';
export type { FieldError } from './errors.js';
export { fieldError } from './http/validation.js';
export { setRequestLocale } from './http/tenancy.js';
export { negotiateLocale, matchLocale, supportedLocales } from './i18n.js';

// Audit: platform acts (a platform plugin's decisions), read through the Platform API
export { recordAudit } from './audit/audit.service.js';
export type { AuditInput } from './audit/audit.service.js';

// Data: tenant-owned models are reached through scoped() only
export { BaseModel, TenantModel, scoped, scopedTo } from './db/model.js';
export { LoadingMemo } from './cache/loading-memo.js';
export { tenantKey, timestamps } from './db/schema.js';
// Secrets a plugin keeps in its own tables (AES-256-GCM under BAZAAR_SECRETS_KEY, rotation by key id)
export { seal as sealSecret, open as openSecret, isSealed } from './plugins/secrets.js';
export { newId } from './db/ids.js';
export type { Knex } from './db/knex.js';
export { raw as sql } from 'objection';

// Events, providers, hooks
export type { DomainEvent, EventMap, EventPayload, SubscriberSpec } from './events/event.types.js';
export type { OnceResult } from './events/once.js';
export type { JobInfo } from './events/queue.js';
export type { Provider, ProviderMap, ProviderKind, HookMap, HookName, HookHandler, HookOutcome } from './extensions.js';
export type { MiddlewarePosition } from './app.js';

// Money: integer minor units, never floating point
export { money, Money, sum } from './money/money.js';
export { currencySchema, exponentOf, displayDigitsOf, CURRENCY_TABLE_VERSION, type CurrencyTableVersion } from './money/currencies.js';

// Order flow contracts: what payments, logistics, cross-border, membership and risk plugins implement
export type {
  PaymentProvider, PaymentMethodOption, PaymentPayer, PaymentStatus, PaymentContext, PaymentData, PaymentInput, PaymentResult, WebhookAction, WebhookActionType, WebhookInput, WebhookOutcome,
} from './orders/payment.provider.js';
export { PaymentRefusedError, PaymentIndeterminateError, isIndeterminate } from './orders/payment.provider.js';
export type { PaymentReconcileService, OpenPayment } from './orders/payment.reconcile.js';
export type { OperationOutcome } from './orders/payment.service.js';
export type { ShippingProvider, ShippingInput, ShippingOption } from './orders/shipping.provider.js';
export type { FxRatesProvider, MarketTerms } from './orders/fx-rates.provider.js';
export type { PriceConversion, PriceKind, LockedConversion } from './catalog/pricing.js';
export type { ShippingInputLine } from './orders/shipping.provider.js';
export type { Address } from './orders/order.types.js';
export type { VariantShipping, WeightUnit, DimensionUnit } from './catalog/variant-shipping.js';
export { exchangeRate } from './orders/fx-rates.provider.js';
export type { CheckoutSnapshot, AdjustmentInput, AdjustmentProposal, TenderInput, ShippingHookInput, ReviewInput, ReviewDecision } from './orders/checkout.hooks.js';
export type { OrderEventBase } from './orders/order.events.js';
export type { PublishCheckInput, PublishDecision, CatalogPublishService, EditCheckInput, EditDecision, HeldEdit, ProductEditPatch, VariantEditAction } from './catalog/publish.gate.js';
export type { OrderReadService, PluginOrderView, OrderStatsService, StoreOrderStats, OpenOrderCount } from './orders/plugin.services.js';
export type { ShipmentWriteService, PluginFulfilmentView, ShipmentUpdate } from './orders/shipments.plugin-service.js';
