/**
 * One bot process of `hunt load`: reads its orders (one JSON line on stdin), opens a WebSocket
 * per player it was given, plays the scenario on a fixed schedule, and writes JSON lines to
 * stdout: `progress` every second (cumulative counts) and one `final` with every raw sample.
 *
 * Latency is measured from the *intended* send time of each answer, so a bot that falls behind
 * (or a server that stalls it) shows in the figures instead of hiding; `lb` delivery is measured
 * from the delta's own `ts` (the server's clock: exact on one machine, skewed across machines).
 */
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { z } from 'zod';
import { isRecord } from '../protocol/index.js';
import { emptyTally, type Tally } from './load-stats.js';

export interface LoadBotOrders {
  players: { index: number; token: string; url: string }[];
  /** the answer key, puzzle by puzzle */
  answers: { puzzle: string; answer: string }[];
  movesHz: number;
  answersPerMin: number;
  /** share of answers sent wrong on purpose */
  wrongRatio: number;
  hintsPerMin: number;
  /** active players over time (seconds from the start), linear between points; the last holds */
  ramp: { atS: number; players: number }[];
  durationS: number;
  startAt: number;
  /** accept self-signed certificates (a staging TLS proxy) */
  insecure: boolean;
}

/** The orders as they come on stdin, checked before anything is opened. */
const loadBotOrders = z.object({
  players: z.array(z.object({ index: z.number(), token: z.string(), url: z.string() })),
  answers: z.array(z.object({ puzzle: z.string(), answer: z.string() })),
  movesHz: z.number(),
  answersPerMin: z.number(),
  wrongRatio: z.number(),
  hintsPerMin: z.number(),
  ramp: z.array(z.object({ atS: z.number(), players: z.number() })),
  durationS: z.number(),
  startAt: z.number(),
  insecure: z.boolean(),
}) satisfies z.ZodType<LoadBotOrders>;

export type LoadBotLine =
  | { type: 'progress'; tally: Omit<Tally, 'answerMs' | 'lbMs'>; answerMs: number[]; lbMs: number[]; open: number }
  | { type: 'final'; tally: Tally };

/** Refusals by the node (the event was not taken); every other error reply is a game rule's answer. */
export const REFUSALS = new Set([
  'OVERLOADED',
  'RATE_LIMITED',
  'NOT_READY',
  'SHUTTING_DOWN',
  'INTERNAL',
  'TIMEOUT',
  'STORAGE_FULL',
]);

/** Active players at `t` seconds: linear between ramp points. */
export function activeAt(ramp: readonly { atS: number; players: number }[], t: number): number {
  if (ramp.length === 0) return Number.POSITIVE_INFINITY;
  const first = ramp[0]!;
  if (t <= first.atS) return first.players;
  for (let i = 1; i < ramp.length; i++) {
    const a = ramp[i - 1]!;
    const b = ramp[i]!;
    if (t <= b.atS) return a.players + ((b.players - a.players) * (t - a.atS)) / Math.max(1e-9, b.atS - a.atS);
  }
  return ramp[ramp.length - 1]!.players;
}

interface PlayerState {
  index: number;
  ws: WebSocket;
  /** puzzles this player may answer (unlocked in its welcome), in order, and where it is */
  puzzles: { puzzle: string; answer: string }[];
  next: number;
  nextMove: number;
  nextAnswer: number;
  nextHint: number;
  /** request id -> intended send time */
  pending: Map<string, number>;
  serial: number;
}

