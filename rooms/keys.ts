/**
 * Every Redis key and channel name, in one place. A hunt's keys share the hash tag
 * `{h:<id>}` so that its Lua scripts stay within one Redis Cluster slot; each stream
 * partition has its own tag.
 */
import { goldenTag, spreadTag } from '../redis/index.js';

/**
 * The hash tag of one stream partition: placed on purpose, so that partitions spread evenly over
 * the masters of a cluster (see `goldenTag`), not wherever a hash of their name falls.
 */
function partitionTag(epoch: number, partition: number): string {
  return goldenTag(`s${epoch}.${partition}`, partition);
}

export interface HuntKeys {
  /** hash: name, status, seq, createdAt, launchedAt, genDone, genTotal, failure, owner, maxPlayers, passcode, progressSet (1: the hunt keeps `progress`) */
  meta: string;
  /** hash: puzzle id -> public puzzle JSON (no solution) */
  puzzles: string;
  /** hash: puzzle id -> solution JSON; read by verification only */
  solutions: string;
  /** hash: puzzle id -> JSON array of hint texts */
  hints: string;
  /** hash: player id -> JSON {name, joinedAt, removed?} */
  players: string;
  /** sorted set: player id -> score */
  board: string;
  /** hash: `${player}:${puzzle}` -> points awarded (one solve per player and puzzle) */
  solves: string;
  /**
   * set: the owners (players, or teams in a team hunt) with any progress: a solve, a place
   * reached, a hint taken or a submission pending. Kept in hunts whose meta has `progressSet`
   * (made since it exists); a `welcome` reads the per-puzzle fields of those owners only.
   */
  progress: string;
  /**
   * hash: `${player}:${puzzle}` -> the answer accepted (as the player sent it, at most 2,048
   * characters); one per solve, so bounded like `solves`; the `welcome` shows solved states from it
   */
  accepted: string;
  /** hash: m (the minute, epoch ms / 60,000), a and s (answers checked and solves in it), pa and ps (in the minute before) */
  pace: string;
  /**
   * the base name of the reply hashes, one per REPLY_WINDOW_MS window: `${replies}:${window}`,
   * each `${player}:${requestId}` -> reply JSON (idempotent answers and hints), expiring
   */
  replies: string;
  /** hash: `${player}:${puzzle}` -> hints taken */
  hintsTaken: string;
  /** hash: player id -> `lat,lng` of the last applied move */
  positions: string;
  /** hash: player id -> number of moves applied */
  moves: string;
  /** set: players the game master removed */
  removed: string;
  /** list: JSON log of solves, hints and adjustments for export */
  log: string;
  /** list: recent lb deltas as JSON, newest last */
  deltas: string;
  /**
   * hash: lane -> last stream entry id applied (exactly-once fence): 'a' answers and hints, 'm'
   * moves read from the hunt's own partition, `m.<partition>` moves read from another partition
   * (a hunt whose moves are spread, see `movePartitionOf`)
   */
  applied: string;
  /**
   * hash: player -> the last stream item id of a flush written in parts (flush-moves.lua) that
   * counted this player's moves: a replay after a shard died between two parts skips them
   */
  moveSids: string;
  /** set: players whose score changed since the last delta */
  dirty: string;
  /** hash: player -> rank in the top N as of the last delta */
  lastTop: string;
  /** hash: puzzle -> how many players solved it (first-solver bonus) */
  solvers: string;
  /** hash: `${player}:${puzzle}` -> `windowStartMs,count` of answers in the current minute */
  attempts: string;
  /** hash: `${player}:${puzzle}` -> ms until which answers are refused after a wrong one */
  cooldown: string;
  /** hash: puzzle -> `lat,lng,radius` for puzzles that unlock on arrival */
  locations: string;
  /** set: `${player}:${puzzle}` located puzzles the player reached */
  found: string;
  /** list: answers that could not be verified (dead letters), newest first, capped */
  dead: string;
  /**
   * list: the hunt's message log, JSON, oldest first, the newest MESSAGE_LOG_MAX kept (RPUSH,
   * then LTRIM). Players' help requests, written by apply-answers.lua, are
   * `{"id":"help-<n>","kind":"help","from":{"player","name"},"text","at":<epoch ms>}`; each is
   * also published on the hunt channel as `{"t":"help",...the entry}`, which front nodes pass to
   * game masters only, never to players. Game masters' messages go in the same list:
   * `{"id","kind":"message","text","to"?,"at","createdAt"}` (epoch ms).
   */
  messages: string;
  /** set: game-master accounts the owner added to run the hunt too (at most CO_GMS_MAX) */
  gms: string;
  /** hash: display name folded for comparison -> player id (one player per name in a hunt) */
  names: string;
  /**
   * hash: audience (`*` everyone, `t:<team>`, `p:<player>`) -> JSON array of the last
   * INBOX_MAX messages delivered to it as players get them (what a `welcome` replays)
   */
  inbox: string;
  /** hash: message id -> JSON of a scheduled message not yet delivered (at most SCHEDULED_MAX) */
  scheduled: string;
  /** sorted set: player -> ms when a front node last saw a socket of theirs open */
  online: string;
  /** hash: player -> JSON array of its open socket ids on every front node, oldest first (at most limits.socketsPerPlayer) */
  sockets: string;
  /** hash: player -> ms when their last position was written */
  movedAt: string;
  /** hash: puzzle -> JSON {a?: ids to solve first, o?: opensAfterS, c?: closesAfterS}, for puzzles that have any */
  sequence: string;
  /** hash: puzzle -> the puzzle as written (a definition's entry: answers, and a generated one's seed) */
  defs: string;
  /** hash: puzzle -> `lat,lng,radius` of `checkin` puzzles (a move within it solves the puzzle) */
  checkins: string;
  /** hash: submission id -> JSON record of a judged submission (free text or photo); at most MAX_SUBMISSIONS */
  submissions: string;
  /** sorted set: submission id -> when it was made (ms), oldest first */
  submissionOrder: string;
  /** hash: `${owner}:${puzzle}` -> the submission id waiting for review (one at a time) */
  submissionPending: string;
  /**
   * hash (a team hunt only): team id -> JSON {name, code, createdAt, members: [player ids]};
   * at most TEAMS_MAX teams, each of at most the hunt's `teams.maxSize` members
   */
  teams: string;
  /** hash: team code -> team id */
  teamCodes: string;
  /** hash: team name folded for comparison -> team id (one team per name in a hunt) */
  teamNames: string;
}

