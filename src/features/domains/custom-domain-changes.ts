/**
 * An in-process signal that a custom domain changed (claimed, verified, approved, activated, lapsed,
 * removed) or a tenant was suspended or resumed: the host router and the TLS `ask` cache drop what
 * they remembered at once instead of waiting for their few seconds of TTL. Whoever writes such a
 * change calls `customDomainsChanged()` after the transaction committed; other instances of the
 * installation catch up within the TTL.
 */
type Listener = () => void;

const listeners = new Set<Listener>();

export function customDomainsChanged(): void {
  for (const listener of listeners) listener();
}

/** Subscribes; returns the unsubscribe function (an app's onClose calls it). */
export function onCustomDomainsChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
