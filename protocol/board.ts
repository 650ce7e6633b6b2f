/** Board helpers with no dependencies, for the pages as much as the server. */

/** Who a board entry or change is about: the player, or in a team hunt the team. */
export function entryId(e: { player?: string | undefined; team?: string | undefined }): string {
  return e.player ?? e.team ?? '';
}
