export function ClientsPage() {
  return <p>TODO</p>;
}
