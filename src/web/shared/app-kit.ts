import { createContext, useContext, type ReactNode } from 'react';

/**
 * What the shared kit (headings, message cards, avatars, dates) needs to know about the app it is
 * drawn in. Each app provides one at its root: the portal from its bootstrap, the team app from the
 * open organisation. Where the two apps look different, the difference is here, not in a copy.
 */
export interface AppKit {
  /** Where the app's API, and its files (`{apiBase}/files/{id}`), live: `B/api` or `/api/team`. */
  readonly apiBase: string;
  /** `document.title` for a page; null while the page still loads. */
  readonly titleOf: (page: string | null) => string;
  /** After a navigation the new h1 takes the focus; the portal scrolls it into view, the team app keeps the scroll. */
  readonly scrollToHeading: boolean;
  /** The class of a page's h1 unless the page names another. */
  readonly headingClass: string;
  /** The classes of a whole-page message card and its parts, and the icon of an error card (if any). */
  readonly card: {
    readonly section: string;
    /** The box of the card's icon (the portal draws one above the heading; the team app none). */
    readonly icon: string;
    /** Undefined: the heading's own default (`headingClass`). */
    readonly title?: string;
    readonly text: string;
    readonly actions: string;
    readonly button: string;
    readonly errorIcon?: ReactNode;
  };
  /**
   * How dates and money are written: the organisation's locale, and its time zone (team app) or
   * null for the browser's own (portal: a customer reads "9:00" as their own morning). Null when
   * not known yet (the team app signed out).
   */
  readonly formats: { readonly locale: string; readonly timeZone: string | null } | null;
}

export const AppKitContext = createContext<AppKit | null>(null);

export function useAppKit(): AppKit {
  const kit = useContext(AppKitContext);
  if (!kit) throw new Error('useAppKit() needs <AppKitContext.Provider>');
  return kit;
}

/** The app's locale and time zone; only where they are known (every portal page, signed-in team pages). */
export function useDisplayFormats(): { readonly locale: string; readonly timeZone: string | null } {
  const { formats } = useAppKit();
  if (!formats) throw new Error('useDisplayFormats() before the organisation is known');
  return formats;
}
