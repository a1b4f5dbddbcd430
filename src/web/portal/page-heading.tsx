import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';
import { useLocation } from 'react-router';
import { usePortal } from './portal-context.js';

/**
 * Route-change focus: after an in-app navigation, focus moves to the new page's h1 so keyboard and
 * screen-reader users start at the top of what changed (the first page load keeps the browser's
 * own focus). The layout provides where the app started and which navigation was already handled;
 * headings that appear later (after data loads) still take the focus for their navigation, once.
 */
export interface HeadingFocusState {
  /** The path the layout last rendered; a new path after the first render is a navigation. */
  lastKey: string;
  hasNavigated: boolean;
  /** The navigation whose heading already took the focus. */
  handledKey: string | null;
}

export const HeadingFocusContext = createContext<HeadingFocusState | null>(null);

export function PageHeading({ children, id, className = 'portal-card__title' }: { children: ReactNode; id?: string; className?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const focus = useContext(HeadingFocusContext);
  const { pathname: key } = useLocation();
  useEffect(() => {
    if (!focus?.hasNavigated) return;
    // Once per navigation, or again when the heading that had the focus was replaced (a page
    // that finished loading), which leaves the focus on <body>.
    const focusWasLost = document.activeElement === null || document.activeElement === document.body;
    if (focus.handledKey === key && !focusWasLost) return;
    focus.handledKey = key;
    ref.current?.focus();
  }, [focus, key]);
  return (
    // tabIndex -1: focusable by script only, never a stop in the tab order.
    <h1 ref={ref} id={id} className={className} tabIndex={-1}>
      {children}
    </h1>
  );
}

/**
 * `document.title` = "{page} · {organisation}", so tabs and history name the page and the
 * organisation; null (a page still loading) leaves just the organisation's name, as the server sent it.
 */
export function usePageTitle(page: string | null): void {
  const { name } = usePortal();
  useEffect(() => {
    document.title = page ? `${page} · ${name}` : name;
  }, [page, name]);
}
