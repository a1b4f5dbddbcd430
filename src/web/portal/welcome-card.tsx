/**
 * Placeholder for the signed-out home page until sign-in lands. The copy is written for the
 * customer and promises nothing about unfinished features.
 */
export function WelcomeCard({ name }: { name: string }) {
  return (
    <section className="portal-card" aria-labelledby="portal-welcome-title">
      <div className="portal-card__icon" aria-hidden="true">
        <InboxIcon />
      </div>
      <h1 id="portal-welcome-title" className="portal-card__title">
        Sign in to see your tickets
      </h1>
      <p className="portal-card__text">Your requests with {name} will appear here.</p>
    </section>
  );
}

/** Same paths as the server-rendered icon in portal-shell.html.ts, so nothing shifts on mount. */
function InboxIcon() {
  return (
    <svg
      viewBox="0 0 24 24"
      width="28"
      height="28"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      focusable="false"
    >
      <path d="M22 12h-6l-2 3h-4l-2-3H2" />
      <path d="M5.45 5.11 2 12v6a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-6l-3.45-6.89A2 2 0 0 0 16.76 4H7.24a2 2 0 0 0-1.79 1.11z" />
    </svg>
  );
}
