import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';
import { useLocation } from 'react-router';

/**
 * Route-change focus, as in the portal (src/web/portal/page-heading.tsx): after an in-app
 * navigation the new page's h1 takes the focus, so keyboard and screen-reader users start at the
 * top of what changed. A changed query (inbox filters) is not a new page. Pages that place the
 * focus themselves (the ticket page opened with `r` focuses the reply box) pass `skipFocus`.
 */
export interface HeadingFocusState {
  lastKey: string;
  hasNavigated: boolean;
  handledKey: string | null;
}

export const HeadingFocusContext = createContext<HeadingFocusState | null>(null);

export function PageHeading({
  children,
  id,
  className = 'page-title',
  skipFocus = false,
}: {
  children: ReactNode;
  id?: string;
  className?: string;
  skipFocus?: boolean;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  const focus = useContext(HeadingFocusContext);
  const { pathname: key } = useLocation();
  useEffect(() => {
    if (!focus?.hasNavigated) return;
    const focusWasLost = document.activeElement === null || document.activeElement === document.body;
    if (focus.handledKey === key && !focusWasLost) return;
    focus.handledKey = key;
    if (!skipFocus) ref.current?.focus({ preventScroll: true });
  }, [focus, key, skipFocus]);
  return (
    <h1 ref={ref} id={id} className={className} tabIndex={-1}>
      {children}
    </h1>
  );
}

/** `document.title` = "{page} · Servelo"; the organisation is in the header, not in every tab. */
export function usePageTitle(page: string | null): void {
  useEffect(() => {
    document.title = page ? `${page} · Servelo` : 'Servelo';
  }, [page]);
}
