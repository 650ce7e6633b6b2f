/**
 * One bot process of the big-hunt benchmark (load/bighunt-bench.ts). It reads its orders as one
 * JSON line on stdin and opens its sockets at `openAt`; then it obeys commands, one line each
 * (load/bighunt-wire.ts), and answers each with one report line on stdout:
 *
 * - `play`: every client moves every `moveEveryMs` and answers the next puzzle of the key
 *   correctly every `scoreEveryMs`, each on a fixed schedule spread evenly over the clients. Every
 *   client counts the bytes and frames it receives; the sampled clients also parse each frame: a
 *   delta's lateness from its `ts`, gaps in `seq`, and an answer's `you` lateness from the
 *   answer's *intended* send time to the first `you` frame showing the score it earned.
 * - `storm`: every other client drops its socket at once and reconnects with `since=<seq>`, the
 *   last seq its process had seen `awayS` before the end of play (as if it had been away since:
 *   the deltas after it are replayed); the time until each one has its first frame again.
 * - `end`: closes everything and exits.
 *
 * Raw samples only: the orchestrator takes the percentiles. The process's own CPU over each
 * counted window is in its report.
 */
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import {
  bigBotCommand,
  bigBotOrders,
  type BigBotOrders,
  type OpenedReport,
  type PlayedReport,
  type StormedReport,
} from './bighunt-wire.js';

interface Client {
  url: string;
  ws: WebSocket;
  sampled: boolean;
  /** the next puzzle of the key this client answers */
  next: number;
  /** sampled: answers sent in the window, by id: intended send time */
  sent: Map<string, number>;
  /** sampled: answers scored, waiting for a `you` that shows at least their score */
  waiting: { at: number; score: number }[];
  you: { score: number; at: number };
  /** set while this process drops the socket itself (not a server close) */
  dropping: boolean;
}

/** A number field of a parsed frame, or undefined. */
function num(o: unknown, key: string): number | undefined {
  if (typeof o !== 'object' || o === null) return undefined;
  const v: unknown = Reflect.get(o, key);
  return typeof v === 'number' ? v : undefined;
}

function str(o: unknown, key: string): string | undefined {
  if (typeof o !== 'object' || o === null) return undefined;
  const v: unknown = Reflect.get(o, key);
  return typeof v === 'string' ? v : undefined;
}

function bool(o: unknown, key: string): boolean | undefined {
  if (typeof o !== 'object' || o === null) return undefined;
  const v: unknown = Reflect.get(o, key);
  return typeof v === 'boolean' ? v : undefined;
}

const MOVE = JSON.stringify({ t: 'move', lat: 48.8566, lng: 2.3522 });
const sleepUntil = (t: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));
const cpuNow = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

/** Opens one socket; resolves with it and its first frame's delay, or null when it fails or never greets. */
function open(url: string, deadline: number): Promise<{ ws: WebSocket; ms: number; bytes: number } | null> {
  return new Promise((resolve) => {
    const started = performance.now();
    const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
    let settled = false;
    const timer = setTimeout(() => done(null), Math.max(1, deadline - Date.now()));
    const done = (r: { ws: WebSocket; ms: number; bytes: number } | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.removeAllListeners('message');
      if (r === null) ws.terminate();
      resolve(r);
    };
    ws.once('message', (data: Buffer) => done({ ws, ms: performance.now() - started, bytes: data.length }));
    ws.on('error', () => done(null));
  });
}

/** Opens `urls` in waves of 200, 20 a turn (as many clients arriving at once would); null where one failed. */
async function openAll(
  urls: string[],
  deadline: number,
): Promise<({ ws: WebSocket; ms: number; bytes: number } | null)[]> {
  const out: Promise<{ ws: WebSocket; ms: number; bytes: number } | null>[] = [];
  for (let i = 0; i < urls.length; i += 20) {
    out.push(...urls.slice(i, i + 20).map((u) => open(u, deadline)));
    await new Promise((r) => setImmediate(r));
    if (i % 200 === 180) await Promise.all(out.slice(-200));
  }
  return Promise.all(out);
}

class Bot {
  private clients: Client[] = [];
  /** counting window, epoch ms; outside it nothing is counted */
  private from = Infinity;
  private to = -Infinity;
  private bytes = 0;
  private frames = 0;
  private sampledBytes: Record<string, number> = {};
  private sampledFrames: Record<string, number> = {};
  private deltaMs: number[] = [];
  /** the deltas counted, by seq: when each was formed (`ts`) and its bytes (the no-op replays them) */
  private deltaSeqs = new Map<number, { ts: number; bytes: number }>();
  private youMs: number[] = [];
  private gaps = 0;
  private lastSeq = 0;
  /** the last seq seen `awayS` before the end of play: where a storm's clients say they left off */
  private awaySeq = 0;
  private closed: Record<string, number> = {};
  /** sampled clients' answers meant for the window, and how each was answered */
  private replies = { sent: 0, results: 0, refused: 0 };
  private errors: Record<string, number> = {};

