export function TeamMembersPage() {
  return <p>TODO</p>;
}
