export function ClientPage() {
  return <p>TODO</p>;
}
