/**
 * What one customer (a contact) may do in the portal: bursts per minute and totals per day of new
 * requests, replies, closings and uploads, and how many megabytes of files they may keep
 * uploaded-but-unsent and upload per day. Defaults come from PORTAL_LIMIT_*; an organisation's
 * overrides (team settings) replace single values.
 */
export interface CustomerLimits {
  readonly submissionsPerMinute: number;
  readonly submissionsPerDay: number;
  readonly repliesPerMinute: number;
  readonly repliesPerDay: number;
  readonly closesPerMinute: number;
  readonly closesPerDay: number;
  readonly uploadsPerMinute: number;
  readonly uploadsPerDay: number;
  readonly pendingUploadMb: number;
  readonly uploadMbPerDay: number;
}

/** The defaults of the customer limits (PORTAL_LIMIT_* replace them installation-wide). */
export const CUSTOMER_LIMIT_DEFAULTS: CustomerLimits = {
  submissionsPerMinute: 5,
  submissionsPerDay: 30,
  repliesPerMinute: 20,
  repliesPerDay: 300,
  closesPerMinute: 5,
  closesPerDay: 30,
  uploadsPerMinute: 60,
  uploadsPerDay: 500,
  pendingUploadMb: 200,
  uploadMbPerDay: 1000,
};

/** The largest value any customer limit accepts (a day's requests; megabytes). */
export const CUSTOMER_LIMIT_MAX = 1_000_000;
