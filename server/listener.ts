/**
 * The node's listen socket, closed while the process nears its open-file limit and opened
 * again once files are free. uSockets (the native transport) retries a failed accept at once, so a process out of
 * files with connections waiting spins a core (measured: a node at its limit with some 200
 * peers waiting sat at 100 % of a core and served no new connection until some closed). Not
 * listening, new peers are refused at once (another node on the port takes them) and the
 * players already connected are served as before.
 */
import type { Logger } from 'pino';
import type { NodeMetrics } from './metrics.js';
import { openFilesLimit, openFilesNow } from './open-files.js';
import type { ListenHandle, Transport } from './transport/index.js';

export interface ListenerOptions {
  host: string;
  /** 0 picks a free port (kept when the socket is opened again). */
  port: number;
  /** How often the open files are counted. @default 250 */
  checkEveryMs?: number;
}

/** Files kept free below the limit: 2 % of it, at least 32, at most 1,024. Listening resumes below twice that. */
export function reserveFor(limit: number): number {
  return Math.min(1024, Math.max(32, Math.round(limit * 0.02)));
}

/** What a Listener is built from. */
export interface ListenerDeps {
  transport: Transport;
  options: ListenerOptions;
  log: Logger;
  metrics: NodeMetrics;
}

export class Listener {
  private socket: ListenHandle | null = null;
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  private stopped = false;
  private boundPort = 0;
  /** the soft limit as last read (reading it takes a file, which a process at its limit does not have) */
  private limit: number | null = null;

  private readonly transport: Transport;
  private readonly options: ListenerOptions;
  private readonly log: Logger;
  private readonly metrics: NodeMetrics;

  constructor(deps: ListenerDeps) {
    this.transport = deps.transport;
    this.options = deps.options;
    this.log = deps.log;
    this.metrics = deps.metrics;
  }

  /** The port listened on (the one picked, when asked for 0). */
  get port(): number {
    return this.boundPort;
  }

  /** Listens, then watches the open files; rejects when the port cannot be had. */
  async open(): Promise<number> {
    if (!(await this.listen(this.options.port))) throw new Error(`could not listen on port ${this.options.port}`);
    this.boundPort = this.socket!.port;
    this.metrics.accepting.set({}, 1);
    this.timer = setInterval(() => void this.check(), this.options.checkEveryMs ?? 250);
    this.timer.unref();
    return this.boundPort;
  }

  /** Stops listening for good (shutdown). */
  close(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.unlisten();
  }

  private async listen(port: number): Promise<boolean> {
    this.socket = await this.transport.listen(this.options.host, port);
    return this.socket !== null;
  }

  private unlisten(): void {
    if (this.socket === null) return;
    this.socket.close();
    this.socket = null;
    this.metrics.accepting.set({}, 0);
  }

  private async check(): Promise<void> {
    if (this.checking || this.stopped) return;
    this.checking = true;
    try {
      const limit = (this.limit = openFilesLimit()?.soft ?? this.limit);
      const open = await openFilesNow();
      if (limit === null || open === null || !Number.isFinite(limit) || this.stopped) return;
      this.metrics.openFiles.set({}, open);
      const reserve = reserveFor(limit);
      if (this.socket !== null && open >= limit - reserve) {
        this.unlisten();
        this.log.warn(
          { open, limit, resumeBelow: limit - 2 * reserve },
          'near the open-file limit: not accepting new connections',
        );
      } else if (this.socket === null && open < limit - 2 * reserve) {
        if (await this.listen(this.boundPort)) {
          if (this.stopped) return this.unlisten();
          this.metrics.accepting.set({}, 1);
          this.log.info({ open, limit }, 'open files back under the limit: accepting new connections again');
        } else this.log.warn({ port: this.boundPort }, 'could not listen again; will try at the next check');
      }
    } finally {
      this.checking = false;
    }
  }
}
