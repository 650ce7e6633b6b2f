/**
 * A hunt's puzzles as written: planted at creation (authored ones stored at once, generated ones
 * handed to the generation queue), added, replaced and removed later, read back as a definition.
 * Beside each stored puzzle the hunt keeps its sequencing (`sequence`) and the puzzle as written
 * (`defs`: answers, a generated one's seed), which is what a definition is made of.
 */
import { z } from 'zod';
import type { RedisClient } from '../redis/index.js';
import {
  HuntError,
  huntPuzzle,
  huntPuzzleProblems,
  isAuthored,
  puzzleIds,
  type AuthoredPuzzle,
  type HuntPuzzle,
} from '../protocol/index.js';
import { authoredParts, slotSeed, type GenerationSlot } from '../puzzles/index.js';
import type { HuntKeys, Keys } from './keys.js';
import { editPuzzle, storePuzzle, type StoredParts } from './scripts.js';
import { parseSequence, type Sequence } from './sequence.js';
import { readPuzzle } from './records.js';
import { huntStatus } from './stored.js';

/** What creating a hunt stores beside its meta: every puzzle's sequencing and definition, the authored puzzles, and the generated ones to make. */
export interface PuzzlePlan {
  stored: StoredParts[];
  slots: GenerationSlot[];
  sequence: Record<string, string>;
  defs: Record<string, string>;
}

const place = (l: { lat: number; lng: number; radius: number } | undefined): string =>
  l ? `${l.lat},${l.lng},${l.radius}` : '';

function sequenceOf(p: HuntPuzzle): Sequence | null {
  const s: Sequence = {};
  if (p.after) s.a = [...p.after];
  if (p.opensAfterS !== undefined) s.o = p.opensAfterS;
  if (p.closesAfterS !== undefined) s.c = p.closesAfterS;
  return Object.keys(s).length > 0 ? s : null;
}

/** The stored parts of one authored puzzle. */
export function authoredStored(p: AuthoredPuzzle, id: string, index: number): StoredParts {
  const parts = authoredParts(p, id, index);
  return {
    id,
    public: JSON.stringify(parts.puzzle),
    solution: JSON.stringify({ answer: parts.answer, solution: parts.solution }),
    hints: JSON.stringify(parts.hints),
    location: p.type === 'checkin' ? '' : place(p.location),
    checkin: p.type === 'checkin' ? place(p.location) : '',
  };
}

/** Splits a hunt's puzzle list into what is stored now and what is generated; ids are `p<position>` where not given. */
export function planPuzzles(puzzles: readonly HuntPuzzle[], huntSeed: string, firstIndex = 0): PuzzlePlan {
  const ids = puzzleIds(puzzles, firstIndex);
  const plan: PuzzlePlan = { stored: [], slots: [], sequence: {}, defs: {} };
  puzzles.forEach((p, i) => {
    const id = ids[i]!;
    const index = firstIndex + i;
    const seq = sequenceOf(p);
    if (seq) plan.sequence[id] = JSON.stringify(seq);
    if (isAuthored(p)) {
      plan.stored.push(authoredStored(p, id, index));
      plan.defs[id] = JSON.stringify({ ...p, id });
    } else {
      const seed = p.seed ?? slotSeed(huntSeed, index, p.type, p.difficulty);
      plan.slots.push({
        id,
        index,
        seed,
        spec: { type: p.type, difficulty: p.difficulty, location: p.location, title: p.title },
      });
      plan.defs[id] = JSON.stringify({ ...p, id, seed });
    }
  });
  return plan;
}

/** A stored definition entry, checked: a puzzle as `POST /api/hunts` takes it, with its id. */
const storedDef = z.custom<HuntPuzzle>((v) => huntPuzzle.safeParse(v).success);

export class HuntPuzzles {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  private k(id: string): HuntKeys {
    return this.keys.hunt(id);
  }

  /** Writes a new hunt's sequencing and definitions, then stores its authored puzzles (the hunt's meta exists). */
  async plant(hunt: string, plan: PuzzlePlan): Promise<void> {
    const k = this.k(hunt);
    const pipe = this.redis.multi();
    if (Object.keys(plan.sequence).length > 0) pipe.hset(k.sequence, plan.sequence);
    if (Object.keys(plan.defs).length > 0) pipe.hset(k.defs, plan.defs);
    // fronts that hold the puzzle list for welcomes read it again
    pipe.hincrby(k.meta, 'puzzlesRev', 1);
    await pipe.exec();
    for (const parts of plan.stored) await storePuzzle(this.redis, this.keys, hunt, parts);
  }

