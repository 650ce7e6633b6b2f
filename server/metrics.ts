/** A small Prometheus registry: counters, gauges and histograms with labels, rendered as text format 0.0.4. */

type Labels = Record<string, string>;

const NEEDS_ESCAPE = /[\\"\n]/;

function escapeValue(v: string): string {
  return NEEDS_ESCAPE.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : v;
}

/** `{k="v",...}` in the labels' own order; called per increment, so no arrays or regex replaces in the common case. */
function labelText(labels: Labels): string {
  let out = '';
  for (const k in labels) out += `${out ? ',' : ''}${k}="${escapeValue(labels[k] ?? '')}"`;
  return out ? `{${out}}` : '';
}

abstract class Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly kind: 'counter' | 'gauge' | 'histogram',
  ) {}
  abstract lines(): string[];
  render(): string {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.kind}`, ...this.lines()].join('\n');
  }
}

export class Counter extends Metric {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }
  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    const cur = this.values.get(key);
    if (cur) cur.value += by;
    else this.values.set(key, { labels, value: by });
  }
  get(labels: Labels = {}): number {
    return this.values.get(labelText(labels))?.value ?? 0;
  }
  /** A handle for one label set, for hot paths: no label formatting per increment. */
  labels(labels: Labels): { inc(by?: number): void } {
    const key = labelText(labels);
    let cell = this.values.get(key);
    if (!cell) this.values.set(key, (cell = { labels, value: 0 }));
    const fixed = cell;
    return { inc: (by = 1) => void (fixed.value += by) };
  }
  lines(): string[] {
    if (this.values.size === 0) return [`${this.name} 0`];
    return [...this.values.values()].map((v) => `${this.name}${labelText(v.labels)} ${v.value}`);
  }
}

export class Gauge extends Metric {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    name: string,
    help: string,
    private readonly collect?: () => void,
  ) {
    super(name, help, 'gauge');
  }
  set(labels: Labels, value: number): void {
    this.values.set(labelText(labels), { labels, value });
  }
  lines(): string[] {
    this.collect?.();
    if (this.values.size === 0) return [`${this.name} 0`];
    return [...this.values.values()].map((v) => `${this.name}${labelText(v.labels)} ${v.value}`);
  }
}

/** Upper bounds in seconds, from 0.5 ms to 10 s. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Histogram extends Metric {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(
    name: string,
    help: string,
    private readonly buckets: readonly number[] = LATENCY_BUCKETS,
  ) {
    super(name, help, 'histogram');
    this.counts = buckets.map(() => 0);
  }
  observe(value: number, times = 1): void {
    for (let i = 0; i < this.buckets.length; i++) {
      if (value <= (this.buckets[i] ?? Infinity)) {
        this.counts[i] = (this.counts[i] ?? 0) + times;
        break;
      }
    }
    this.sum += value * times;
    this.count += times;
  }
  lines(): string[] {
    let cumulative = 0;
    const out = this.buckets.map((b, i) => {
      cumulative += this.counts[i] ?? 0;
      return `${this.name}_bucket{le="${b}"} ${cumulative}`;
    });
    out.push(
      `${this.name}_bucket{le="+Inf"} ${this.count}`,
      `${this.name}_sum ${this.sum}`,
      `${this.name}_count ${this.count}`,
    );
    return out;
  }
}

/** Every metric a node exports; one instance per node, never module-level. */
export class NodeMetrics {
  readonly wsConnections = new Gauge('hunt_ws_connections', 'Open player WebSockets on this node');
  readonly eventsReceived = new Counter(
    'hunt_events_received_total',
    'Client events accepted by this front node, by type',
  );
  readonly eventsApplied = new Counter('hunt_events_applied_total', 'Events applied by shards on this node, by type');
  readonly answersVerified = new Counter(
    'hunt_answers_verified_total',
    'Answers verified on this node (by its workers, or by its shards where answers are checked in the shard)',
  );
  readonly deltas = new Counter('hunt_leaderboard_deltas_total', 'Leaderboard deltas formed by shards on this node');
  readonly streamLag = new Gauge('hunt_stream_lag', 'Stream entries not yet applied, per owned partition');
  readonly configVersion = new Gauge('hunt_config_version', 'Version of each named config this node applies');
  readonly poisonEvents = new Counter(
    'hunt_poison_events_total',
    'Stream entries that could not be read and were skipped',
  );
  readonly deadLetters = new Counter(
    'hunt_dead_letters_total',
    'Answers whose verification job failed for good, by queue',
  );
  readonly streamDeadLetters = new Counter(
    'hunt_stream_dead_letters_total',
    'Stream entries or events set aside as poison after bounded tries',
  );
  readonly shed = new Counter('hunt_events_shed_total', 'Client events refused with OVERLOADED, by type');
  readonly shedCause = new Counter(
    'hunt_events_shed_cause_total',
    'Client events refused with OVERLOADED, by the limit furthest past: queued, backlog or lag',
  );
  readonly loopLag = new Histogram(
    'hunt_event_loop_lag_seconds',
    'How late a 20 ms timer fired in this process (event-loop delay)',
  );
  readonly rejected = new Counter('hunt_events_rejected_total', 'Client messages refused, by error code');
  readonly applySeconds = new Histogram('hunt_event_apply_seconds', 'Accepted at a front node to applied by its shard');
  readonly answerResultSeconds = new Histogram('hunt_answer_result_seconds', 'Answer received to result sent');
  readonly openFiles = new Gauge(
    'hunt_open_files',
    'Files (sockets among them) open in this process, as of the last count',
  );
  readonly accepting = new Gauge(
    'hunt_accepting',
    '1 while the node listens for new connections; 0 while it is near its open-file limit or shutting down',
  );
  readonly wsBytesSent = new Counter(
    'hunt_ws_bytes_sent_total',
    'Bytes of WebSocket messages this node sent to players (a topic publish counts once per subscriber)',
  );
  readonly replayReads = new Counter(
    'hunt_replay_reads_total',
    "Reconnect replays, by where their deltas came from: ring (this node's recent deltas), redis (one bounded read, shared by identical reads in flight), shared (joined a read in flight), welcome (too old: a fresh welcome)",
  );
  readonly replayDeltasRead = new Counter(
    'hunt_replay_deltas_read_total',
    'Deltas read from Redis for reconnect replays',
  );
  readonly rankIndexSeeds = new Counter(
    'hunt_rank_index_seeds_total',
    "Times this node read a hunt's whole board into its rank index (once per hunt it serves, again after a missed delta)",
  );
  readonly rankIndexEntriesSeeded = new Counter(
    'hunt_rank_index_entries_seeded_total',
    'Board entries read by those seeds',
  );
  readonly redisMemoryRatio = new Gauge(
    'hunt_redis_memory_ratio',
    'Redis used_memory over maxmemory (the fullest master on a cluster); 0 where maxmemory is unset',
  );
  readonly socketsReplaced = new Counter(
    'hunt_ws_sockets_replaced_total',
    'Sockets closed (4008) because their player opened more than limits.socketsPerPlayer',
  );
  readonly repliesReceived = new Counter(
    'hunt_replies_received_total',
    "Replies to players this node's subscriber heard, by whether it held a socket of the player (held: yes, no)",
  );
  readonly joinsRefused = new Counter(
    'hunt_joins_refused_total',
    'Joins (POST /api/hunts/:id/players) refused by this node, by error code',
  );
  readonly submissionsPending = new Gauge(
    'hunt_submissions_pending',
    'Judged submissions waiting for review, per hunt, as of the last submission or review this node handled',
  );

  private readonly all = [
    this.wsConnections,
    this.eventsReceived,
    this.eventsApplied,
    this.answersVerified,
    this.deltas,
    this.streamLag,
    this.configVersion,
    this.poisonEvents,
    this.deadLetters,
    this.streamDeadLetters,
    this.shed,
    this.shedCause,
    this.loopLag,
    this.rejected,
    this.applySeconds,
    this.answerResultSeconds,
    this.openFiles,
    this.accepting,
    this.wsBytesSent,
    this.replayReads,
    this.replayDeltasRead,
    this.rankIndexSeeds,
    this.rankIndexEntriesSeeded,
    this.redisMemoryRatio,
    this.socketsReplaced,
    this.joinsRefused,
    this.repliesReceived,
    this.submissionsPending,
  ];

  render(): string {
    return this.all.map((m) => m.render()).join('\n') + '\n';
  }
}
