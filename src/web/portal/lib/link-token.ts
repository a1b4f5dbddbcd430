/**
 * The sign-in token arrives in the link's fragment (`…/auth/confirm#token=…`): browsers never
 * send fragments to servers, proxies or logs. Once read it is taken out of the address bar so it
 * does not linger in the history, a bookmark or a shared screenshot; the page keeps it in memory only.
 */
export function readLinkToken(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token')?.trim();
  return token ? token : null;
}

/** Replaces the current history entry with the same URL minus the fragment, keeping the router's state. */
export function removeFragmentFromAddressBar(): void {
  if (!window.location.hash) return;
  const { pathname, search } = window.location;
  window.history.replaceState(window.history.state, '', `${pathname}${search}`);
}
