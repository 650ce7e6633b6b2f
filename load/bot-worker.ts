/**
 * One bot process of the benchmark. It reads its orders as one JSON line on stdin, opens its
 * WebSockets, runs them, and prints one JSON line with what it measured and its own CPU.
 *
 * - `paced`: each client sends `movesPerSecond` moves on a fixed schedule and a ping every
 *   `pingEveryMs`; a ping's round trip is measured from its *intended* send time, so a bot
 *   that falls behind (or a server that stalls it) shows up in the figures instead of hiding.
 * - `blast`: every client sends moves as fast as its socket drains (the ceiling search).
 * - `connect`: only opens the sockets and waits for each one's first message (joins).
 * - `listen`: opens the sockets and reads for `seconds`; the first `sample` clients parse every
 *   `lb` delta for its lateness (from its `ts`) and for gaps in `seq` (fan-out).
 *
 * Raw samples are returned, never histograms: the orchestrator takes percentiles itself.
 */
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { z } from 'zod';
import { isRecord } from '../protocol/index.js';
import { jsonString } from './json.js';

export interface BotOrders {
  mode: 'paced' | 'blast' | 'connect' | 'listen';
  /** clients of this process that parse deltas in `listen` mode */
  sample?: number;
  urls: string[];
  seconds: number;
  movesPerSecond: number;
  pingEveryMs: number;
  /** `paced`: answers per second over this process's clients (wrong guesses at puzzle p1) */
  answersPerSecond?: number;
  /** start sending at this epoch ms, so every bot process starts together */
  startAt: number;
  /**
   * `paced`: seconds of the same schedule sent first and not counted (moves, pings, answers,
   * errors and this process's CPU count from its end): a fresh bot process runs its loop cold
   * for the first few hundred ms, and that showed as latency against either server
   */
  warmupSeconds?: number;
}

/** The orders as they come on stdin, checked before any socket opens. */
const botOrders = z.object({
  mode: z.enum(['paced', 'blast', 'connect', 'listen']),
  sample: z.number().optional(),
  urls: z.array(z.string()),
  seconds: z.number(),
  movesPerSecond: z.number(),
  pingEveryMs: z.number(),
  answersPerSecond: z.number().optional(),
  startAt: z.number(),
  warmupSeconds: z.number().optional(),
}) satisfies z.ZodType<BotOrders>;

export interface BotReport {
  opened: number;
  /** ms from the start of `connect` to each socket's first message */
  connectMs: number[];
  /** epoch ms: when this process began opening sockets, and when the last of them had its first message */
  connectSpan?: { from: number; to: number };
  moves: number;
  /** `paced`: moves sent in the warm-up (not in `moves`) */
  warmupMoves?: number;
  /** ping round trips from their intended send time, ms */
  pings: number[];
  /** pings sent that never came back */
  lostPings: number;
  /** answer round trips (to a result or an error) from their intended send time, ms */
  answers?: number[];
  lostAnswers?: number;
  errors: Record<string, number>;
  cpuSeconds: number;
  /** `listen`: delta lateness in ms on the sampled clients, seq gaps there, and deltas they read */
  lateness?: number[];
  /** `listen`: game masters' messages' lateness in ms (from their `ts`) on the sampled clients */
  messageLateness?: number[];
  gaps?: number;
  deltas?: number;
}

const MOVE = JSON.stringify({ t: 'move', lat: 48.8566, lng: 2.3522 });

function open(url: string): Promise<{ ws: WebSocket; first: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const first = new Promise<number>((res) => ws.once('message', () => res(performance.now() - started)));
    ws.once('open', () => resolve({ ws, first }));
    ws.once('error', reject);
  });
}

