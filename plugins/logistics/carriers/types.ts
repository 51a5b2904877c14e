// The small interface every carrier adapter implements (Medusa's provider shape, cut down):
// live rates, label purchase, cancel, documents and tracking. Adapters speak the carrier's API
// at a base URL given by the platform (tests point it at a local fake).
import type { Address } from './address.js';

export interface Parcel {
  /** Total weight in grams. */
  weightGrams: number;
  /** Box in centimetres, when known. */
  lengthCm?: number;
  widthCm?: number;
  heightCm?: number;
}

export interface CustomsItem {
  description: string;
  quantity: number;
  /** Minor units of `currency`, per unit. */
  value: number;
  currency: string;
  weightGrams: number;
  hsCode: string | null;
  originCountry: string | null;
}

export interface RateRequest {
  from: Address;
  to: Address;
  parcel: Parcel;
  customs?: CustomsItem[];
  /** Our reference (a fulfilment id when buying). */
  reference?: string;
}

export interface CarrierRate {
  carrier: string;
  service: string;
  /** Minor units of `currency`. */
  amount: number;
  currency: string;
  minDays?: number;
  maxDays?: number;
  /** The carrier's handle on this rate or shipment, when buying needs it. */
  ref?: string;
}

export interface PurchasedLabel {
  carrier: string;
  service: string;
  trackingNumber: string;
  trackingUrl: string | null;
  labelUrl: string | null;
  /** The carrier's id for the shipment (cancel, documents). */
  externalId: string;
  amount: number | null;
  currency: string | null;
}

export interface TrackingUpdate {
  /** The carrier's own status and sub-status, kept as given. */
  rawStatus: string;
  rawDetail: string | null;
  at: string;
  message: string | null;
  location: string | null;
}

export interface CarrierAdapter {
  readonly kind: 'easypost' | 'cainiao';
  rates(req: RateRequest): Promise<CarrierRate[]>;
  /**
   * Buys a label for the service; `reference` identifies our fulfilment to the carrier and
   * `idempotencyKey` the purchase: the same key must give the same label, never a second charge.
   */
  buyLabel(req: RateRequest & { service: string; reference: string; idempotencyKey: string }): Promise<PurchasedLabel>;
  cancel(label: { externalId: string; trackingNumber: string }): Promise<void>;
  documents(label: { externalId: string; labelUrl: string | null }): Promise<{ type: string; url: string }[]>;
  track(label: { trackingNumber: string; carrier: string; externalId: string }): Promise<TrackingUpdate[]>;
}
