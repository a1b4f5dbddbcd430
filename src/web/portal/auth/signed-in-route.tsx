import { Navigate, Outlet } from 'react-router';
import { messageOf } from '../../shared/api-client.js';
import { LoadErrorCard, PageLoading } from '../../shared/states.js';
import { useMe } from './use-me.js';

/**
 * The pages only a signed-in customer sees. Without a session (never had one, signed out in
 * another tab, or any request answered 401) the customer goes to the sign-in form on `/`.
 */
export function SignedInRoute() {
  const me = useMe();
  if (me.data) return <Outlet />;
  if (me.data === null) return <Navigate to="/" replace />;
  if (me.isError) return <LoadErrorCard message={messageOf(me.error)} onRetry={() => void me.refetch()} isRetrying={me.isFetching} />;
  return <PageLoading />;
}