async function run(o: LoadBotOrders): Promise<void> {
  const tally = emptyTally();
  const cpuStart = process.cpuUsage();
  let sentAnswerMs = 0;
  let sentLbMs = 0;
  const players: PlayerState[] = [];
  const key = new Map(o.answers.map((a) => [a.puzzle, a.answer]));

  await Promise.all(
    o.players.map(
      (p) =>
        new Promise<void>((resolve) => {
          const ws = new WebSocket(`${p.url.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(p.token)}`, {
            perMessageDeflate: false,
            rejectUnauthorized: !o.insecure,
          });
          const st: PlayerState = {
            index: p.index,
            ws,
            puzzles: [],
            next: 0,
            nextMove: 0,
            nextAnswer: 0,
            nextHint: 0,
            pending: new Map(),
            serial: 0,
          };
          const done = (): void => resolve();
          ws.once('error', done);
          ws.on('close', (code) => {
            tally.closed[String(code)] = (tally.closed[String(code)] ?? 0) + 1;
            done();
          });
          ws.on('message', (raw) => {
            let m: Record<string, unknown>;
            try {
              const parsed: unknown = JSON.parse(String(raw));
              if (!isRecord(parsed)) return;
              m = parsed;
            } catch {
              return;
            }
            if (m.t === 'welcome') {
              const listed: unknown[] = Array.isArray(m.puzzles) ? m.puzzles : [];
              for (const q of listed) {
                if (!isRecord(q) || typeof q.id !== 'string') continue;
                const answer = key.get(q.id);
                if (answer !== undefined && q.locked !== true && q.solved !== true)
                  st.puzzles.push({ puzzle: q.id, answer });
              }
              players.push(st);
              done();
              return;
            }
            if (m.t === 'lb' && typeof m.ts === 'number') {
              tally.lbMs.push(Date.now() - m.ts);
              return;
            }
            const id = typeof m.id === 'string' ? m.id : undefined;
            if (id === undefined) {
              if (m.t === 'error' && m.code === 'OVERLOADED') tally.moveNotices++;
              return;
            }
            const intended = st.pending.get(id);
            if (intended === undefined) return;
            st.pending.delete(id);
            if (id.startsWith('a')) tally.answerMs.push(Date.now() - intended);
            if (m.t === 'error' && typeof m.code === 'string') {
              if (REFUSALS.has(m.code)) tally.refused[m.code] = (tally.refused[m.code] ?? 0) + 1;
              else {
                tally.accepted++;
                tally.ruled[m.code] = (tally.ruled[m.code] ?? 0) + 1;
              }
              return;
            }
            tally.accepted++;
            if (m.t === 'result' && m.correct === true) tally.correct++;
          });
        }),
    ),
  );

  const moveEvery = o.movesHz > 0 ? 1000 / o.movesHz : Number.POSITIVE_INFINITY;
  const answerEvery = o.answersPerMin > 0 ? 60_000 / o.answersPerMin : Number.POSITIVE_INFINITY;
  const hintEvery = o.hintsPerMin > 0 ? 60_000 / o.hintsPerMin : Number.POSITIVE_INFINITY;
  // each player's schedule starts at a random phase, so the load is spread over each interval
  for (const st of players) {
    // a rate of 0 never comes due
    const phase = (every: number, cap: number): number =>
      Number.isFinite(every) ? o.startAt + Math.random() * Math.min(every, cap) : Number.POSITIVE_INFINITY;
    st.nextMove = phase(moveEvery, 10_000);
    st.nextAnswer = phase(answerEvery, 60_000);
    st.nextHint = phase(hintEvery, 60_000);
  }
  const endAt = o.startAt + o.durationS * 1000;
  await new Promise((r) => setTimeout(r, Math.max(0, o.startAt - Date.now())));

  const progress = setInterval(() => {
    const { answerMs, lbMs, ...counts } = tally;
    const line: LoadBotLine = {
      type: 'progress',
      tally: counts,
      answerMs: answerMs.slice(sentAnswerMs),
      lbMs: lbMs.slice(sentLbMs),
      open: players.filter((p) => p.ws.readyState === WebSocket.OPEN).length,
    };
    sentAnswerMs = answerMs.length;
    sentLbMs = lbMs.length;
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }, 1000);

  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const now = Date.now();
      if (now >= endAt) {
        clearInterval(tick);
        return resolve();
      }
      const active = activeAt(o.ramp, (now - o.startAt) / 1000);
      for (const st of players) {
        if (st.ws.readyState !== WebSocket.OPEN || st.index >= active) continue;
        for (; st.nextMove <= now; st.nextMove += moveEvery) {
          st.ws.send(JSON.stringify({ t: 'move', lat: 43.29 + Math.random() / 100, lng: 5.37 + Math.random() / 100 }));
          tally.sent.move++;
        }
        for (; st.nextAnswer <= now; st.nextAnswer += answerEvery) {
          const target = st.puzzles[Math.min(st.next, st.puzzles.length - 1)];
          if (!target) continue;
          const right = st.next < st.puzzles.length && Math.random() >= o.wrongRatio;
          const id = `a${st.serial++}`;
          st.pending.set(id, st.nextAnswer);
          st.ws.send(
            JSON.stringify({ t: 'answer', id, puzzle: target.puzzle, answer: right ? target.answer : `not-${id}` }),
          );
          tally.sent.answer++;
          if (right) {
            tally.sent.answerRight++;
            st.next++;
          }
        }
        for (; st.nextHint <= now; st.nextHint += hintEvery) {
          const target = st.puzzles[Math.min(st.next, st.puzzles.length - 1)];
          if (!target) continue;
          const id = `h${st.serial++}`;
          st.pending.set(id, st.nextHint);
          st.ws.send(JSON.stringify({ t: 'hint', id, puzzle: target.puzzle }));
          tally.sent.hint++;
        }
      }
    }, 5);
  });

  // replies still on their way: up to 5 s, then what is left is unanswered
  const waitUntil = Date.now() + 5000;
  while (Date.now() < waitUntil && players.some((p) => p.pending.size > 0 && p.ws.readyState === WebSocket.OPEN))
    await new Promise((r) => setTimeout(r, 50));
  clearInterval(progress);
  tally.unanswered = players.reduce((a, p) => a + p.pending.size, 0);
  for (const p of players) p.ws.removeAllListeners('close');
  for (const p of players) p.ws.close();
  const cpu = process.cpuUsage(cpuStart);
  tally.cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const final: LoadBotLine = { type: 'final', tally };
  process.stdout.write(`${JSON.stringify(final)}\n`);
}

// run as a process: orders on stdin
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\0')) {
  const rl = createInterface({ input: process.stdin });
  rl.once('line', (line) => {
    rl.close();
    const orders = loadBotOrders.parse(JSON.parse(line));
    run(orders).then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`load bot failed: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  });
}
