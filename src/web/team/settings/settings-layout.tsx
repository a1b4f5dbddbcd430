import { NavLink, Outlet } from 'react-router';
import { useSignedInSession } from '../auth/use-session.js';

/** `/app/settings/…`: the organisation's settings, one page per subject, with a menu beside them. */
export function SettingsLayout() {
  const { member } = useSignedInSession();
  const pages: (readonly [string, string])[] = [
    ['organisation', 'Organisation'],
    ['portal', 'Customer portal'],
    ['notifications', 'Notifications'],
    ['team', 'Team'],
  ];
  if (member.role === 'owner') pages.push(['audit', 'Audit log']);
  return (
    <div className="page settings">
      <nav className="settings__nav" aria-label="Settings">
        <p className="settings__nav-title" aria-hidden="true">
          Settings
        </p>
        <ul className="settings__nav-list">
          {pages.map(([path, label]) => (
            <li key={path}>
              <NavLink className="settings__nav-link" to={`/settings/${path}`}>
                {label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="settings__page">
        <Outlet />
      </div>
    </div>
  );
}
