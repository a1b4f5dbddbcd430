import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, NavLink, useNavigate } from 'react-router';
import { PageOutlet } from '../shared/page-heading.js';
import { operatorApi } from './operator-api.js';
import { setSignedOut, useOperatorSession } from './use-operator-session.js';

/**
 * The frame of every console page: a skip link, the bar (product, the console's places, the
 * operator and sign-out) and the page. A new place is one more `NavLink` here.
 */
export function OperatorLayout() {
  const session = useOperatorSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const signOut = useMutation({
    mutationFn: () => operatorApi.post('auth/sign-out'),
    onSettled: () => {
      setSignedOut(queryClient);
      void navigate('/sign-in', { replace: true });
    },
  });
  const signedIn = session.data?.stage === 'signed_in' ? session.data : null;
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <div className="app-header__inner">
          <Link className="app-brand" to="/">
            <span className="app-brand__mark" aria-hidden="true">
              S
            </span>
            <span className="app-brand__name">Servelo operator</span>
          </Link>
          {signedIn ? (
            <>
              <nav className="app-nav" aria-label="Main">
                <ul className="app-nav__list">
                  <li>
                    <NavLink className="app-nav__link" to="/tenants">
                      Organisations
                    </NavLink>
                  </li>
                  <li>
                    <NavLink className="app-nav__link" to="/domains">
                      Domains
                    </NavLink>
                  </li>
                  <li>
                    <NavLink className="app-nav__link" to="/audit">
                      Audit log
                    </NavLink>
                  </li>
                  <li>
                    <NavLink className="app-nav__link" to="/settings">
                      Settings
                    </NavLink>
                  </li>
                </ul>
              </nav>
              <div className="operator-account">
                <span className="operator-account__name">{signedIn.operator.name}</span>
                <button type="button" className="button button--secondary button--inline" onClick={() => signOut.mutate()}>
                  Sign out
                </button>
              </div>
            </>
          ) : null}
        </div>
      </header>
      <main className="app-main" id="main" tabIndex={-1}>
        <PageOutlet />
      </main>
    </div>
  );
}
