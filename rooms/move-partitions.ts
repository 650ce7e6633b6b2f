/**
 * Which partitions a hunt's moves go to when they are spread (`routing.movePartitions`), and the
 * fence lane of each. A hunt's set of move partitions is picked so that it spreads evenly over
 * the masters of a cluster: partition p's stream sits near `goldenPoint(p)` of the slot space
 * (`goldenTag`), so the set takes, for `spread` points equally spaced around the slot space from
 * an offset of the hunt's own, the nearest partition not taken yet. Any number of masters owning
 * equal slices then holds about `spread / masters` of the set each (consecutive partitions did
 * not: 4 of 8 could fall 2/0/2 over 3 masters).
 */
import { goldenPoint } from '../redis/index.js';
import { fnv1a, partitionOf } from './keys.js';

/** Offsets tried per hunt when picking its set of move partitions. */
const OFFSETS = 16;

/**
 * The partitions one hunt's moves are spread over: its own partition alone when `spread` is 1,
 * every partition when it is `partitions` or more, else `spread` partitions placed evenly over
 * the slot space. `huntHash` is `fnv1a(huntId)`.
 */
export function movePartitionSet(huntHash: number, partitions: number, spread: number): number[] {
  const width = Math.min(Math.max(1, Math.floor(spread)), partitions);
  if (width === 1) return [huntHash % partitions];
  if (width === partitions) return Array.from({ length: partitions }, (_, p) => p);
  // of a few offsets drawn from the hunt's hash, the one whose picks lie nearest their targets:
  // the nearer, the more each master's share is that of the equally spaced targets
  let bestSet = new Set<number>();
  let bestWorst = Infinity;
  for (let k = 0; k < OFFSETS; k++) {
    const offset = ((huntHash + k * 997) % 4096) / 4096;
    const taken = new Set<number>();
    let worst = 0;
    for (let i = 0; i < width; i++) {
      const target = (offset + i / width) % 1;
      let best = -1;
      let bestGap = Infinity;
      for (let p = 0; p < partitions; p++) {
        if (taken.has(p)) continue;
        const d = Math.abs(goldenPoint(p) - target);
        const gap = Math.min(d, 1 - d); // on the ring of slots
        if (gap < bestGap) [best, bestGap] = [p, gap];
      }
      taken.add(best);
      worst = Math.max(worst, bestGap);
    }
    if (worst < bestWorst) [bestSet, bestWorst] = [taken, worst];
  }
  return [...bestSet].sort((a, b) => a - b);
}

/**
 * Which partition one player's moves go to, in a hunt's set of move partitions (`movePartitionSet`):
 * by a hash of hunt and player, so each of a player's moves lands on one partition (in order) for
 * a whole routing epoch.
 */
export function movePartitionIn(set: readonly number[], huntHash: number, player: string): number {
  if (set.length === 1) return set[0] ?? 0;
  // a separator between hunt and player, so ('ab','c') and ('a','bc') differ
  return set[fnv1a(player, fnv1a('\n', huntHash)) % set.length] ?? 0;
}

/** `movePartitionIn` of the hunt's set, computed afresh (a router keeps the set per hunt). */
export function movePartitionOf(huntHash: number, player: string, partitions: number, spread: number): number {
  return movePartitionIn(movePartitionSet(huntHash, partitions, spread), huntHash, player);
}

/**
 * The fence lane of moves read from `partition` for a hunt: 'm' on the hunt's own partition (as
 * before moves were spread), `m.<partition>` on any other, so each partition has its own fence.
 */
export function moveLane(huntId: string, partition: number, partitions: number): string {
  return partitionOf(huntId, partitions) === partition ? 'm' : `m.${partition}`;
}
