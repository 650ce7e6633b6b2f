/**
 * Who is online, as this front node knows it: the players whose sockets it holds, per hunt.
 * Changes are written to the hunt's `online` set together a moment later (a reconnect storm
 * costs a few writes, not one per socket), and every player held is marked again every
 * PRESENCE_REFRESH_MS, so a node that dies takes its players offline within ONLINE_TTL_MS.
 * A player whose last socket here closes is marked offline at once; if they still have a
 * socket on another node, that node marks them online again at its next refresh.
 */
import type { Logger } from 'pino';
import { PRESENCE_REFRESH_MS, type HuntStore } from '../rooms/index.js';

/** How long changes wait to be written together. */
const BATCH_MS = 100;

export class Presence {
  /** hunt -> player -> sockets held here */
  private readonly held = new Map<string, Map<string, number>>();
  /** hunt -> player -> what to write: true online, false offline */
  private pending = new Map<string, Map<string, boolean>>();
  private batch: NodeJS.Timeout | undefined;
  /** writes go one after another, so an older change never lands after a newer one */
  private writing: Promise<void> = Promise.resolve();
  private readonly refresh: NodeJS.Timeout;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly store: HuntStore,
    private readonly log: Logger,
  ) {
    this.refresh = setInterval(() => {
      this.writing = this.writing.then(() => this.markAll());
    }, PRESENCE_REFRESH_MS);
    this.refresh.unref();
  }

  opened(hunt: string, player: string): void {
    let players = this.held.get(hunt);
    if (!players) this.held.set(hunt, (players = new Map()));
    const n = (players.get(player) ?? 0) + 1;
    players.set(player, n);
    if (n === 1) this.note(hunt, player, true);
  }

  closed(hunt: string, player: string): void {
    const players = this.held.get(hunt);
    const n = (players?.get(player) ?? 0) - 1;
    if (!players || n > 0) {
      players?.set(player, n);
      return;
    }
    players.delete(player);
    if (players.size === 0) this.held.delete(hunt);
    this.note(hunt, player, false);
  }

  private note(hunt: string, player: string, online: boolean): void {
    if (this.closing) return;
    let changes = this.pending.get(hunt);
    if (!changes) this.pending.set(hunt, (changes = new Map()));
    changes.set(player, online);
    this.batch ??= setTimeout(() => {
      this.batch = undefined;
      const pending = this.pending;
      this.pending = new Map();
      this.writing = this.writing.then(() => this.write(pending));
    }, BATCH_MS);
  }

  private async write(pending: Map<string, Map<string, boolean>>): Promise<void> {
    const now = Date.now();
    await Promise.all(
      [...pending].map(async ([hunt, changes]) => {
        const on: string[] = [];
        const off: string[] = [];
        for (const [player, online] of changes) (online ? on : off).push(player);
        try {
          await this.store.field.markOnline(hunt, on, now);
          await this.store.field.markOffline(hunt, off);
        } catch (err) {
          this.log.warn({ err, hunt }, 'presence not written; the next refresh tries again');
        }
      }),
    );
  }

  private async markAll(): Promise<void> {
    const now = Date.now();
    for (const [hunt, players] of this.held) {
      try {
        await this.store.field.markOnline(hunt, [...players.keys()], now);
      } catch (err) {
        this.log.warn({ err, hunt }, 'presence refresh failed');
      }
    }
  }

  /** Stops marking, and marks the players held here offline (they reconnect to another node). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.refresh);
      clearTimeout(this.batch);
      const pending = this.pending;
      this.pending = new Map();
      await this.writing;
      await this.write(pending);
      for (const [hunt, players] of this.held) {
        try {
          await this.store.field.markOffline(hunt, [...players.keys()]);
        } catch (err) {
          this.log.warn({ err, hunt }, 'presence not cleared at shutdown; it expires by itself');
        }
      }
      this.held.clear();
    })();
    return this.closing;
  }
}