/** Entries a hunt's message log (`HuntKeys.messages`) keeps; the oldest go first. */
export { MESSAGE_LOG_MAX } from '../protocol/index.js';

export class Keys {
  constructor(readonly prefix: string) {}

  hunt(id: string): HuntKeys {
    const base = `${this.prefix}:{h:${id}}`;
    return {
      meta: `${base}:meta`,
      puzzles: `${base}:puzzles`,
      solutions: `${base}:solutions`,
      hints: `${base}:hints`,
      players: `${base}:players`,
      board: `${base}:board`,
      solves: `${base}:solves`,
      progress: `${base}:progress`,
      accepted: `${base}:accepted`,
      pace: `${base}:pace`,
      replies: `${base}:replies`,
      hintsTaken: `${base}:hints-taken`,
      positions: `${base}:positions`,
      moves: `${base}:moves`,
      removed: `${base}:removed`,
      log: `${base}:log`,
      deltas: `${base}:deltas`,
      applied: `${base}:applied`,
      moveSids: `${base}:move-sids`,
      dirty: `${base}:dirty`,
      lastTop: `${base}:last-top`,
      solvers: `${base}:solvers`,
      attempts: `${base}:attempts`,
      cooldown: `${base}:cooldown`,
      locations: `${base}:locations`,
      found: `${base}:found`,
      dead: `${base}:dead`,
      messages: `${base}:messages`,
      gms: `${base}:gms`,
      names: `${base}:names`,
      inbox: `${base}:inbox`,
      scheduled: `${base}:scheduled`,
      online: `${base}:online`,
      sockets: `${base}:sockets`,
      movedAt: `${base}:moved-at`,
      sequence: `${base}:sequence`,
      defs: `${base}:defs`,
      checkins: `${base}:checkins`,
      submissions: `${base}:submissions`,
      submissionOrder: `${base}:submission-order`,
      submissionPending: `${base}:submission-pending`,
      teams: `${base}:teams`,
      teamCodes: `${base}:team-codes`,
      teamNames: `${base}:team-names`,
    };
  }

