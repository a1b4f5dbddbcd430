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
  {
    name: 'Greenleaf Café',
    ticketVisibility: 'all',
    contacts: [{ email: 'priya@greenleafcafe.example', name: 'Priya Shah', phone: '+13125550177' }],
  },
  {
    name: 'The Nguyen Family',
    ticketVisibility: 'own',
    contacts: [
      { email: 'linh.nguyen@mail.example', name: 'Linh Nguyen', phone: '+13125550110' },
      { email: 'david.nguyen@mail.example', name: 'David Nguyen', phone: null },
    ],
  },
  {
    name: 'Oakridge Dental Clinic',
    ticketVisibility: 'all',
    contacts: [{ email: 'office@oakridgedental.example', name: 'Helen Carter', phone: '+13125550199' }],
  },
  {
    name: 'Riverside Gym',
    ticketVisibility: 'all',
    contacts: [{ email: 'marcus@riversidegym.example', name: 'Marcus Johnson', phone: null }],
  },
] as const;
