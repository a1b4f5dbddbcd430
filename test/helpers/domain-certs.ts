import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppContext } from '../../src/platform/context.js';
import type { CustomDomainStatus } from '../../src/platform/db/database.js';
import { toDbTime } from '../../src/platform/db/time.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { newId } from '../../src/platform/ids.js';

let counter = 0;

/** A host unique to this run, under a test-only name. */
export function uniqueHost(label = 'support'): string {
  counter++;
  return `${label}-${process.pid}-${Date.now().toString(36)}-${counter}.certs.test`;
}

/**
 * A custom_domain row in the state a test needs, inserted through the tenant's scope (the claim
 * service is written elsewhere; these tests start from its result).
 */
export async function insertDomain(
  ctx: AppContext,
  tenantId: string,
  host: string,
  state: { status?: CustomDomainStatus; approved?: boolean } = {},
): Promise<string> {
  const id = newId();
  const now = toDbTime(ctx.clock.now());
  await forTenant(ctx.db, tenantId)
    .insertInto('custom_domain', {
      id,
      host,
      verification_token: `token-${id}`,
      status: state.status ?? 'verified',
      status_reason: null,
      dns_observed: null,
      approved_at: state.approved ? now : null,
      verified_at: now,
      activated_at: state.status === 'active' ? now : null,
      lapsed_at: null,
      last_checked_at: now,
      next_check_at: null,
      certificate_error: null,
      certificate_next_attempt_at: null,
      created_by_id: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

export interface GeneratedCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  /** The CA that signed it (when made with `ca`), PEM. */
  readonly caPem: string | null;
}

/** A temporary directory for openssl's files; removed by `cleanup`. */
export function opensslDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'servelo-certs-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'pipe' });
}

/** A self-signed P-256 certificate (or one signed by a fresh CA with `withCa`) for `names`, valid `days` from now. */
export function makeCertificate(options: {
  names: readonly string[];
  days?: number;
  withCa?: boolean;
  ipSans?: readonly string[];
}): GeneratedCertificate {
  const { dir, cleanup } = opensslDir();
  try {
    const san = [...options.names.map((n) => `DNS:${n}`), ...(options.ipSans ?? []).map((ip) => `IP:${ip}`)].join(',');
    const days = String(options.days ?? 90);
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    if (!options.withCa) {
      openssl([
        'req',
        '-x509',
        ...ec,
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        days,
        '-subj',
        `/CN=${options.names[0]}`,
        '-addext',
        `subjectAltName=${san}`,
        '-addext',
        'basicConstraints=critical,CA:FALSE',
      ]);
      return { certPem: readFileSync(cert, 'utf8'), keyPem: readFileSync(key, 'utf8'), caPem: null };
    }
    const caKey = path.join(dir, 'ca-key.pem');
    const caCert = path.join(dir, 'ca.pem');
    openssl([
      'req',
      '-x509',
      ...ec,
      '-keyout',
      caKey,
      '-out',
      caCert,
      '-days',
      days,
      '-subj',
      '/CN=Servelo Test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
    ]);
    const csr = path.join(dir, 'leaf.csr');
    openssl(['req', '-new', ...ec, '-keyout', key, '-out', csr, '-subj', `/CN=${options.names[0]}`]);
    const ext = path.join(dir, 'ext.cnf');
    execFileSync('sh', ['-c', `printf 'subjectAltName=${san}\\nbasicConstraints=CA:FALSE\\n' > '${ext}'`]);
    openssl(['x509', '-req', '-in', csr, '-CA', caCert, '-CAkey', caKey, '-CAcreateserial', '-out', cert, '-days', days, '-extfile', ext]);
    return { certPem: readFileSync(cert, 'utf8'), keyPem: readFileSync(key, 'utf8'), caPem: readFileSync(caCert, 'utf8') };
  } finally {
    cleanup();
  }
}