  /** set of every hunt id */
  get huntIndex(): string {
    return `${this.prefix}:hunts`;
  }
  /** hash: game-master account id -> account JSON (name, createdAt, key hash); all account keys share the `{gm}` slot */
  get gmAccounts(): string {
    return `${this.prefix}:{gm}:accounts`;
  }
  /** server-side pepper of the GM key hashes, created once by the first node */
  get gmPepper(): string {
    return `${this.prefix}:{gm}:pepper`;
  }
  /** set: hunts one game-master account created or was added to */
  gmHunts(account: string): string {
    return `${this.prefix}:{gm}:hunts:${account}`;
  }
  /** counter of join attempts from one client address in the current window (expires with it) */
  joinRate(address: string): string {
    return `${this.prefix}:{jr:${address}}:joins`;
  }
  /** sorted set: hunt id -> createdAt (ms), for listing hunts a page at a time, newest first */
  get huntsByTime(): string {
    return `${this.prefix}:hunts-by-time`;
  }
  /** sorted set: hunt id -> when it was deleted (ms), while its purge is repeated to catch late writes */
  get purging(): string {
    return `${this.prefix}:purging`;
  }
  /** the retention sweep's lease: one node at a time runs it */
  get retentionLease(): string {
    return `${this.prefix}:retention-lease`;
  }
  /** shared secret for player tokens, created once by the first node */
  get tokenSecret(): string {
    return `${this.prefix}:token-secret`;
  }
  /** The stream of one partition of one routing epoch (the routing config version). */
  stream(epoch: number, partition: number): string {
    return `${this.prefix}:{${partitionTag(epoch, partition)}}:events`;
  }
  lease(epoch: number, partition: number): string {
    return `${this.prefix}:{${partitionTag(epoch, partition)}}:lease`;
  }
  /** hash: routing epoch -> partition count, for epochs that may still hold events */
  get epochs(): string {
    return `${this.prefix}:epochs`;
  }
  /** set: partitions of an epoch that are drained for good */
  epochDone(epoch: number): string {
    return `${this.prefix}:epoch:${epoch}:done`;
  }
  /** sorted set: shard id -> last heartbeat (ms) */
  get shards(): string {
    return `${this.prefix}:shards`;
  }
  /**
   * Sharded pub/sub channel of one hunt (SPUBLISH/SSUBSCRIBE), in the hunt's slot so its
   * scripts publish on their own master: lb deltas, status changes, kicks, puzzle notices,
   * messages to everyone (replies to players go on `replyChannel`).
   */
  huntChannel(id: string): string {
    return `${this.prefix}:{h:${id}}:ch`;
  }
  /** The hunt a channel of `huntChannel` belongs to, or undefined. */
  huntOfChannel(channel: string): string | undefined {
    const head = `${this.prefix}:{h:`;
    if (!channel.startsWith(head) || !channel.endsWith('}:ch')) return undefined;
    return channel.slice(head.length, -4);
  }
  /**
   * Sharded pub/sub channel of one front node for one hunt, in the hunt's slot: the replies
   * to the players whose sockets that node holds (rooms/lua/includes/reply.lua derives it
   * from `huntChannel`: `ch` becomes `r:<node>`).
   */
  replyChannel(id: string, node: string): string {
    return `${this.prefix}:{h:${id}}:r:${node}`;
  }
  /** The hunt of a channel of `replyChannel` for `node`, or undefined. */
  huntOfReplyChannel(channel: string, node: string): string | undefined {
    const head = `${this.prefix}:{h:`;
    const tail = `}:r:${node}`;
    if (!channel.startsWith(head) || !channel.endsWith(tail)) return undefined;
    return channel.slice(head.length, -tail.length);
  }
  /**
   * Sharded pub/sub channel on which verification workers publish the verdicts of one
   * verification client's jobs (its own hash tag: any slot will do, it carries nothing else).
   */
  verdictChannel(client: string): string {
    return `${this.prefix}:{v:${client}}:verdicts`;
  }
  /**
   * BullMQ prefix of one queue: a hash tag of its own, so each queue stays in one cluster slot
   * and the queues spread over masters. The schedule queue keeps the tag all queues shared
   * before they were split, so launch and end timers set before an upgrade still fire.
   */
  queuePrefix(queue: string): string {
    if (queue === 'schedule') return `{${this.prefix}:q}`;
    // numbered queues (`verify-0`...) take tags in different slices of the slot space, so they spread over masters
    const numbered = /^(.*)-(\d+)of(\d+)$/.exec(queue);
    if (numbered) return `{${spreadTag(`${this.prefix}:q:${numbered[1]}`, Number(numbered[2]), Number(numbered[3]))}}`;
    return `{${this.prefix}:q:${queue}}`;
  }
}

export const STREAM_GROUP = 'shards';

/**
 * The field under which a player's progress on a puzzle is kept (solves, hints taken, attempts,
 * reaches, pending submissions). A team hunt puts the team id where the player id is.
 * Lua has the same rule: `owner_key` in lua/includes/sequence.lua.
 */
export function ownerKey(owner: string, puzzle: string): string {
  return `${owner}:${puzzle}`;
}

const FNV_OFFSET = 0x811c9dc5;

/** FNV-1a of `text` continued from `h` (a 32-bit state), stable across processes. */
export function fnv1a(text: string, h = FNV_OFFSET): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Which partition a hunt's events go to (its own partition). FNV-1a, stable across processes. */
export function partitionOf(huntId: string, partitions: number): number {
  return fnv1a(huntId) % partitions;
}
