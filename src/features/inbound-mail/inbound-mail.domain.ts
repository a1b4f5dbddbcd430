/**
 * What an inbound door learned about who really sent a message, handed to the pipeline with it.
 * The SMTP door verifies the message itself (mailauth: SPF for the connecting address and the
 * envelope sender, DKIM signatures, DMARC for the From domain); the webhook door trusts an
 * `Authentication-Results` header only when it was added by a relay listed in
 * INBOUND_TRUSTED_RELAYS. A door that learned nothing passes null.
 */
export type DmarcResult = 'pass' | 'fail' | 'none' | 'temperror' | 'permerror';

export interface InboundAuthentication {
  /** Who produced these results. */
  readonly source: 'mailauth' | 'relay';
  /** DMARC for the From domain: `fail` sends the message to quarantine. */
  readonly dmarc: DmarcResult;
  /** The From header's domain the results are about. */
  readonly fromDomain: string | null;
  readonly spf: string | null;
  readonly dkim: string | null;
}