  /** The puzzles as written, in order (each with its id), for a definition. */
  async written(hunt: string): Promise<HuntPuzzle[]> {
    const k = this.k(hunt);
    const [defs, puzzles] = await Promise.all([this.redis.hgetall(k.defs), this.redis.hgetall(k.puzzles)]);
    const order = (id: string): number => {
      try {
        const index = readPuzzle(puzzles[id] ?? '{}')[0]?.index;
        return typeof index === 'number' ? index : Number.MAX_SAFE_INTEGER;
      } catch {
        return Number.MAX_SAFE_INTEGER;
      }
    };
    return Object.entries(defs)
      .sort(([a], [b]) => order(a) - order(b))
      .flatMap(([, raw]) => {
        try {
          const parsed = storedDef.safeParse(JSON.parse(raw));
          return parsed.success ? [huntPuzzle.parse(parsed.data)] : [];
        } catch {
          return [];
        }
      });
  }

  /** Every puzzle's `after` list, and the next free index: what a puzzle added later is checked against. */
  private async graph(hunt: string): Promise<{ after: Map<string, string[]>; nextIndex: number }> {
    const k = this.k(hunt);
    const [puzzles, sequence] = await Promise.all([this.redis.hgetall(k.puzzles), this.redis.hgetall(k.sequence)]);
    const after = new Map<string, string[]>();
    let nextIndex = 0;
    for (const [id, raw] of Object.entries(puzzles)) {
      after.set(id, parseSequence(sequence[id])?.a ?? []);
      try {
        const index = readPuzzle(raw)[0]?.index;
        if (typeof index === 'number') nextIndex = Math.max(nextIndex, index + 1);
      } catch {
        continue;
      }
    }
    return { after, nextIndex };
  }

  /**
   * Adds a puzzle (a "bonus mission" while live): allowed while ready, live or paused. Its id is
   * its own or the next `p<n>` free; every connected player hears of it at once.
   */
  async add(hunt: string, puzzle: AuthoredPuzzle): Promise<{ id: string }> {
    const { after, nextIndex } = await this.graph(hunt);
    let n = nextIndex + 1;
    while (after.has(`p${n}`)) n++;
    const id = puzzle.id ?? `p${n}`;
    const problems = huntPuzzleProblems([{ ...puzzle, id }], after, nextIndex);
    if (problems.length > 0)
      throw new HuntError('VALIDATION_FAILED', problems.map((p) => p.message).join('; '), problems);
    const seq = sequenceOf(puzzle);
    await this.edit(hunt, 'add', authoredStored(puzzle, id, nextIndex), seq, JSON.stringify({ ...puzzle, id }));
    return { id };
  }

  /** Replaces a puzzle (only before launch); it keeps its id and place in the list. */
  async replace(hunt: string, id: string, puzzle: AuthoredPuzzle): Promise<void> {
    const { after } = await this.graph(hunt);
    if (!after.has(id)) throw new HuntError('PUZZLE_NOT_FOUND');
    if (puzzle.id !== undefined && puzzle.id !== id)
      throw new HuntError('VALIDATION_FAILED', 'a replaced puzzle keeps its id');
    after.delete(id);
    const problems = huntPuzzleProblems([{ ...puzzle, id }], after, 0);
    if (problems.length > 0)
      throw new HuntError('VALIDATION_FAILED', problems.map((p) => p.message).join('; '), problems);
    await this.edit(hunt, 'put', authoredStored(puzzle, id, 0), sequenceOf(puzzle), JSON.stringify({ ...puzzle, id }));
  }

  /** Removes a puzzle (only before launch) that no other puzzle waits on. */
  async remove(hunt: string, id: string): Promise<void> {
    const { after } = await this.graph(hunt);
    if (!after.has(id)) throw new HuntError('PUZZLE_NOT_FOUND');
    const waiting = [...after].filter(([, a]) => a.includes(id)).map(([p]) => p);
    if (waiting.length > 0)
      throw new HuntError(
        'VALIDATION_FAILED',
        `puzzles ${waiting.join(', ')} come after ${id}: change their \`after\` first`,
        { after: waiting },
      );
    await this.edit(hunt, 'del', { id, public: '', solution: '', hints: '', location: '', checkin: '' }, null, '');
  }

  private async edit(
    hunt: string,
    mode: 'add' | 'put' | 'del',
    parts: StoredParts,
    seq: Sequence | null,
    def: string,
  ): Promise<void> {
    const out = await editPuzzle(
      this.redis,
      this.keys,
      hunt,
      mode,
      parts,
      seq ? JSON.stringify(seq) : '',
      def,
      Date.now(),
    );
    if (out.ok) return;
    if (out.code === 'HUNT_STATUS_CONFLICT') {
      const allowed = mode === 'add' ? 'ready, live or paused' : 'ready (before launch)';
      throw new HuntError(
        'HUNT_STATUS_CONFLICT',
        `puzzles can be ${mode === 'add' ? 'added' : mode === 'put' ? 'replaced' : 'removed'} while the hunt is ${allowed}; it is ${out.status}`,
        { status: huntStatus(out.status) },
      );
    }
    throw new HuntError(out.code);
  }
}
