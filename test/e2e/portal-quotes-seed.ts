import type { TCreateQuoteRequest, TTeamQuoteDetail } from '../../src/features/quotes/team-quote.schemas.js';
import { addContact, createClient, type Contact } from '../../src/features/clients/client.service.js';
import { createTenant, type Tenant } from '../../src/features/tenants/tenant.service.js';
import type { Ticket } from '../../src/features/tickets/ticket.service.js';
import { createTeamMemberWithPassword, openTicket, TEAM_PASSWORD } from '../helpers/factories.js';
import { type DevMailMessage, type E2eServer, mailIdsOf, waitForNewMail } from './e2e-server.js';

/**
 * The world of the portal-quote journeys: an organisation (Chicago, US dollars), one household
 * client with two contacts who each see their own requests and quotes, a ticket, and quotes created and sent by a team member through the
 * team API over the real socket — so each send emails its deep link like in production.
 */
export const QUOTES_ORG = 'Lakeside Plumbing & Heating';

export interface SentQuote {
  readonly id: string;
  readonly number: string;
  readonly title: string;
  /** The emailed link that signs the recipient in and lands on the quote (`…/auth/confirm#token=…`). */
  readonly link: string;
  readonly mail: DevMailMessage;
}

export interface PortalQuotesWorld {
  readonly tenant: Tenant;
  /** The owner who writes and sends the quotes (signs in to the team app with TEAM_PASSWORD). */
  readonly teamEmail: string;
  readonly jordan: Contact;
  readonly casey: Contact;
  readonly ticket: Ticket;
  /** Jordan accepts it on a phone, drawing with touch: $1,234.00, on the ticket. */
  readonly tapQuote: SentQuote;
  /** Jordan accepts it on a desktop, drawing with the mouse: 10 % off, $184.13. */
  readonly fanQuote: SentQuote;
  /** Casey declines it with a reason. */
  readonly softenerQuote: SentQuote;
  /** Casey asks for changes: the quote has no ticket, so one is opened. */
  readonly outdoorQuote: SentQuote;
}

const QUOTE_LINK = /https?:\/\/[^\s<>"]+\/auth\/confirm#token=[A-Za-z0-9_-]+/;

export async function seedPortalQuotes(server: E2eServer): Promise<PortalQuotesWorld> {
  const { db, clock } = server.deps;
  const ctx = { db, clock };
  const tenant = await createTenant(ctx, {
    slug: 'lakeside',
    name: QUOTES_ORG,
    accentColor: '#0e7490',
    currency: 'USD',
    locale: 'en-US',
    timeZone: 'America/Chicago',
  });
  const teamEmail = 'morgan@lakeside.example.com';
  const { cookie } = await createTeamMemberWithPassword(server, tenant.id, {
    email: teamEmail,
    name: 'Morgan Lake',
    role: 'owner',
    password: TEAM_PASSWORD,
  });
  // "own": each contact sees the quotes of their own tickets and those sent to them, not each other's.
  const household = await createClient(ctx, tenant.id, { name: 'Rivera Household', ticketVisibility: 'own' });
  const jordan = await addContact(ctx, tenant.id, household.id, { name: 'Jordan Rivera', email: 'jordan@rivera.example.com' });
  const casey = await addContact(ctx, tenant.id, household.id, { name: 'Casey Rivera', email: 'casey@rivera.example.com' });
  const ticket = await openTicket(
    ctx,
    tenant.id,
    { clientId: household.id, requesterContactId: jordan.id, title: 'Leaking kitchen tap', body: 'It drips all night.', source: 'portal' },
    { kind: 'contact', id: jordan.id },
  );

  const team = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await fetch(`${server.origin}/api/team/${path}`, {
      method: 'POST',
      headers: { cookie, origin: server.origin, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`POST /api/team/${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  };
  const createAndSend = async (input: TCreateQuoteRequest, to: Contact): Promise<SentQuote> => {
    const created = await team<TTeamQuoteDetail>('quotes', input);
    const seen = await mailIdsOf(server.origin, to.email);
    await team<unknown>(`quotes/${created.quote.id}/send`, { recipientContactIds: [to.id] });
    const mail = await waitForNewMail(server, to.email, seen);
    const link = QUOTE_LINK.exec(mail.text)?.[0];
    if (!link) throw new Error(`no quote link in the email text:\n${mail.text}`);
    return { id: created.quote.id, number: created.quote.number, title: created.quote.title, link, mail };
  };

  const base = { clientId: household.id, validUntil: '2099-05-12', requiresSignature: true } as const;
  const tapQuote = await createAndSend(
    {
      ...base,
      ticketId: ticket.id,
      title: 'Replace the kitchen tap',
      lines: [
        {
          description: 'Kitchen mixer tap, brushed steel, with a ceramic cartridge and a ten-year warranty',
          quantity: '1',
          unitPrice: 90_000,
          taxRatePercent: null,
        },
        { description: 'Isolation valve', quantity: '2', unitPrice: 1_000, taxRatePercent: '10' },
        { description: 'Labour (hours)', quantity: '2.5', unitPrice: 12_480, taxRatePercent: null },
      ],
      terms: 'Payment within 14 days of completion.\nParts carry the maker’s warranty.',
    },
    jordan,
  );
  const fanQuote = await createAndSend(
    {
      ...base,
      title: 'Bathroom extractor fan',
      lines: [{ description: 'Extractor fan, fitted', quantity: '1', unitPrice: 18_900, taxRatePercent: '8.25' }],
      discount: { kind: 'percent', percent: '10' },
      terms: 'Payment on completion.',
    },
    jordan,
  );
  const softenerQuote = await createAndSend(
    {
      ...base,
      title: 'Water softener',
      lines: [{ description: 'Softener, installed', quantity: '1', unitPrice: 85_000, taxRatePercent: null }],
      terms: '',
    },
    casey,
  );
  const outdoorQuote = await createAndSend(
    {
      ...base,
      requiresSignature: false,
      title: 'Frost-proof outdoor tap',
      lines: [{ description: 'Outdoor tap', quantity: '1', unitPrice: 12_000, taxRatePercent: null }],
      terms: '',
    },
    casey,
  );
  return { tenant, teamEmail, jordan, casey, ticket, tapQuote, fanQuote, softenerQuote, outdoorQuote };
}
