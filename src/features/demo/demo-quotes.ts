import type { Clock } from '../../platform/clock.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';
import { acceptQuote, declineQuote, lockQuoteForDecision, markQuoteChangesRequested } from '../quotes/quote-decision.service.js';
import { dateIn, type QuoteLineInput } from '../quotes/quote.domain.js';
import { createQuote, sendQuote, updateQuote, withdrawQuote } from '../quotes/quote.service.js';
import type { Tenant } from '../tenants/tenant.service.js';

/** The demo's quotes: one in every state a team meets, most for Harbor View (Maria Lopez), so the portal shows them all. */

type DemoOutcome =
  | { readonly kind: 'draft' }
  | { readonly kind: 'sent' }
  | { readonly kind: 'revised' }
  | { readonly kind: 'accepted'; readonly signer: string }
  | { readonly kind: 'declined'; readonly reason: string }
  | { readonly kind: 'changes_requested'; readonly message: string }
  | { readonly kind: 'expired' }
  | { readonly kind: 'withdrawn' };

interface DemoQuote {
  readonly client: number;
  readonly contact: number;
  /** Index into the demo tickets, or none. */
  readonly ticket: number | null;
  readonly title: string;
  readonly sentDaysAgo: number;
  readonly validDays: number;
  readonly requiresSignature: boolean;
  readonly discountPercent?: string;
  readonly lines: readonly QuoteLineInput[];
  readonly outcome: DemoOutcome;
}

const TERMS =
  'Prices include parts and labour as listed. Work is scheduled within 10 working days of acceptance. ' +
  'Payment is due within 30 days of completion. Parts carry the manufacturer’s warranty; our workmanship is guaranteed for 12 months.';

const line = (description: string, quantity: string, unitPrice: number, taxRatePercent: string | null = '8.25'): QuoteLineInput => ({
  description,
  quantity,
  unitPrice,
  taxRatePercent,
});

export const DEMO_QUOTES: readonly DemoQuote[] = [
  {
    client: 0,
    contact: 0,
    ticket: 0,
    title: 'Replace the corroded kitchen supply line in unit 4B',
    sentDaysAgo: 0,
    validDays: 30,
    requiresSignature: true,
    lines: [
      line('PEX supply line and fittings', '1', 8_950),
      line('Shut-off valve, quarter turn', '2', 2_475),
      line('Labour (hours)', '2.5', 9_500, null),
    ],
    outcome: { kind: 'sent' },
  },
  {
    client: 0,
    contact: 0,
    ticket: 5,
    title: 'Booster pump for the 6th floor',
    sentDaysAgo: 3,
    validDays: 21,
    requiresSignature: true,
    discountPercent: '5',
    lines: [
      line('Variable-speed booster pump', '1', 184_000),
      line('Pressure tank, 20 gallon', '1', 42_500),
      line('Labour (hours)', '6', 9_500, null),
    ],
    outcome: { kind: 'revised' },
  },
  {
    client: 0,
    contact: 0,
    ticket: null,
    title: 'Annual maintenance plan 2027',
    sentDaysAgo: 12,
    validDays: 30,
    requiresSignature: true,
    lines: [line('Quarterly inspection visit', '4', 22_500), line('Drain camera survey', '1', 35_000)],
    outcome: { kind: 'accepted', signer: 'Maria Lopez' },
  },
  {
    client: 0,
    contact: 1,
    ticket: null,
    title: 'Lobby restroom fixture upgrade',
    sentDaysAgo: 9,
    validDays: 30,
    requiresSignature: false,
    lines: [
      line('Wall-hung toilet, concealed cistern', '2', 61_000),
      line('Sensor tap', '2', 18_900),
      line('Labour (hours)', '8', 9_500, null),
    ],
    outcome: { kind: 'declined', reason: 'The board postponed the lobby works to next year.' },
  },
  {
    client: 0,
    contact: 0,
    ticket: null,
    title: 'Boiler descaling',
    sentDaysAgo: 45,
    validDays: 14,
    requiresSignature: false,
    lines: [line('Descaling treatment', '1', 27_500), line('Labour (hours)', '3', 9_500, null)],
    outcome: { kind: 'expired' },
  },
  {
    client: 0,
    contact: 0,
    ticket: null,
    title: 'Roof drain replacement',
    sentDaysAgo: 20,
    validDays: 30,
    requiresSignature: false,
    lines: [line('Cast-iron roof drain', '2', 32_000), line('Labour (hours)', '5', 9_500, null)],
    outcome: { kind: 'withdrawn' },
  },
  {
    client: 0,
    contact: 0,
    ticket: null,
    title: 'Water softener for the laundry room',
    sentDaysAgo: 0,
    validDays: 30,
    requiresSignature: false,
    lines: [line('Twin-tank water softener', '1', 129_000), line('Installation (hours)', '4', 9_500, null)],
    outcome: { kind: 'draft' },
  },
  {
    client: 1,
    contact: 0,
    ticket: 10,
    title: 'New hand-wash sink by the counter',
    sentDaysAgo: 2,
    validDays: 30,
    requiresSignature: true,
    lines: [line('Stainless hand-wash sink with knee valve', '1', 48_500), line('Labour (hours)', '3', 9_500, null)],
    outcome: { kind: 'changes_requested', message: 'Could you quote a wall-mounted model instead? The floor space is tight.' },
  },
];

