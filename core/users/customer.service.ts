import type { TenantCtx } from '../context.js';
import { scoped } from '../db/model.js';
import { NotFoundError } from '../errors.js';
import { pageByIdDesc } from '../http/pagination.js';
import { Customer } from './user.model.js';

export async function getCustomer(ctx: TenantCtx, id: string): Promise<Customer> {
  const customer = await scoped(ctx, Customer).findById(id);
  if (!customer) throw new NotFoundError('CUSTOMER_NOT_FOUND', 'No such customer');
  return customer;
}

export async function listCustomers(ctx: TenantCtx, opts: { limit: number; cursor?: string; email?: string }) {
  const q = scoped(ctx, Customer);
  if (opts.email) q.where('email', 'like', `${opts.email.toLowerCase().replace(/[%_\\]/g, '\\$&')}%`);
  return pageByIdDesc(q, 'id', opts.limit, opts.cursor);
}

export async function updateCustomer(ctx: TenantCtx, id: string, patch: { name?: string; locale?: string }): Promise<Customer> {
  await getCustomer(ctx, id);
  await scoped(ctx, Customer).patch(patch).where('id', id);
  return getCustomer(ctx, id);
}
