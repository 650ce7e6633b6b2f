/**
 * What a front keeps per hunt so that a reconnect storm reads little from Redis: the puzzle
 * list (with hint texts and sequencing) as of the hunt's `puzzlesRev`, which every change of a
 * puzzle raises (a bonus mission, an edit, generation), and the top N as of the last delta's
 * seq. `welcome.lua` leaves out what the front holds current, so a welcome reads its own
 * player's part and the hunt's meta, whatever the hunt's size and its number of puzzles.
 */
import type { WelcomeHeld, WelcomesRead } from './scripts.js';

/** Hunts whose welcome parts one front keeps (the least recently used go first). */
const MAX_HUNTS = 1000;

interface HeldPuzzles {
  rev: string;
  byId: Map<string, string>;
  hints: string[];
  sequence: string[];
}

interface HeldTop {
  seq: string;
  topN: number;
  top: string[];
  names: (string | null)[];
}

/** One hunt's parts as held when a read was asked for: the read is completed from these. */
export interface HeldParts {
  puzzles: HeldPuzzles | undefined;
  top: HeldTop | undefined;
}

export class WelcomeCache {
  private readonly hunts = new Map<string, HeldParts>();

  /** What to tell welcome.lua that this front holds for the hunt, and the parts to complete its reply from. */
  held(hunt: string, topN: number): { held: WelcomeHeld; parts: HeldParts } {
    const parts = this.hunts.get(hunt) ?? { puzzles: undefined, top: undefined };
    const top = parts.top?.topN === topN ? parts.top : undefined;
    return {
      held: { puzzlesRev: parts.puzzles?.rev, topSeq: top?.seq },
      parts: { puzzles: parts.puzzles, top },
    };
  }

  /**
   * The read made whole: what the script left out comes from `parts` (held when it was asked
   * for); what it read replaces what was held.
   */
  complete(hunt: string, topN: number, read: WelcomesRead, parts: HeldParts): WelcomesRead {
    let { puzzles, top, names, hints, sequence } = read;
    let { puzzles: heldPuzzles, top: heldTop } = parts;
    if (read.heldPuzzles && heldPuzzles) {
      const byId = heldPuzzles.byId;
      puzzles = read.puzzles.flatMap((id) => [id, byId.get(id) ?? '']);
      hints = heldPuzzles.hints;
      sequence = heldPuzzles.sequence;
    } else {
      const byId = new Map<string, string>();
      for (let i = 0; i + 1 < puzzles.length; i += 2) byId.set(puzzles[i]!, puzzles[i + 1]!);
      heldPuzzles = { rev: read.meta.puzzlesRev ?? '0', byId, hints, sequence };
    }
    if (read.heldTop && heldTop) ({ top, names } = heldTop);
    else heldTop = { seq: read.meta.seq ?? '0', topN, top, names };
    this.keep(hunt, { puzzles: heldPuzzles, top: heldTop });
    return { ...read, puzzles, top, names, hints, sequence };
  }

  private keep(hunt: string, parts: HeldParts): void {
    this.hunts.delete(hunt);
    this.hunts.set(hunt, parts);
    if (this.hunts.size > MAX_HUNTS) this.hunts.delete(this.hunts.keys().next().value ?? '');
  }
}
