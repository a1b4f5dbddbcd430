import { Agent, get } from 'node:https';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import acme from 'acme-client';
import type { AppContext } from '../../platform/context.js';
import { toDbTime } from '../../platform/db/time.js';
import { isUniqueViolation } from '../../platform/db/unique-violation.js';
import { newId } from '../../platform/ids.js';
import { decryptSecretText, encryptSecretText } from './certificate-crypto.js';
import { findAcmeAccount, insertAcmeAccount } from './certificate.repository.js';

/** The ACME settings (config `domains.acme`). */
export interface AcmeSettings {
  readonly directoryUrl: string;
  readonly email: string;
  readonly caCertFile: string | null;
}

export interface AcmeContext extends AppContext {
  readonly acme: AcmeSettings;
  /** The at-rest key (certificate-crypto.ts). */
  readonly certificateKey: Buffer;
}

// acme-client's own axios instance (never the global one): its retries would hold a job for a
// minute when the directory is down; the outbox and the domain's backoff retry instead.
(acme.axios.defaults as unknown as { acmeSettings: { retryMaxAttempts: number } }).acmeSettings.retryMaxAttempts = 0;
acme.axios.defaults.timeout = 30_000;
const agents = new Map<string, Agent>();

/**
 * An HTTPS agent trusting the system roots plus ACME_CA_CERT (a test CA such as pebble's), set on
 * each ACME request to that directory only; global TLS settings are never touched.
 */
function trustFor(settings: AcmeSettings): void {
  if (!settings.caCertFile) return;
  if (agents.has(settings.directoryUrl)) return;
  const agent = new Agent({ ca: [...rootCertificates, readFileSync(settings.caCertFile, 'utf8')], keepAlive: false });
  agents.set(settings.directoryUrl, agent);
  const origin = new URL(settings.directoryUrl).origin;
  acme.axios.interceptors.request.use((config) => {
    if (config.url && new URL(config.url, origin).origin === origin) config.httpsAgent = agent;
    return config;
  });
}

const accountPurpose = (directoryUrl: string) => `acme_account:${directoryUrl}`;

/**
 * Reaches the directory first: acme-client turns a network failure into a TypeError once its own
 * retries are spent, so an unreachable CA is told apart here, with its error code.
 */
function probeDirectory(settings: AcmeSettings): Promise<void> {
  return new Promise((resolve, reject) => {
    const agent = agents.get(settings.directoryUrl);
    const req = get(settings.directoryUrl, { ...(agent ? { agent } : {}), timeout: 15_000 }, (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode && res.statusCode < 500
          ? resolve()
          : reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { code: `HTTP_${res.statusCode}` })),
      );
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
  });
}

/** The ACME client of the installation's account for the directory, registered on first use. */
export async function acmeClientFor(ctx: AcmeContext): Promise<acme.Client> {
  trustFor(ctx.acme);
  await probeDirectory(ctx.acme);
  const options = { directoryUrl: ctx.acme.directoryUrl, backoffMin: 250, backoffMax: 5_000, backoffAttempts: 12 };
  const stored = await findAcmeAccount(ctx.db, ctx.acme.directoryUrl);
  if (stored?.accountUrl) {
    const accountKey = decryptSecretText(ctx.certificateKey, accountPurpose(ctx.acme.directoryUrl), stored.keyCiphertext);
    return new acme.Client({ ...options, accountKey, accountUrl: stored.accountUrl });
  }
  const accountKey = (await acme.crypto.createPrivateEcdsaKey('P-256')).toString();
  const client = new acme.Client({ ...options, accountKey });
  await client.createAccount({ termsOfServiceAgreed: true, ...(ctx.acme.email ? { contact: [`mailto:${ctx.acme.email}`] } : {}) });
  try {
    await insertAcmeAccount(ctx.db, {
      id: newId(),
      directoryUrl: ctx.acme.directoryUrl,
      email: ctx.acme.email,
      keyCiphertext: encryptSecretText(ctx.certificateKey, accountPurpose(ctx.acme.directoryUrl), accountKey),
      accountUrl: client.getAccountUrl(),
      now: toDbTime(ctx.clock.now()),
    });
    return client;
  } catch (error) {
    // Another worker registered first: use its account.
    if (isUniqueViolation(error)) return acmeClientFor(ctx);
    throw error;
  }
}

/** An ACME failure in words for the tenant and the operator (never a key, never a stack). */
export function describeAcmeError(error: unknown): string {
  const e = error as { code?: string; message?: string; response?: { status?: number } };
  if (e.code?.startsWith('HTTP_5')) return `The certificate authority is unavailable (${e.code.slice(5)}); Servelo will try again.`;
  const network = ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNABORTED', 'EHOSTUNREACH'];
  if (e.code && network.includes(e.code)) return `The certificate authority could not be reached (${e.code}); Servelo will try again.`;
  const message = (e.message ?? String(error)).replace(/\s+/g, ' ').slice(0, 400);
  return `The certificate authority refused the certificate: ${message}`;
}
