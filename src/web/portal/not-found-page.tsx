import { Link } from 'react-router';
import { CompassIcon } from './layout/icons.js';
import { MessageCard } from '../shared/states.js';

/** Any path inside the portal that no page answers. */
export function NotFoundPage() {
  return (
    <MessageCard
      pageTitle="Page not found"
      icon={<CompassIcon />}
      title="Page not found"
      text="This page does not exist. The address may be mistyped, or the page may have moved."
      actions={
        <Link className="button button--primary" to="/">
          Go to the home page
        </Link>
      }
    />
  );
}
