/** What a client's contacts see in the portal, in words. */
export const VISIBILITY_LABELS = {
  all: 'All of the client’s tickets',
  own: 'Only their own tickets',
} as const;
