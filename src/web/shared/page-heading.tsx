import { createContext, Suspense, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { Outlet, useLocation } from 'react-router';
import { useAppKit } from './app-kit.js';
import { PageLoading } from './states.js';

/**
 * Route-change focus: after an in-app navigation, focus moves to the new page's h1 so keyboard and
 * screen-reader users start at the top of what changed (the first page load keeps the browser's
 * own focus). The layout provides where the app started and which navigation was already handled;
 * headings that appear later (after data loads) still take the focus for their navigation, once.
 */
interface HeadingFocusState {
  /** The path the layout last rendered; a new path after the first render is a navigation. */
  lastKey: string;
  hasNavigated: boolean;
  /** The navigation whose heading already took the focus. */
  handledKey: string | null;
}

const HeadingFocusContext = createContext<HeadingFocusState | null>(null);

/**
 * Where a layout shows its page: the route's page (a loading placeholder while its code loads),
 * with the navigation noted for the page's heading.
 */
export function PageOutlet() {
  const { pathname } = useLocation();
  const [focus] = useState<HeadingFocusState>(() => ({ lastKey: pathname, hasNavigated: false, handledKey: null }));
  // Noted during render (idempotent) because child effects run before the layout's own effects,
  // and the new page's heading must already know that this render is a navigation. Only a new
  // PATH is a new page: a changed filter or search (`?status=closed&q=…`) keeps the focus where it is.
  if (focus.lastKey !== pathname) {
    focus.lastKey = pathname;
    focus.hasNavigated = true;
  }
  return (
    <HeadingFocusContext.Provider value={focus}>
      <Suspense fallback={<PageLoading />}>
        <Outlet />
      </Suspense>
    </HeadingFocusContext.Provider>
  );
}

/**
 * A page's h1, which takes the focus after a navigation. Pages that place the focus themselves
 * (the team's ticket page opened with `r` focuses the reply box) pass `skipFocus`.
 */
export function PageHeading({
  children,
  id,
  className,
  skipFocus = false,
}: {
  children: ReactNode;
  id?: string;
  className?: string;
  skipFocus?: boolean;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  const focus = useContext(HeadingFocusContext);
  const { headingClass, scrollToHeading } = useAppKit();
  const { pathname: key } = useLocation();
  useEffect(() => {
    if (!focus?.hasNavigated) return;
    // Once per navigation, or again when the heading that had the focus was replaced (a page
    // that finished loading), which leaves the focus on <body>.
    const focusWasLost = document.activeElement === null || document.activeElement === document.body;
    if (focus.handledKey === key && !focusWasLost) return;
    focus.handledKey = key;
    if (skipFocus) return;
    if (scrollToHeading) ref.current?.focus();
    else ref.current?.focus({ preventScroll: true });
  }, [focus, key, skipFocus, scrollToHeading]);
  return (
    // tabIndex -1: focusable by script only, never a stop in the tab order.
    <h1 ref={ref} id={id} className={className ?? headingClass} tabIndex={-1}>
      {children}
    </h1>
  );
}

/** Sets `document.title` for the page, as the app writes it (see `AppKit.titleOf`). */
export function usePageTitle(page: string | null): void {
  const { titleOf } = useAppKit();
  useEffect(() => {
    document.title = titleOf(page);
  }, [page, titleOf]);
}
