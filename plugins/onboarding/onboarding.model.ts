// Onboarding's tables are the platform's (no tenant_id): applicants are nobody's store yet, and
// the store an approval opens is named by `store_id`, read only through the Platform API.
import { BaseModel, type ProductEditPatch } from '@bazaar/sdk';

export type AppStatus = 'draft' | 'submitted' | 'in_review' | 'needs_info' | 'approved' | 'rejected' | 'withdrawn';

export class Applicant extends BaseModel {
  static override tableName = 'onboarding_applicants';
  id!: string;
  email!: string;
  name!: string;
  passwordHash!: string;
  emailConfirmedAt!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

export class ApplicantToken extends BaseModel {
  static override tableName = 'onboarding_tokens';
  static override idColumn = 'token_hash';
  static override generateId = false;
  static override timestamps = false;
  tokenHash!: string;
  applicantId!: string;
  kind!: 'session' | 'confirm';
  expiresAt!: string;
  usedAt!: string | null;
  createdAt!: string;
}

export interface DocumentSpec {
  formats: ('pdf' | 'jpg' | 'png')[];
  maxBytes: number;
  minFiles: number;
  mustBeUnexpired: boolean;
  /** Days a document must still be valid at submission (brand authorization: 365). */
  minValidDays: number;
}

export interface Requirement {
  id: string;
  kind: 'computed' | 'attested' | 'verified';
  required: boolean;
  label: string;
  /** computed: JSON pointers into the application data that must be filled in. */
  fields?: string[];
  /**
   * computed: a check beyond filled-in fields. `ubo_threshold`: at least one beneficial owner, each
   * holding 25% or more named with a country, shares adding up to at most 100%.
   * `authorization_chain`: brand.authorizations lead from the trademark owner (brand.owner) to the
   * company, link by link, each valid for `minValidDays` more days (none when the company owns it).
   */
  rule?: 'ubo_threshold' | 'authorization_chain';
  minValidDays?: number;
  document?: DocumentSpec;
}

export class Template extends BaseModel {
  static override tableName = 'onboarding_templates';
  static override jsonAttributes = ['requirements'];
  id!: string;
  category!: string;
  name!: string;
  requirements!: Requirement[];
  depositAmount!: number | null;
  depositCurrency!: string | null;
  /** ONB-4: the category asks for quality inspection reports (CNAS/CMA); the checklist adds the item. */
  requiresQualityReport!: boolean;
  /** ONB-2: the store opens only once its payout account is ACTIVE. */
  requiresPayoutAccount!: boolean;
  createdAt!: string;
  updatedAt!: string;
}

export class Application extends BaseModel {
  static override tableName = 'onboarding_applications';
  static override jsonAttributes = ['data', 'attestations'];
  id!: string;
  applicantId!: string;
  status!: AppStatus;
  category!: string;
  storeName!: string;
  storeSlug!: string;
  /** company, brand, bank (account number encrypted), legalRepresentative (id number encrypted). */
  data!: Record<string, any>;
  attestations!: string[];
  reviewerId!: string | null;
  submittedAt!: string | null;
  slaDueAt!: string | null;
  slaBreachedAt!: string | null;
  decidedAt!: string | null;
  storeId!: string | null;
  activationDueAt!: string | null;
  contractAcceptedAt!: string | null;
  activatedAt!: string | null;
  /** ONB-2, the store's lifecycle once provisioned. */
  storeStatus!: StoreStatus | null;
  storeStatusReason!: string | null;
  /** ONB-8: the deposit fell short; suspended (DEPOSIT_SHORTFALL) if not topped up by then. */
  topUpDueAt!: string | null;
  payoutAccountStatus!: PayoutAccountStatus | null;
  payoutAccountRef!: string | null;
  terminatedAt!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

export type StoreStatus = 'pending_activation' | 'open' | 'suspended' | 'terminated';
export type PayoutAccountStatus = 'pending' | 'active' | 'restricted' | 'rejected';

export class ProductReview extends BaseModel {
  static override tableName = 'onboarding_product_reviews';
  static override jsonAttributes = ['reasons'];
  static override timestamps = false;
  id!: string;
  storeId!: string;
  productId!: string;
  status!: 'proposed' | 'approved' | 'published' | 'rejected';
  reasons!: string[];
  note!: string | null;
  auto!: boolean;
  reviewerId!: string | null;
  proposedAt!: string;
  decidedAt!: string | null;
}

export class Scorecard extends BaseModel {
  static override tableName = 'onboarding_scorecards';
  static override jsonAttributes = ['rates', 'breaches'];
  static override timestamps = false;
  id!: string;
  storeId!: string;
  day!: string;
  windowDays!: number;
  orders!: number;
  cancelledBySeller!: number;
  shipped!: number;
  shippedLate!: number;
  validTracking!: number;
  returned!: number;
  defective!: number;
  ratings!: number;
  ratingSum!: number;
  rates!: Record<string, number | null>;
  breaches!: string[];
  computedAt!: string;
}

export class Document extends BaseModel {
  static override tableName = 'onboarding_documents';
  id!: string;
  applicationId!: string;
  requirementId!: string;
  filename!: string;
  contentType!: string;
  format!: string;
  size!: number;
  sha256!: string;
  storageKey!: string;
  expiresAt!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

export interface ReasonRef {
  code: string;
  requirementId: string;
}

export class ItemReview extends BaseModel {
  static override tableName = 'onboarding_items';
  static override jsonAttributes = ['reasons'];
  static override timestamps = false;
  id!: string;
  applicationId!: string;
  requirementId!: string;
  status!: 'accepted' | 'rejected';
  reasons!: string[];
  note!: string | null;
  reviewerId!: string | null;
  reviewedAt!: string;
}

export class Decision extends BaseModel {
  static override tableName = 'onboarding_decisions';
  static override jsonAttributes = ['reasons'];
  static override timestamps = false;
  id!: string;
  applicationId!: string;
  action!: string;
  fromStatus!: string;
  toStatus!: string;
  reasons!: ReasonRef[];
  externalNote!: string | null;
  internalNote!: string | null;
  overrideReason!: string | null;
  actorType!: string;
  actorId!: string | null;
  createdAt!: string;
}

export class Deposit extends BaseModel {
  static override tableName = 'onboarding_deposits';
  static override timestamps = false;
  id!: string;
  applicationId!: string;
  storeId!: string | null;
  type!: 'paid' | 'deducted' | 'refunded';
  amount!: number;
  currency!: string;
  reference!: string | null;
  violationId!: string | null;
  createdBy!: string;
  createdAt!: string;
}

export class Reviewer extends BaseModel {
  static override tableName = 'onboarding_reviewers';
  static override idColumn = 'admin_id';
  static override generateId = false;
  static override jsonAttributes = ['permissions'];
  adminId!: string;
  permissions!: string[];
  createdAt!: string;
  updatedAt!: string;
}

/** ONB-9: an edit of a live product, held for review; its ordered actions are applied together on confirm. */
export class ProductChange extends BaseModel {
  static override tableName = 'onboarding_product_changes';
  static override jsonAttributes = ['actions', 'reasons'];
  static override timestamps = false;
  id!: string;
  storeId!: string;
  productId!: string;
  status!: 'pending' | 'confirmed' | 'declined' | 'canceled';
  pendingKey!: string | null;
  revision!: number;
  actions!: { patch: ProductEditPatch; at: string }[];
  reasons!: string[];
  note!: string | null;
  auto!: boolean;
  assigneeId!: string | null;
  reviewerId!: string | null;
  proposedAt!: string;
  slaDueAt!: string;
  decidedAt!: string | null;
}

export class StorePolicy extends BaseModel {
  static override tableName = 'onboarding_store_policies';
  static override idColumn = 'store_id';
  static override generateId = false;
  static override timestamps = false;
  storeId!: string;
  autoConfirmChanges!: boolean;
  updatedBy!: string | null;
  updatedAt!: string;
}

/** ONB-11: what makes an order defective (a 1-2 star rating, a chargeback, a guarantee claim), and ratings. */
export class OrderFeedback extends BaseModel {
  static override tableName = 'onboarding_order_feedback';
  static override timestamps = false;
  id!: string;
  storeId!: string;
  orderId!: string;
  kind!: 'rating' | 'chargeback' | 'claim';
  rating!: number | null;
  reference!: string | null;
  recordedBy!: string | null;
  occurredAt!: string;
}

export class Penalty extends BaseModel {
  static override tableName = 'onboarding_penalties';
  static override timestamps = false;
  id!: string;
  storeId!: string;
  week!: string;
  quarter!: string;
  metric!: string;
  points!: number;
  createdAt!: string;
  /** Set when an overturned appeal removed the point: it stays on record and no longer counts. */
  voidedAt!: string | null;
  voidedBy!: string | null;
  voidRestrictionId!: string | null;
}

export class Restriction extends BaseModel {
  static override tableName = 'onboarding_restrictions';
  static override timestamps = false;
  id!: string;
  storeId!: string;
  quarter!: string;
  level!: number;
  kind!: 'no_campaigns' | 'deboost' | 'no_new_listings';
  startsAt!: string;
  endsAt!: string;
  liftedAt!: string | null;
  liftReason!: string | null;
  appealStatus!: 'pending' | 'upheld' | 'overturned' | null;
  appealText!: string | null;
  appealedAt!: string | null;
  appealDecidedBy!: string | null;
  appealDecidedAt!: string | null;
  appealNote!: string | null;
}
