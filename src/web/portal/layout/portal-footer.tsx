/** The footer names the organisation and nothing else: customers never see who hosts the portal. */
export function PortalFooter({ name }: { name: string }) {
  return (
    <footer className="portal-footer">
      <p className="portal-footer__name">{name}</p>
    </footer>
  );
}
