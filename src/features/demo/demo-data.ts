import type { TicketPriority, TicketStatus } from '../../platform/db/database.js';

/** The demo tenant's content: a plumbing firm with a handful of clients and a month of work. */
export const DEMO_TENANT = {
  slug: 'demo',
  name: 'Acme Plumbing',
  accentColor: '#0e7490',
  currency: 'USD',
  locale: 'en-US',
  timeZone: 'America/Chicago',
} as const;

export const DEMO_TEAM = [
  { email: 'alex@acme-plumbing.example', name: 'Alex Morgan', role: 'owner' },
  { email: 'sam@acme-plumbing.example', name: 'Sam Rivera', role: 'admin' },
  { email: 'jordan@acme-plumbing.example', name: 'Jordan Lee', role: 'agent' },
] as const;

export const DEMO_CLIENTS = [
  {
    name: 'Harbor View Apartments',
    ticketVisibility: 'all',
    contacts: [
      { email: 'maria.lopez@harborview.example', name: 'Maria Lopez', phone: '+13125550142' },
      { email: 'tom.becker@harborview.example', name: 'Tom Becker', phone: null },
    ],
  },
  { name: 'Greenleaf Café', ticketVisibility: 'all', contacts: [{ email: 'priya@greenleafcafe.example', name: 'Priya Shah', phone: '+13125550177' }] },
  {
    name: 'The Nguyen Family',
    ticketVisibility: 'own',
    contacts: [
      { email: 'linh.nguyen@mail.example', name: 'Linh Nguyen', phone: '+13125550110' },
      { email: 'david.nguyen@mail.example', name: 'David Nguyen', phone: null },
    ],
  },
  { name: 'Oakridge Dental Clinic', ticketVisibility: 'all', contacts: [{ email: 'office@oakridgedental.example', name: 'Helen Carter', phone: '+13125550199' }] },
  { name: 'Riverside Gym', ticketVisibility: 'all', contacts: [{ email: 'marcus@riversidegym.example', name: 'Marcus Johnson', phone: null }] },
] as const;

export interface DemoTicket {
  readonly client: number;
  readonly contact: number;
  readonly title: string;
  readonly status: TicketStatus;
  readonly priority: TicketPriority;
  /** Days before the seed time that the ticket was opened. */
  readonly openedDaysAgo: number;
  /** Days from the seed time of the visit (negative: in the past). */
  readonly scheduledInDays?: number;
  /** Charge in cents. */
  readonly charge?: number;
  /** Alternating customer / team messages, the first from the customer. */
  readonly conversation: readonly string[];
}

