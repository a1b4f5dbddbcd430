import { LiveStatus } from '../shared/form-controls.js';

/**
 * What a page shows while its code or the session check loads: a quiet placeholder of the
 * page's shape, busy for assistive technology, with no heading of its own (the page's h1 takes
 * the focus when it arrives).
 */
export function PageLoading() {
  return (
    <div className="page" aria-busy="true">
      <div className="page-loading" aria-hidden="true">
        <span className="skeleton skeleton--heading" />
        <span className="skeleton skeleton--block" />
        <span className="skeleton skeleton--block skeleton--w1" />
      </div>
      <LiveStatus>Loading…</LiveStatus>
    </div>
  );
}
