/** The outbox job that obtains a certificate for a verified, approved domain (payload `{ domainId }`, with the tenant id). */
export const ISSUE_CERTIFICATE_JOB = 'domains.issue_certificate';
