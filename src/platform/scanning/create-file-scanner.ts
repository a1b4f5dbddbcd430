import type { Config } from '../../config/config.js';
import { ClamdScanner, parseClamdUrl } from './clamav-scanner.js';
import type { FileScanner } from './file-scanner.js';

/** clamd at CLAMAV_URL, or no scanner (files are not scanned) when it is unset. */
export function createFileScanner(config: Config): FileScanner | null {
  if (!config.clamavUrl) return null;
  const address = parseClamdUrl(config.clamavUrl);
  // loadConfig has validated it; this only guards against a Config built by hand.
  if (!address) throw new Error(`CLAMAV_URL is not tcp://host:port or unix:/path: ${config.clamavUrl}`);
  return new ClamdScanner(address);
}
