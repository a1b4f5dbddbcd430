import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/database.js';
import { toDbTime } from '../../platform/db/time.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { readPlatformSetting, writePlatformSetting } from './platform-setting.repository.js';

/** The installation-wide switches the operator sets in the console, with their defaults. */
export interface PlatformSettings {
  /** Issue a certificate as soon as a custom domain's DNS is verified, without waiting for the operator. */
  readonly autoIssueCertificates: boolean;
}

const KEYS = { autoIssueCertificates: 'domains.auto_issue' } as const;
const DEFAULTS: PlatformSettings = { autoIssueCertificates: false };

export async function getPlatformSettings(db: Executor): Promise<PlatformSettings> {
  const autoIssue = await readPlatformSetting(db, KEYS.autoIssueCertificates);
  return { autoIssueCertificates: autoIssue === undefined ? DEFAULTS.autoIssueCertificates : JSON.parse(autoIssue) === true };
}

/** Changes settings (only the ones given), audited as the operator's (installation-wide: no tenant). */
export async function updatePlatformSettings(
  ctx: AppContext,
  changes: Partial<PlatformSettings>,
  by: { operatorId: string; ip?: string | null; userAgent?: string | null },
): Promise<PlatformSettings> {
  return inTransaction(ctx.db, async (trx) => {
    const before = await getPlatformSettings(trx);
    const now = toDbTime(ctx.clock.now());
    for (const [name, value] of Object.entries(changes) as [keyof PlatformSettings, PlatformSettings[keyof PlatformSettings]][]) {
      if (value === undefined || before[name] === value) continue;
      await writePlatformSetting(trx, { key: KEYS[name], value: JSON.stringify(value), updatedById: by.operatorId, now });
      await recordAuditEvent(trx, ctx.clock, {
        tenantId: null,
        actor: { kind: 'operator', id: by.operatorId },
        action: 'platform.setting_changed',
        data: { setting: name, from: before[name], to: value },
        ip: by.ip ?? null,
        userAgent: by.userAgent ?? null,
      });
    }
    return getPlatformSettings(trx);
  });
}
