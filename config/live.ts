/**
 * Hot reload of named configs on one node. The node learns of a write through pub/sub and
 * also reconciles on a timer (pub/sub drops messages while a connection is down). A new
 * value is parsed, deep-frozen and swapped in one assignment; a value that fails its schema
 * (written behind the API's back) leaves the node on its last good version, logged. The
 * node reports what it applies, so convergence across nodes is visible.
 */
import type { RedisClient } from '../redis/index.js';
import type { Logger } from 'pino';
import {
  DEFAULT_FANOUT,
  DEFAULT_LIMITS,
  DEFAULT_RETENTION,
  DEFAULT_ROUTING,
  DEFAULT_SCORING,
  DEFAULT_STORAGE,
  defaultConfigs,
} from './defaults.js';
import {
  CONFIG_SCHEMAS,
  deepFreeze,
  schemaFor,
  TEMPLATE_PREFIX,
  type FixedConfigName,
  type Template,
} from './schemas.js';
import { closeSubscriber, subscriberOf } from '../redis/index.js';
import { ConfigStore } from './store.js';

type Values = { [K in FixedConfigName]: import('zod').infer<(typeof CONFIG_SCHEMAS)[K]> };

export interface LiveConfigOptions {
  redis: RedisClient;
  prefix: string;
  nodeId: string;
  roles: readonly string[];
  logger: Logger;
  /** @default 1000 */
  reconcileMs?: number;
  /** called after a name's applied version changed */
  onApplied?: (name: string, version: number) => void | Promise<void>;
}

/** Node reports older than this count as gone. */
export const NODE_REPORT_STALE_MS = 5000;

export class LiveConfig {
  readonly store: ConfigStore;
  private values: Values;
  private readonly templates = new Map<string, Template>();
  private readonly applied = new Map<string, number>();
  private readonly sub: RedisClient;
  private timer: NodeJS.Timeout | undefined;
  private reloading: Promise<void> = Promise.resolve();
  private closing: Promise<void> | undefined;
  private readonly log: Logger;

  constructor(private readonly opts: LiveConfigOptions) {
    this.store = new ConfigStore(opts.redis, opts.prefix);
    this.log = opts.logger.child({ part: 'config' });
    this.values = deepFreeze<Values>({
      routing: DEFAULT_ROUTING,
      limits: DEFAULT_LIMITS,
      scoring: DEFAULT_SCORING,
      fanout: DEFAULT_FANOUT,
      storage: DEFAULT_STORAGE,
      retention: DEFAULT_RETENTION,
    });
    this.sub = subscriberOf(opts.redis);
    this.sub.on('error', (err: Error) => this.log.warn({ err: err.message }, 'config subscriber error'));
    this.sub.on('message', () => this.schedule());
  }

  /** Seeds the defaults where absent, loads everything, subscribes, starts reconciling. */
  async start(): Promise<void> {
    await this.store.seed(defaultConfigs(), `node ${this.opts.nodeId}`);
    await this.sub.subscribe(this.store.keys.channel);
    await this.reconcile();
    const every = this.opts.reconcileMs ?? 1000;
    const loop = (): void => {
      this.timer = setTimeout(() => {
        this.schedule();
        void this.reloading.then(() => {
          if (!this.closing) loop();
        });
      }, every);
    };
    loop();
  }

  get routing(): Values['routing'] {
    return this.values.routing;
  }
  get limits(): Values['limits'] {
    return this.values.limits;
  }
  get scoring(): Values['scoring'] {
    return this.values.scoring;
  }
  get fanout(): Values['fanout'] {
    return this.values.fanout;
  }
  get storage(): Values['storage'] {
    return this.values.storage;
  }
  get retention(): Values['retention'] {
    return this.values.retention;
  }
  template(name: string): Template | undefined {
    return this.templates.get(name);
  }
  /** name -> version this node applies */
  versions(): Record<string, number> {
    return Object.fromEntries(this.applied);
  }

  private schedule(): void {
    this.reloading = this.reloading
      .then(() => this.reconcile())
      .catch((err: unknown) => this.log.warn({ err }, 'config reconcile failed'));
  }

  /** Loads every name whose stored version differs from the applied one; reports. */
  private async reconcile(): Promise<void> {
    if (this.closing) return;
    const names = await this.store.names();
    const stored = await this.store.versions(names);
    for (const name of names) {
      const version = stored.get(name) ?? 0;
      if (version === 0 || version === this.applied.get(name)) continue;
      const raw = await this.store.raw(name);
      if (raw) await this.apply(name, raw.version, raw.value);
    }
    const key = this.store.keys.node(this.opts.nodeId);
    await this.opts.redis
      .multi()
      .hset(key, { roles: this.opts.roles.join(','), ...this.versions() })
      .pexpire(key, NODE_REPORT_STALE_MS * 2)
      .zadd(this.store.keys.nodes, Date.now(), this.opts.nodeId)
      .zremrangebyscore(this.store.keys.nodes, '-inf', Date.now() - NODE_REPORT_STALE_MS * 4)
      .exec();
  }

  private async apply(name: string, version: number, rawValue: string): Promise<void> {
    const schema = schemaFor(name);
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawValue);
    } catch {
      parsed = undefined;
    }
    const result = schema?.safeParse(parsed);
    if (!result?.success) {
      const issues = result?.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? ['not JSON'];
      // Remember the bad version so it is not re-parsed every tick; the values stay as they were.
      if (this.applied.get(`!${name}`) !== version)
        this.log.warn(
          { config: name, version, issues, keeping: this.applied.get(name) ?? 'default' },
          'invalid config ignored; keeping the last good version',
        );
      this.applied.set(`!${name}`, version);
      return;
    }
    const value = deepFreeze(result.data);
    if (name.startsWith(TEMPLATE_PREFIX)) this.templates.set(name.slice(TEMPLATE_PREFIX.length), value as Template);
    else this.values = Object.freeze({ ...this.values, [name]: value }) as Values;
    // Reported only once the node acted on it (a front node switching routing epochs, say).
    await this.opts.onApplied?.(name, version);
    this.applied.set(name, version);
    this.log.info({ config: name, version }, 'config applied');
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      clearTimeout(this.timer);
      await this.reloading;
      try {
        await this.opts.redis
          .multi()
          .del(this.store.keys.node(this.opts.nodeId))
          .zrem(this.store.keys.nodes, this.opts.nodeId)
          .exec();
      } catch {
        // Redis may be gone already
      }
      await closeSubscriber(this.sub);
    })();
    return this.closing;
  }
}
