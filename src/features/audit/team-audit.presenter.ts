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

/** The audit log as the team app shows it: ISO times, the actor's name, the event's data as an object. */
export function presentAuditLog(page: AuditLogPage): TAuditPage {
  const entries = page.events.map((e): TAuditEntry => ({
    id: e.id,
    at: new Date(e.createdAt).toISOString(),
    action: e.action,
    actor: { kind: e.actorKind, id: e.actorId, name: e.actorId ? (page.names.get(e.actorId) ?? null) : null },
    subject: e.subjectKind && e.subjectId ? { kind: e.subjectKind, id: e.subjectId } : null,
    data: parseData(e.data),
    ip: e.ip,
  }));
  return { entries, nextCursor: page.nextCursor };
}
