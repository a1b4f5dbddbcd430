import type { Readable } from 'node:stream';

/** What a scanner concluded about one file's bytes. */
export type ScanVerdict = { readonly kind: 'clean' } | { readonly kind: 'infected'; readonly signature: string };

/**
 * Scans uploaded bytes for malware (files issue, part B2): ClamAV's clamd when CLAMAV_URL is set,
 * no scanner at all otherwise. A scan either gives a verdict or throws: a scanner that is down,
 * slow or answers anything unexpected is never read as "clean" (ScannerUnavailableError).
 */
export interface FileScanner {
  /** Streams `body` to the scanner; the caller's stream is consumed or destroyed either way. */
  scan(body: Readable): Promise<ScanVerdict>;
  /** Resolves when the scanner answers; throws ScannerUnavailableError otherwise. */
  ping(): Promise<void>;
}

/** The scanner could not be reached or gave no verdict: the file stays unscanned and the scan is retried. */
export class ScannerUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ScannerUnavailableError';
  }
}
