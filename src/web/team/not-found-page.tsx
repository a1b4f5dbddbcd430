import { Link } from 'react-router';
import { MessageCard } from '../shared/states.js';

export function NotFoundPage() {
  return (
    <MessageCard
      id="not-found-title"
      pageTitle="Page not found"
      title="Page not found"
      text="There is nothing at this address. Check the link, or start from the inbox."
      actions={
        <Link className="button button--primary button--inline" to="/">
          Go to the inbox
        </Link>
      }
    />
  );
}
