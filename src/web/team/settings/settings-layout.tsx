export function SettingsLayout() {
  return <p>TODO</p>;
}
