/**
 * Mazes. A seeded depth-first carve makes a perfect maze (one simple path between any two
 * cells); the goal is the cell farthest from the start. Any move sequence that stays inside
 * the walls and ends on the goal is accepted; the stored answer is the shortest, and the
 * generator proves it unique by counting shortest paths. Difficulty: 6×6, 10×10, 15×15.
 * Measure: shortest path length + dead ends.
 */
import type { Difficulty } from '../protocol/index.js';
import type { PuzzleKind } from './kind.js';

/** Wall bits per cell: a set bit is a wall on that side. */
export const WALL = { U: 1, R: 2, D: 4, L: 8 } as const;
type Dir = keyof typeof WALL;
const STEP: Record<Dir, [number, number]> = { U: [0, -1], R: [1, 0], D: [0, 1], L: [-1, 0] };
const OPPOSITE: Record<Dir, Dir> = { U: 'D', D: 'U', L: 'R', R: 'L' };
const DIRS: Dir[] = ['U', 'R', 'D', 'L'];

export interface MazePrompt {
  width: number;
  height: number;
  /** walls[y][x]: bits U=1 R=2 D=4 L=8 */
  walls: number[][];
  start: { x: number; y: number };
  goal: { x: number; y: number };
}
export interface MazeSolution {
  walls: number[][];
  start: { x: number; y: number };
  goal: { x: number; y: number };
}

/** Follows moves from start; the cell reached, or null when a move hits a wall or the edge. */
export function walk(m: MazeSolution, moves: string): { x: number; y: number } | null {
  let { x, y } = m.start;
  for (const ch of moves) {
    const d = DIRS.find((dir) => dir === ch);
    if (!d) return null;
    if ((m.walls[y]![x]! & WALL[d]) !== 0) return null;
    x += STEP[d][0];
    y += STEP[d][1];
  }
  return { x, y };
}

/** Shortest path as moves, and how many shortest paths there are (capped at 2). */
export function shortestPaths(m: MazeSolution): { path: string; count: number } {
  const h = m.walls.length;
  const w = m.walls[0]!.length;
  const dist = Array.from({ length: h }, () => new Array<number>(w).fill(-1));
  const ways = Array.from({ length: h }, () => new Array<number>(w).fill(0));
  const via = Array.from({ length: h }, () => new Array<Dir | ''>(w).fill(''));
  dist[m.start.y]![m.start.x] = 0;
  ways[m.start.y]![m.start.x] = 1;
  const queue: [number, number][] = [[m.start.x, m.start.y]];
  for (let q = 0; q < queue.length; q++) {
    const [x, y] = queue[q]!;
    for (const d of DIRS) {
      if (m.walls[y]![x]! & WALL[d]) continue;
      const nx = x + STEP[d][0];
      const ny = y + STEP[d][1];
      if (dist[ny]![nx] === -1) {
        dist[ny]![nx] = dist[y]![x]! + 1;
        via[ny]![nx] = d;
        queue.push([nx, ny]);
      }
      if (dist[ny]![nx] === dist[y]![x]! + 1) ways[ny]![nx] = Math.min(2, ways[ny]![nx]! + ways[y]![x]!);
    }
  }
  let path = '';
  for (let { x, y } = m.goal; x !== m.start.x || y !== m.start.y;) {
    const d = via[y]![x];
    if (!d) throw new Error(`maze: no way back from ${x},${y}`);
    path = d + path;
    x -= STEP[d][0];
    y -= STEP[d][1];
  }
  return { path, count: ways[m.goal.y]![m.goal.x]! };
}

const SIZE: Record<Difficulty, number> = { easy: 6, medium: 10, hard: 15 };

export const mazeKind: PuzzleKind<MazePrompt, MazeSolution> = {
  type: 'maze',
  generate(rng, difficulty) {
    const n = SIZE[difficulty];
    const walls = Array.from({ length: n }, () => new Array<number>(n).fill(15));
    const seen = Array.from({ length: n }, () => new Array<boolean>(n).fill(false));
    const stack: [number, number][] = [[0, 0]];
    seen[0]![0] = true;
    while (stack.length) {
      const [x, y] = stack.at(-1)!;
      const options = DIRS.filter((d) => {
        const nx = x + STEP[d][0];
        const ny = y + STEP[d][1];
        return nx >= 0 && ny >= 0 && nx < n && ny < n && !seen[ny]![nx];
      });
      if (!options.length) {
        stack.pop();
        continue;
      }
      const d = rng.pick(options);
      const nx = x + STEP[d][0];
      const ny = y + STEP[d][1];
      walls[y]![x]! &= ~WALL[d];
      walls[ny]![nx]! &= ~WALL[OPPOSITE[d]];
      seen[ny]![nx] = true;
      stack.push([nx, ny]);
    }
    const start = { x: 0, y: 0 };
    // the goal: the cell farthest from the start
    const probe = { walls, start, goal: start };
    let goal = start;
    let far = -1;
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++) {
        const len = shortestPaths({ ...probe, goal: { x, y } }).path.length;
        if (len > far) {
          far = len;
          goal = { x, y };
        }
      }
    const solution = { walls, start, goal };
    const { path, count } = shortestPaths(solution);
    if (count !== 1) throw new Error('maze has more than one shortest path');
    const deadEnds = walls.flat().filter((bits) => bitCount(bits) === 3).length;
    return {
      prompt: { width: n, height: n, walls, start, goal },
      answer: path,
      solution,
      hints: [
        'Every junction leads to one way through; dead ends can be filled in from their tips.',
        `The way out begins ${path.slice(0, Math.ceil(path.length / 4))}.`,
        `The first half of the way is ${path.slice(0, Math.ceil(path.length / 2))}.`,
      ],
      measure: path.length + deadEnds,
    };
  },
  cheapToVerify: true, // one walk along the submitted path
  verify(submitted, stored) {
    const end = walk(stored.solution, submitted.replace(/\s/g, '').toUpperCase());
    return end !== null && end.x === stored.solution.goal.x && end.y === stored.solution.goal.y;
  },
};

function bitCount(x: number): number {
  let n = 0;
  for (; x; x &= x - 1) n++;
  return n;
}
