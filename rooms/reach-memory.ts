/**
 * Which places each player was within at their last move, so that a move reports a reach only
 * when the player comes into a place (and a player lingering at a puzzle does not have every move
 * written at once). Memory is per player, not per player and place: an entry lives only while its
 * player is within some place, holds just those places (usually one), and the oldest entries go
 * past MAX_INSIDE players; a player forgotten early reports one reach again on their next move
 * within, which the flush script takes as a reach found before (nothing changes).
 */

/** Players remembered within a place, per folder (one partition consumer), before the oldest go. */
export const MAX_INSIDE = 50_000;

export class ReachMemory {
  /** `${hunt}\n${player}` -> puzzles the player was within at their last move, oldest entry first */
  private readonly inside = new Map<string, string[]>();

  constructor(private readonly max = MAX_INSIDE) {}

  /** Records the places a player's move is within; returns those they were not within at their last move. */
  entered(hunt: string, player: string, within: readonly string[]): string[] {
    const key = `${hunt}\n${player}`;
    const before = this.inside.get(key);
    if (within.length === 0) {
      if (before) this.inside.delete(key);
      return [];
    }
    const news = before ? within.filter((p) => !before.includes(p)) : [...within];
    // moved to the end: the oldest entries are the players longest without a move
    this.inside.delete(key);
    this.inside.set(key, [...within]);
    if (this.inside.size > this.max) {
      const oldest = this.inside.keys().next().value;
      if (oldest !== undefined) this.inside.delete(oldest);
    }
    return news;
  }

  /** Forgets that a player is within a place, so their next move within reports it again (a check-in to try again). */
  forget(hunt: string, player: string, puzzle: string): void {
    const key = `${hunt}\n${player}`;
    const before = this.inside.get(key);
    if (!before) return;
    const rest = before.filter((p) => p !== puzzle);
    if (rest.length > 0) this.inside.set(key, rest);
    else this.inside.delete(key);
  }

  /** Players remembered now. */
  get size(): number {
    return this.inside.size;
  }
}
