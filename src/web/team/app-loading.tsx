import { LiveStatus } from '../shared/form-controls.js';

/**
 * What shows while the app asks who is signed in. The same classes as the server-rendered frame
 * (src/features/shells/team-shell.html.ts), so the page does not jump when React takes over.
 */
export function AppLoading() {
  return (
    <div className="boot" aria-busy="true">
      <p className="boot__brand">Servelo</p>
      <p className="boot__text">Loading…</p>
      <LiveStatus>Loading…</LiveStatus>
    </div>
  );
}