  constructor(private readonly o: BigBotOrders) {}

  private counting(now: number): boolean {
    return now >= this.from && now < this.to;
  }

  /** Wires a client's socket: counting on every one, parsing on the sampled. */
  private attach(c: Client): void {
    let seq = 0;
    c.ws.on('error', () => undefined);
    c.ws.on('close', (code: number) => {
      if (!c.dropping && this.counting(Date.now())) this.closed[code] = (this.closed[code] ?? 0) + 1;
    });
    c.ws.on('message', (data: Buffer) => {
      const now = Date.now();
      const counted = this.counting(now);
      if (counted) {
        this.bytes += data.length;
        this.frames++;
      }
      if (!c.sampled) return;
      let msg: unknown;
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return;
      }
      const t = str(msg, 't') ?? 'unknown';
      if (counted) {
        this.sampledBytes[t] = (this.sampledBytes[t] ?? 0) + data.length;
        this.sampledFrames[t] = (this.sampledFrames[t] ?? 0) + 1;
      }
      const s = num(msg, 'seq');
      if (t === 'welcome' && s !== undefined) seq = s;
      if (t === 'lb' && s !== undefined) {
        const ts = num(msg, 'ts');
        if (counted && ts !== undefined) {
          this.deltaMs.push(now - ts);
          if (!this.deltaSeqs.has(s)) this.deltaSeqs.set(s, { ts, bytes: data.length });
        }
        if (counted && seq > 0 && s !== seq + 1) this.gaps++;
        seq = s;
        this.lastSeq = Math.max(this.lastSeq, s);
      }
      if (t === 'you') {
        c.you = { score: num(msg, 'score') ?? -Infinity, at: now };
        this.settle(c);
      }
      if (t === 'result' || (t === 'error' && (str(msg, 'id') ?? '').startsWith('s'))) {
        const id = str(msg, 'id') ?? '';
        const at = c.sent.get(id);
        c.sent.delete(id);
        if (at !== undefined) this.replies[t === 'result' ? 'results' : 'refused']++;
        const score = num(msg, 'score');
        if (at !== undefined && score !== undefined && bool(msg, 'correct') === true) {
          c.waiting.push({ at, score });
          this.settle(c);
        }
      }
      if (t === 'error' && counted) {
        const code = str(msg, 'code') ?? 'unknown';
        this.errors[code] = (this.errors[code] ?? 0) + 1;
      }
    });
  }

  /** Answers whose score the client's latest `you` shows are done: lateness from their intended time. */
  private settle(c: Client): void {
    c.waiting = c.waiting.filter((w) => {
      if (c.you.score < w.score) return true;
      this.youMs.push(Math.max(0, c.you.at - w.at));
      return false;
    });
  }

  async openAll(): Promise<OpenedReport> {
    await sleepUntil(this.o.openAt);
    const from = Date.now();
    const opened = await openAll(this.o.urls, from + 60_000 + this.o.urls.length * 5);
    const connectMs: number[] = [];
    let firstBytes = 0;
    // the sampled clients spread evenly over the process's, not its first: a broadcast reaches
    // the sockets one after another, and its tail is what a percentile must see
    const stride = Math.max(1, Math.floor(this.o.urls.length / Math.max(1, this.o.sample)));
    let sampled = 0;
    opened.forEach((r, i) => {
      if (r === null) return;
      connectMs.push(r.ms);
      firstBytes += r.bytes;
      const c: Client = {
        url: this.o.urls[i] ?? '',
        ws: r.ws,
        sampled: i % stride === 0 && sampled++ < this.o.sample,
        next: 0,
        sent: new Map(),
        waiting: [],
        you: { score: -Infinity, at: 0 },
        dropping: false,
      };
      this.clients.push(c);
      this.attach(c);
    });
    return {
      type: 'opened',
      opened: this.clients.length,
      failed: opened.length - this.clients.length,
      connectMs,
      firstBytes,
      from,
      to: Date.now(),
    };
  }

  async play(startAt: number, warmupS: number, seconds: number): Promise<PlayedReport> {
    const n = this.clients.length;
    this.from = startAt + warmupS * 1000;
    this.to = this.from + seconds * 1000;
    setTimeout(() => (this.awaySeq = this.lastSeq), Math.max(0, this.to - this.o.awayS * 1000 - Date.now()));
    let cpu0 = cpuNow();
    setTimeout(() => (cpu0 = cpuNow()), Math.max(0, this.from - Date.now()));
    // the k-th event of a kind is client k mod n's, meant for startAt + k × interval / n
    const moveStep = this.o.moveEveryMs / Math.max(1, n);
    const scoreStep = this.o.scoreEveryMs / Math.max(1, n);
    let moves = 0;
    let answers = 0;
    let k = 0;
    let a = 0;
    await sleepUntil(startAt);
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        const now = Date.now();
        if (now >= this.to || n === 0) return resolve();
        for (; startAt + k * moveStep <= now; k++) {
          const c = this.clients[k % n];
          if (c?.ws.readyState !== WebSocket.OPEN) continue;
          c.ws.send(MOVE);
          if (startAt + k * moveStep >= this.from) moves++;
        }
        for (; startAt + a * scoreStep <= now; a++) {
          const c = this.clients[a % n];
          const key = this.o.key[c ? c.next % Math.max(1, this.o.key.length) : 0];
          if (c?.ws.readyState !== WebSocket.OPEN || key === undefined) continue;
          const id = `s${c.next++}`;
          const intended = Math.round(startAt + a * scoreStep);
          if (c.sampled && intended >= this.from) {
            c.sent.set(id, intended);
            this.replies.sent++;
          }
          c.ws.send(JSON.stringify({ t: 'answer', id, puzzle: key.puzzle, answer: key.answer }));
          if (intended >= this.from) answers++;
        }
        setTimeout(tick, 2);
      };
      tick();
    });
    const cpuSeconds = cpuNow() - cpu0;
    // a `you` comes at most once a second: what is owed by the end is waited for, then counted missing
    await new Promise((r) => setTimeout(r, 2500));
    const youMissing = this.clients.reduce((s, c) => s + c.waiting.length, 0);
    const report: PlayedReport = {
      type: 'played',
      clients: n,
      sampled: this.clients.filter((c) => c.sampled).length,
      bytes: this.bytes,
      frames: this.frames,
      sampledBytes: this.sampledBytes,
      sampledFrames: this.sampledFrames,
      deltaMs: this.deltaMs,
      deltas: [...this.deltaSeqs].map(([seq, d]) => [seq, d.ts, d.bytes]),
      youMs: this.youMs,
      youMissing,
      gaps: this.gaps,
      moves,
      answers,
      sampledAnswers: { ...this.replies },
      errors: this.errors,
      closed: this.closed,
      cpuSeconds,
      lastSeq: this.lastSeq,
    };
    for (const c of this.clients) c.waiting = [];
    return report;
  }

  async storm(at: number, timeoutMs: number): Promise<StormedReport> {
    const leaving = this.clients.filter((_, i) => i % 2 === 1);
    await sleepUntil(at);
    const cpu0 = cpuNow();
    const since = this.awaySeq || this.lastSeq;
    const from = Date.now();
    for (const c of leaving) {
      c.dropping = true;
      c.ws.removeAllListeners();
      c.ws.on('error', () => undefined);
      c.ws.terminate();
    }
    const urls = leaving.map((c) => `${c.url}&since=${since}`);
    const back = await openAll(urls, from + timeoutMs);
    const ms: number[] = [];
    back.forEach((r, i) => {
      const c = leaving[i];
      if (r === null || c === undefined) return;
      ms.push(r.ms);
      c.ws = r.ws;
      c.dropping = false;
      this.attach(c);
    });
    return {
      type: 'stormed',
      reconnecting: leaving.length,
      reconnected: ms.length,
      ms,
      from,
      to: Date.now(),
      since,
      cpuSeconds: cpuNow() - cpu0,
    };
  }

  end(): void {
    for (const c of this.clients) {
      c.dropping = true;
      c.ws.terminate();
    }
  }
}

const say = (r: OpenedReport | PlayedReport | StormedReport): Promise<void> =>
  new Promise((resolve) => process.stdout.write(`${JSON.stringify(r)}\n`, () => resolve()));

let bot: Bot | undefined;
let queue = Promise.resolve();
const fail = (err: unknown): never => {
  process.stderr.write(`big-hunt bot failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
};
createInterface({ input: process.stdin }).on('line', (line) => {
  // one line at a time, in order: a command waits for the one before it to finish
  queue = queue
    .then(async () => {
      if (bot === undefined) {
        bot = new Bot(bigBotOrders.parse(JSON.parse(line)));
        return say(await bot.openAll());
      }
      const cmd = bigBotCommand.parse(JSON.parse(line));
      if (cmd.cmd === 'play') return say(await bot.play(cmd.startAt, cmd.warmupS, cmd.seconds));
      if (cmd.cmd === 'storm') return say(await bot.storm(cmd.at, cmd.timeoutMs));
      bot.end();
      process.exit(0);
    })
    .catch(fail);
});
