import { storeApi, type Page } from '../../api';

export interface OrderSummary {
  id: string;
  number: number;
  status: string;
  paymentStatus: string;
  customerId?: string | null;
  email?: string;
  currency: string;
  total: number;
  placedAt: string;
}

export interface DayFigures {
  day: string;
  orders: number;
  revenue: { currency: string; amount: number }[];
}

export interface SalesFigures {
  today: DayFigures;
  days: DayFigures[];
  currencies: string[];
}

/** The dashboard's figures, counted by the API in the browser's calendar (its UTC offset now). */
export function salesFigures(days = 30): Promise<SalesFigures> {
  return storeApi('GET', '/dashboard/sales', { query: { days, tzOffset: -new Date().getTimezoneOffset() } });
}

export function latestOrders(limit = 5): Promise<Page<OrderSummary>> {
  return storeApi('GET', '/orders', { query: { limit } });
}
