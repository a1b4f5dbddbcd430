/**
 * Who made a request, as services record it (audit events, sessions, sign-in attempts). Built from
 * the HTTP request by `requestMetaOf` (src/http/request-meta.ts); services take it as plain data.
 */
export interface RequestMeta {
  readonly ip: string | null;
  /** At most 500 characters: a user agent is the client's to choose, the log's size is ours. */
  readonly userAgent: string | null;
}
