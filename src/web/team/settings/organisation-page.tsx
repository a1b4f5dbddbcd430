export function OrganisationSettingsPage() {
  return <p>TODO</p>;
}
