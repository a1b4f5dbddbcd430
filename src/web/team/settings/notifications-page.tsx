export function NotificationSettingsPage() {
  return <p>TODO</p>;
}
