export function AuditLogPage() {
  return <p>TODO</p>;
}
