/**
 * A member's avatar: their initial. (Server avatars are images behind the account's token, which the renderer
 * does not hold; showing them needs a route through the core first.)
 */
export function PersonAvatar({ person }: { person: { name: string; username: string } }) {
  return (
    <span className="share-avatar" aria-hidden="true">
      {(person.name || person.username).slice(0, 1).toUpperCase()}
    </span>
  );
}