async function run(o: BotOrders): Promise<BotReport> {
  let cpu0 = process.cpuUsage();
  const report: BotReport = { opened: 0, connectMs: [], moves: 0, pings: [], lostPings: 0, errors: {}, cpuSeconds: 0 };
  const conns: WebSocket[] = [];
  const firsts: Promise<number>[] = [];
  // joins: every process starts opening at the same moment, so their span is the server's
  if (o.mode === 'connect') await new Promise((r) => setTimeout(r, Math.max(0, o.startAt - Date.now())));
  const from = Date.now();
  // open in waves, as many clients arriving at once would
  for (let i = 0; i < o.urls.length; i += 200) {
    // a wave is opened 20 sockets a turn: a first message that comes meanwhile is read when it
    // comes, not after the whole wave is set up (that wait would be the bot's, not the server's)
    const opening: Promise<Awaited<ReturnType<typeof open>>>[] = [];
    for (let j = i; j < Math.min(i + 200, o.urls.length); j += 20) {
      opening.push(...o.urls.slice(j, Math.min(j + 20, i + 200)).map(open));
      await new Promise((r) => setImmediate(r));
    }
    const wave = await Promise.all(opening);
    for (const c of wave) {
      conns.push(c.ws);
      firsts.push(c.first);
    }
  }
  report.opened = conns.length;
  if (o.mode === 'connect') {
    report.connectMs = await Promise.all(firsts);
    report.connectSpan = { from, to: Date.now() };
  } else if (o.mode === 'listen') {
    await Promise.all(firsts);
    const lateness: number[] = [];
    const messageLateness: number[] = [];
    let gaps = 0;
    let deltas = 0;
    conns.slice(0, o.sample ?? 0).forEach((ws) => {
      let last = 0;
      ws.on('message', (data: Buffer) => {
        const msg = frameHead(data.toString());
        if (msg.t === 'welcome' && msg.seq !== undefined) last = msg.seq;
        if (msg.t === 'message' && msg.ts !== undefined && Date.now() >= o.startAt)
          messageLateness.push(Date.now() - msg.ts);
        if (msg.t !== 'lb' || msg.seq === undefined || msg.ts === undefined) return;
        if (Date.now() < o.startAt) {
          last = msg.seq;
          return;
        }
        deltas++;
        lateness.push(Date.now() - msg.ts);
        if (last > 0 && msg.seq !== last + 1) gaps++;
        last = msg.seq;
      });
    });
    await new Promise((r) => setTimeout(r, Math.max(0, o.startAt + o.seconds * 1000 + 1000 - Date.now())));
    Object.assign(report, { lateness, messageLateness, gaps, deltas });
  } else {
    await Promise.all(firsts); // every socket greeted (the engine's welcome) before the clock starts
    const sentAt = new Map<string, number>();
    const answerAt = new Map<string, number>();
    const answers: number[] = [];
    for (const ws of conns) {
      ws.on('message', (data: Buffer) => {
        const text = data.toString();
        if (text.includes('"id":"a')) {
          const id = jsonString(text, 'id');
          const intended = answerAt.get(id);
          if (intended !== undefined) {
            answerAt.delete(id);
            answers.push(Date.now() - intended);
          }
          if (!text.includes('"t":"error"')) return;
        }
        if (text.startsWith('{"t":"pong"') || text.includes('"t":"pong"')) {
          const id = jsonString(text, 'id');
          const intended = sentAt.get(id);
          if (intended !== undefined) {
            sentAt.delete(id);
            report.pings.push(Date.now() - intended);
          }
        } else if (text.includes('"t":"error"')) {
          const code = jsonString(text, 'code');
          report.errors[code] = (report.errors[code] ?? 0) + 1;
        }
      });
    }
    await new Promise((r) => setTimeout(r, Math.max(0, o.startAt - Date.now())));
    const start = Date.now();
    const warmup = o.mode === 'paced' ? (o.warmupSeconds ?? 0) * 1000 : 0;
    /** what was meant to be sent before this is not counted */
    const measureFrom = start + warmup;
    const end = measureFrom + o.seconds * 1000;
    if (warmup > 0) {
      setTimeout(() => {
        cpu0 = process.cpuUsage();
        report.errors = {};
      }, warmup);
    }
    if (o.mode === 'blast') {
      // pings keep their schedule (from each one's intended time) however full the socket is
      const nextPing = conns.map((_, c) => start + (o.pingEveryMs > 0 ? (c / conns.length) * o.pingEveryMs : Infinity));
      let pingSeq = 0;
      await new Promise<void>((resolve) => {
        const step = (): void => {
          const now = Date.now();
          if (now >= end) return resolve();
          for (const [c, ws] of conns.entries()) {
            for (let due = nextPing[c] ?? Infinity; due <= now; due = nextPing[c] ?? Infinity) {
              const id = `${process.pid}-${pingSeq++}`;
              sentAt.set(id, Math.round(due));
              ws.send(JSON.stringify({ t: 'ping', id }));
              nextPing[c] = due + o.pingEveryMs;
            }
            if (ws.bufferedAmount > 64 * 1024) continue;
            for (let i = 0; i < 16; i++) ws.send(MOVE);
            report.moves += 16;
          }
          setImmediate(step);
        };
        step();
      });
      await new Promise((r) => setTimeout(r, 1000));
      report.lostPings = sentAt.size;
    } else {
      // a fixed schedule: client c sends its k-th move at start + offset(c) + k / rate
      const interval = 1000 / o.movesPerSecond;
      const nextMove = conns.map((_, c) => start + (c / conns.length) * interval);
      const nextPing = conns.map((_, c) => start + (c / conns.length) * o.pingEveryMs);
      let pingSeq = 0;
      const answerEvery = o.answersPerSecond ? 1000 / o.answersPerSecond : Infinity;
      let nextAnswer = start;
      let warmupMoves = 0;
      let answerSeq = 0;
      await new Promise<void>((resolve) => {
        const tick = (): void => {
          const now = Date.now();
          if (now >= end) return resolve();
          while (nextAnswer <= now) {
            const id = `a${process.pid}-${answerSeq}`;
            if (nextAnswer >= measureFrom) answerAt.set(id, Math.round(nextAnswer));
            conns[answerSeq++ % conns.length]?.send(
              JSON.stringify({ t: 'answer', id, puzzle: 'p1', answer: `guess ${answerSeq}` }),
            );
            nextAnswer += answerEvery;
          }
          for (const [c, ws] of conns.entries()) {
            for (let due = nextMove[c] ?? Infinity; due <= now; due = nextMove[c] ?? Infinity) {
              ws.send(MOVE);
              if (due >= measureFrom) report.moves++;
              else warmupMoves++;
              nextMove[c] = due + interval;
            }
            for (let due = nextPing[c] ?? Infinity; due <= now; due = nextPing[c] ?? Infinity) {
              const id = `${process.pid}-${pingSeq++}`;
              if (due >= measureFrom) sentAt.set(id, Math.round(due));
              ws.send(JSON.stringify({ t: 'ping', id }));
              nextPing[c] = due + o.pingEveryMs;
            }
          }
          setTimeout(tick, 1);
        };
        tick();
      });
      // late pongs still count, from their intended time; what never comes is lost
      await new Promise((r) => setTimeout(r, 1000));
      report.lostPings = sentAt.size;
      report.warmupMoves = warmupMoves;
      if (o.answersPerSecond) Object.assign(report, { answers, lostAnswers: answerAt.size });
    }
  }
  for (const ws of conns) ws.terminate();
  const cpu = process.cpuUsage(cpu0);
  report.cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return report;
}

const lines = createInterface({ input: process.stdin });
lines.once('line', (line) => {
  run(botOrders.parse(JSON.parse(line))).then(
    (r) => {
      // a report can be megabytes of samples: exit only once the pipe has taken all of it
      process.stdout.write(`${JSON.stringify(r)}\n`, () => process.exit(0));
    },
    (err: unknown) => {
      process.stderr.write(`bot failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
});

/** The head of a frame the listeners look at: its kind, and its seq and time when it has them. */
function frameHead(text: string): { t: string; seq?: number; ts?: number } {
  const v: unknown = JSON.parse(text);
  if (!isRecord(v)) return { t: '' };
  return {
    t: typeof v.t === 'string' ? v.t : '',
    ...(typeof v.seq === 'number' ? { seq: v.seq } : {}),
    ...(typeof v.ts === 'number' ? { ts: v.ts } : {}),
  };
}
