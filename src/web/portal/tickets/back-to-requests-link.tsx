import { Link } from 'react-router';

/** The way back from a ticket (or a refused new-ticket form) to the list of requests. */
export function BackToRequestsLink({ primary = true }: { primary?: boolean }) {
  return (
    <Link className={`button ${primary ? 'button--primary' : 'button--secondary'}`} to="/">
      Back to your requests
    </Link>
  );
}
