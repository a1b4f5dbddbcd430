import type { TOperatorTenant } from '../../features/operator/operator-tenant.schemas.js';

/** "Active" / "Suspended" as the team app's status pill. */
export function TenantStatusBadge({ status }: { status: TOperatorTenant['status'] }) {
  return status === 'active' ? (
    <span className="status-pill status-pill--on">Active</span>
  ) : (
    <span className="status-pill status-pill--off">Suspended</span>
  );
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
