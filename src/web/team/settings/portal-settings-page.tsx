export function PortalSettingsPage() {
  return <p>TODO</p>;
}
