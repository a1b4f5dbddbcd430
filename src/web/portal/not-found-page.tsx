import { Link } from 'react-router';
import { CompassIcon } from './icons.js';
import { PageHeading, usePageTitle } from './page-heading.js';

/** Any path inside the portal that no page answers. */
export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <section className="portal-card">
      <div className="portal-card__icon" aria-hidden="true">
        <CompassIcon />
      </div>
      <PageHeading>Page not found</PageHeading>
      <p className="portal-card__text">This page does not exist. The address may be mistyped, or the page may have moved.</p>
      <div className="portal-actions">
        <Link className="button button--primary" to="/">
          Go to the home page
        </Link>
      </div>
    </section>
  );
}
