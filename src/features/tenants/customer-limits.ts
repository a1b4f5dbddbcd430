import type { CustomerLimits } from '../../config/config.js';
import type { Tenant } from './tenant.service.js';

/** The limits that apply to this organisation's customers: its own values over the installation's defaults. */
export function effectiveCustomerLimits(defaults: CustomerLimits, tenant: Pick<Tenant, 'customerLimits'>): CustomerLimits {
  return { ...defaults, ...tenant.customerLimits };
}

/** A wait a person can plan with: "a minute", "12 minutes", "about an hour", "about 3 hours". */
export function describeWait(seconds: number): string {
  if (seconds <= 60) return 'a minute';
  if (seconds < 55 * 60) return `${Math.ceil(seconds / 60)} minutes`;
  const hours = Math.round(seconds / 3600);
  return hours <= 1 ? 'about an hour' : `about ${hours} hours`;
}