const DAY = 86_400_000;

function at(ms: number): Clock {
  return { now: () => new Date(ms) };
}

/** Seeds the demo's quotes in the seed's transaction; emails for the open ones go out through the outbox like any sent quote. */
export async function seedDemoQuotes(
  scope: TenantScope,
  tenant: Tenant,
  seededAt: number,
  refs: {
    readonly clients: readonly { readonly id: string; readonly contactIds: readonly string[] }[];
    readonly ticketIds: readonly string[];
    readonly memberId: string;
  },
): Promise<void> {
  const team = { kind: 'team_member' as const, id: refs.memberId };
  for (const demo of DEMO_QUOTES) {
    const client = refs.clients[demo.client];
    const contactId = client?.contactIds[demo.contact];
    if (!client || !contactId) throw new Error(`demo quote “${demo.title}” names a missing client or contact`);
    const createdAt = seededAt - demo.sentDaysAgo * DAY - 2 * 3_600_000;
    const quote = await createQuote(
      scope,
      at(createdAt),
      tenant,
      {
        clientId: client.id,
        ticketId: demo.ticket === null ? null : (refs.ticketIds[demo.ticket] ?? null),
        title: demo.title,
        lines: demo.lines,
        discount: demo.discountPercent ? { kind: 'percent', percent: demo.discountPercent } : null,
        validUntil: dateIn(tenant.timeZone, new Date(createdAt), demo.validDays),
        terms: TERMS,
        requiresSignature: demo.requiresSignature,
        recipientContactIds: [contactId],
      },
      team,
    );
    if (demo.outcome.kind === 'draft') continue;
    const sentAt = createdAt + 3_600_000;
    await sendQuote(scope, at(sentAt), tenant, quote.id, {}, team);
    const later = at(sentAt + Math.max(1, demo.sentDaysAgo / 2) * DAY);
    const decide = async () => lockQuoteForDecision(scope, quote.id);
    const outcome = demo.outcome;
    if (outcome.kind === 'revised') {
      await updateQuote(scope, later, tenant, quote.id, { lines: [...demo.lines, line('Isolation valves and unions', '2', 6_800)] }, team);
    } else if (outcome.kind === 'accepted') {
      await acceptQuote(scope, later, await decide(), {
        version: 1,
        contactId,
        signerName: outcome.signer,
        signature: { kind: 'typed', png: null },
        meta: { ip: '203.0.113.24', userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Mobile/15E148 Safari/604.1' },
      });
    } else if (outcome.kind === 'declined') {
      await declineQuote(scope, later, await decide(), contactId, outcome.reason);
    } else if (outcome.kind === 'changes_requested') {
      await markQuoteChangesRequested(scope, later, await decide(), contactId, outcome.message);
    } else if (outcome.kind === 'withdrawn') {
      await withdrawQuote(scope, later, quote.id, team);
    }
    // 'expired' needs nothing: its valid-until day is over, so the first read (or the worker) expires it.
  }
}