export const DEMO_TICKETS: readonly DemoTicket[] = [
  { client: 0, contact: 0, title: 'Leaking pipe under kitchen sink in unit 4B', status: 'new', priority: 'high', openedDaysAgo: 0, conversation: ['Tenant in 4B reports water pooling under the kitchen sink since this morning. They have put a bucket under it.'] },
  { client: 1, contact: 0, title: 'Grease trap smells again', status: 'new', priority: 'normal', openedDaysAgo: 1, conversation: ['The grease trap behind the kitchen has started to smell again, mostly in the afternoons.'] },
  { client: 2, contact: 0, title: 'Outdoor tap will not shut off fully', status: 'new', priority: 'low', openedDaysAgo: 2, conversation: ['The garden tap keeps dripping even when closed tight.'] },
  { client: 4, contact: 0, title: 'Shower drains slow in the men’s changing room', status: 'new', priority: 'normal', openedDaysAgo: 1, conversation: ['Two of the four showers drain very slowly. Members are complaining.'] },
  { client: 3, contact: 0, title: 'No hot water in treatment room 2', status: 'open', priority: 'urgent', openedDaysAgo: 1, conversation: ['There is no hot water at the sink in treatment room 2. We need it for hygiene procedures.', 'Thanks Helen, we are checking the mixing valve first. Is the water heater pilot light on?', 'Yes, the pilot light is on and the other rooms have hot water.'] },
  { client: 0, contact: 1, title: 'Water pressure low on the 6th floor', status: 'open', priority: 'normal', openedDaysAgo: 4, conversation: ['Several residents on floor 6 say the water pressure dropped this week.', 'We will check the booster pump on our next visit. Has anything changed in the building recently?'] },
  { client: 1, contact: 0, title: 'Dishwasher drain backing up', status: 'open', priority: 'high', openedDaysAgo: 3, conversation: ['The commercial dishwasher drain is backing up into the floor sink.', 'Understood. Please avoid running it at full load until we have a look.'] },
  { client: 2, contact: 1, title: 'Toilet keeps running upstairs', status: 'open', priority: 'low', openedDaysAgo: 6, conversation: ['The upstairs toilet runs for a minute every half hour or so.'] },
  { client: 4, contact: 0, title: 'Replace sauna room floor drain cover', status: 'open', priority: 'normal', openedDaysAgo: 8, conversation: ['The drain cover in the sauna room is cracked and sharp.', 'We have ordered a stainless replacement; it should arrive this week.'] },
  { client: 0, contact: 0, title: 'Annual backflow preventer test', status: 'scheduled', priority: 'normal', openedDaysAgo: 10, scheduledInDays: 3, charge: 18500, conversation: ['Our annual backflow test is due this month.', 'Booked for Thursday morning. The water will be off for about 30 minutes.'] },
  { client: 1, contact: 0, title: 'Install new hand-wash sink by the counter', status: 'scheduled', priority: 'normal', openedDaysAgo: 12, scheduledInDays: 5, charge: 64000, conversation: ['The health inspector asked for a hand-wash sink next to the counter.', 'We can fit it next Tuesday before opening. The quote covers the sink, trap and connection.'] },
  { client: 3, contact: 0, title: 'Water heater service', status: 'scheduled', priority: 'low', openedDaysAgo: 9, scheduledInDays: 7, charge: 22000, conversation: ['Time for the yearly water heater service.', 'Scheduled for next week, first thing in the morning.'] },
  { client: 2, contact: 0, title: 'Replace kitchen faucet', status: 'scheduled', priority: 'normal', openedDaysAgo: 5, scheduledInDays: 1, charge: 29500, conversation: ['We bought a new faucet and would like it installed.', 'Booked for tomorrow between 9 and 11.'] },
  { client: 4, contact: 0, title: 'Inspect main water line after frost', status: 'scheduled', priority: 'high', openedDaysAgo: 2, scheduledInDays: 2, conversation: ['After the frost we see a damp patch near the main line entry.', 'We will inspect it the day after tomorrow; shut the main valve if it gets worse.'] },
  { client: 0, contact: 1, title: 'Boiler room pump replacement', status: 'in_progress', priority: 'high', openedDaysAgo: 7, scheduledInDays: 0, charge: 185000, conversation: ['The circulation pump in the boiler room is noisy and running hot.', 'The new pump is being fitted today; heating will be off for two hours.'] },
  { client: 1, contact: 0, title: 'Re-pipe the prep area', status: 'in_progress', priority: 'normal', openedDaysAgo: 15, scheduledInDays: -1, charge: 320000, conversation: ['We want the prep area re-piped during the renovation.', 'Work started yesterday; we expect to finish on Friday.'] },
  { client: 3, contact: 0, title: 'Move dental chair water supply', status: 'in_progress', priority: 'normal', openedDaysAgo: 11, scheduledInDays: -2, charge: 97500, conversation: ['The new chair layout needs the water supply moved about a metre.', 'Supply line moved; we are waiting for the chair installer to connect.'] },
  { client: 2, contact: 0, title: 'Basement sump pump alarm', status: 'in_progress', priority: 'urgent', openedDaysAgo: 1, scheduledInDays: 0, conversation: ['The sump pump alarm went off last night and the pit is nearly full.', 'A technician is on the way now.'] },
  { client: 0, contact: 0, title: 'Choose fixtures for lobby restroom remodel', status: 'waiting_on_customer', priority: 'low', openedDaysAgo: 20, conversation: ['We are remodelling the lobby restroom and need a plumber.', 'Happy to help. Could you send us the fixture models you have chosen?'] },
  { client: 1, contact: 0, title: 'Quote for water filtration system', status: 'waiting_on_customer', priority: 'normal', openedDaysAgo: 9, conversation: ['Could you quote a filtration system for the espresso machine?', 'Sure — how many litres a day do you go through, roughly?'] },
  { client: 4, contact: 0, title: 'Confirm access for weekend work', status: 'waiting_on_customer', priority: 'normal', openedDaysAgo: 4, scheduledInDays: 6, conversation: ['Can you do the locker-room work over a weekend?', 'Yes. Who can let us in on Saturday at 7am?'] },
  { client: 2, contact: 1, title: 'Photos of the damp ceiling', status: 'waiting_on_customer', priority: 'normal', openedDaysAgo: 3, conversation: ['There is a damp patch on the living room ceiling under the bathroom.', 'Could you send a photo of the ceiling and of the bath panel?'] },
  { client: 0, contact: 0, title: 'Blocked drain in laundry room', status: 'closed', priority: 'normal', openedDaysAgo: 30, scheduledInDays: -28, charge: 14500, conversation: ['The laundry room floor drain is blocked.', 'Cleared and camera-inspected; roots in the line, we recommend a check in 6 months.', 'Thank you, all good now.'] },
  { client: 1, contact: 0, title: 'Ice machine water line leak', status: 'closed', priority: 'high', openedDaysAgo: 25, scheduledInDays: -24, charge: 8900, conversation: ['The ice machine line is dripping behind the unit.', 'Fitting replaced and tested.', 'Perfect, thanks for the quick visit.'] },
  { client: 2, contact: 0, title: 'Install water softener', status: 'closed', priority: 'normal', openedDaysAgo: 45, scheduledInDays: -40, charge: 145000, conversation: ['We would like a water softener installed.', 'Installed and set for your water hardness. Salt goes in the brine tank monthly.', 'Working great, thank you!'] },
  { client: 3, contact: 0, title: 'Replace staff kitchen tap', status: 'closed', priority: 'low', openedDaysAgo: 35, scheduledInDays: -33, charge: 21000, conversation: ['The staff kitchen tap is loose and dripping.', 'Replaced with the model you approved.'] },
  { client: 4, contact: 0, title: 'Emergency: burst pipe in storage room', status: 'closed', priority: 'urgent', openedDaysAgo: 50, scheduledInDays: -50, charge: 56000, conversation: ['A pipe burst in the storage room, water everywhere!', 'Water is shut off and the section replaced. Please keep the room ventilated for a few days.', 'Thanks for coming so fast.'] },
  { client: 0, contact: 1, title: 'Hallway radiator valve', status: 'closed', priority: 'low', openedDaysAgo: 60, scheduledInDays: -55, charge: 9500, conversation: ['The radiator valve in the 2nd floor hallway is stuck.', 'Valve replaced and the system bled.'] },
  { client: 2, contact: 0, title: 'Dripping shower head', status: 'closed', priority: 'low', openedDaysAgo: 18, conversation: ['Our shower head drips constantly.', 'That is usually the cartridge. Try tightening the handle first; if that fails we will come by.', 'Tightening it fixed it, thanks — closing this.'] },
  { client: 1, contact: 0, title: 'Check gas line for new range', status: 'closed', priority: 'normal', openedDaysAgo: 40, scheduledInDays: -38, charge: 12000, conversation: ['We are getting a new range; can you check the gas line capacity?', 'Line checked; capacity is fine for the new range.'] },
];
