import { EventEmitter } from 'node:events';
import { customDomainsChanged } from './custom-domain-changes.js';

/**
 * Tells this process's HTTPS listener that a host's certificate changed (issued, uploaded,
 * revoked), so it drops its cached TLS context at once; other processes notice within the cache's
 * short lifetime.
 */
const events = new EventEmitter();
events.setMaxListeners(0);

export function certificateChanged(host: string): void {
  events.emit('changed', host);
  // A certificate change moves its domain too (issued → active, revoked → verified).
  customDomainsChanged();
}

export function onCertificateChanged(listener: (host: string) => void): () => void {
  events.on('changed', listener);
  return () => events.off('changed', listener);
}
