/**
 * The big-hunt benchmark's bot processes (load/bighunt-bot.ts), driven together: each gets its
 * share of the clients, all open at the same moment, and every command goes to all of them; the
 * answer is every process's report. A process that dies fails the run with its exit code.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  botReport,
  type BigBotCommand,
  type BigBotOrders,
  type OpenedReport,
  type PlayedReport,
  type StormedReport,
} from './bighunt-wire.js';

const ROOT = new URL('..', import.meta.url).pathname;

type Report = OpenedReport | PlayedReport | StormedReport;

class BotProcess {
  readonly proc: ChildProcess;
  private reports: Report[] = [];
  private waiters: { resolve: (r: Report) => void; reject: (e: Error) => void }[] = [];
  private failure: Error | undefined;

  constructor() {
    this.proc = spawn(process.execPath, ['--import', 'tsx', 'load/bighunt-bot.ts'], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let buffer = '';
    this.proc.stdout?.on('data', (d: Buffer) => {
      buffer += d.toString();
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const report = botReport.parse(JSON.parse(line));
        const w = this.waiters.shift();
        if (w) w.resolve(report);
        else this.reports.push(report);
      }
    });
    this.proc.once('exit', (code) => {
      this.failure = new Error(`a big-hunt bot process (pid ${this.proc.pid}) exited with ${code}`);
      for (const w of this.waiters.splice(0)) w.reject(this.failure);
    });
  }

  send(line: BigBotOrders | BigBotCommand): void {
    this.proc.stdin?.write(`${JSON.stringify(line)}\n`);
  }

  next(): Promise<Report> {
    const r = this.reports.shift();
    if (r) return Promise.resolve(r);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }
}

function opened(r: Report): OpenedReport {
  if (r.type !== 'opened') throw new Error(`a bot process answered ${r.type} where opened was due`);
  return r;
}
function played(r: Report): PlayedReport {
  if (r.type !== 'played') throw new Error(`a bot process answered ${r.type} where played was due`);
  return r;
}
function stormed(r: Report): StormedReport {
  if (r.type !== 'stormed') throw new Error(`a bot process answered ${r.type} where stormed was due`);
  return r;
}

export class BotFleet {
  private constructor(private readonly bots: BotProcess[]) {}

  /** Starts one process per share; every one opens its sockets at `openAt`. */
  static async open(shares: BigBotOrders[]): Promise<{ fleet: BotFleet; opened: OpenedReport[] }> {
    const bots = shares.map(() => new BotProcess());
    const fleet = new BotFleet(bots);
    try {
      bots.forEach((b, i) => b.send(shares[i]!));
      const reports = await Promise.all(bots.map(async (b) => opened(await b.next())));
      return { fleet, opened: reports };
    } catch (err) {
      fleet.kill();
      throw err;
    }
  }

  get pids(): number[] {
    return this.bots.map((b) => b.proc.pid ?? 0);
  }

  async play(startAt: number, warmupS: number, seconds: number): Promise<PlayedReport[]> {
    for (const b of this.bots) b.send({ cmd: 'play', startAt, warmupS, seconds });
    return Promise.all(this.bots.map(async (b) => played(await b.next())));
  }

  async storm(at: number, timeoutMs: number): Promise<StormedReport[]> {
    for (const b of this.bots) b.send({ cmd: 'storm', at, timeoutMs });
    return Promise.all(this.bots.map(async (b) => stormed(await b.next())));
  }

  /** Closes every socket and waits for the processes to exit (killed after 10 s). */
  async end(): Promise<void> {
    await Promise.all(
      this.bots.map(
        (b) =>
          new Promise<void>((resolve) => {
            if (b.proc.exitCode !== null) return resolve();
            const timer = setTimeout(() => b.proc.kill('SIGKILL'), 10_000);
            b.proc.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            b.send({ cmd: 'end' });
          }),
      ),
    );
  }

  kill(): void {
    for (const b of this.bots) b.proc.kill('SIGKILL');
  }
}
