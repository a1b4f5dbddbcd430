import type { AuditLogPage } from './team-audit.service.js';
import type { TAuditEntry, TAuditPage } from './team-audit.schemas.js';

function parseData(data: string | null): Record<string, unknown> | null {
  if (data === null) return null;
  try {
    const parsed: unknown = JSON.parse(data);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : { value: parsed };
  } catch {
    return { value: data };
  }
}

const REFUSALS: Record<string, string> = {
  not_found: 'not found or not theirs',
  forbidden: 'not allowed for their role',
  cross_site: 'sent from another site',
};
const FAILURES: Record<string, string> = {
  'auth.link.failed': 'Sign-in link refused',
  'auth.link.expired': 'Expired sign-in link tried',
  'auth.code.failed': 'Wrong sign-in code',
};

const times = (n: number) => (n === 1 ? 'once' : `${n} times`);

/** One line for the counted entries (refusals, failed sign-ins): how often, what, and for what address or route. */
function summaryOf(action: string, data: Record<string, unknown> | null, occurrences: number, isCounted: boolean): string | null {
  if (!isCounted) return null;
  if (action === 'access.denied') {
    const why = REFUSALS[String(data?.reason)] ?? 'refused';
    return `Refused ${times(occurrences)} (${why}): ${String(data?.method ?? '')} ${String(data?.route ?? '')}`.trim();
  }
  const what = FAILURES[action] ?? action;
  const address = typeof data?.address === 'string' ? ` for ${data.address}` : ' for an unknown link';
  return `${what} ${times(occurrences)}${address}`;
}

/** The audit log as the team app shows it: ISO times, the actor's name, the event's data as an object. */
export function presentAuditLog(page: AuditLogPage): TAuditPage {
  const entries = page.events.map((e): TAuditEntry => {
    const data = parseData(e.data);
    return {
      id: e.id,
      at: new Date(e.createdAt).toISOString(),
      action: e.action,
      actor: { kind: e.actorKind, id: e.actorId, name: e.actorId ? (page.names.get(e.actorId) ?? null) : null },
      subject: e.subjectKind && e.subjectId ? { kind: e.subjectKind, id: e.subjectId } : null,
      data,
      ip: e.ip,
      occurrences: e.occurrences,
      lastAt: e.lastAt ? new Date(e.lastAt).toISOString() : null,
      summary: summaryOf(e.action, data, e.occurrences, e.lastAt !== null),
    };
  });
  return { entries, nextCursor: page.nextCursor };
}
