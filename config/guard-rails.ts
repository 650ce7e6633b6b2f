/**
 * Values a schema accepts but that would stop play: acknowledgements that wait for replicas the
 * deployment does not have, limits that close an ordinary player's socket, ticks and batches so
 * long that nothing seems to move. A write with any of them is refused (CONFIG_INVALID, with
 * the reasons) unless the writer sends `"force": true`. The bounds describe an ordinary player:
 * a move a second, a ping now and then, a handful of answers in a row, the longest answer the
 * contract takes.
 */
import {
  fanoutSchema,
  limitsSchema,
  routingSchema,
  type FanoutConfig,
  type LimitsConfig,
  type RoutingConfig,
} from './schemas.js';

/** Messages a second an ordinary player sends at most, sustained (a move a second, pings, answers). */
export const PLAYER_PACE = 2;
/** Messages an ordinary player sends in a row (answers typed offline, sent on reconnect). */
export const PLAYER_BURST = 10;
/** Bytes of the longest answer frame: 2,048 characters, up to 3 bytes each in UTF-8, and the JSON around them. */
export const LONGEST_ANSWER_BYTES = 8 * 1024;
/** Longest board tick that still looks live. */
export const TICK_MAX_MS = 1000;
/** Longest an event may wait in a front node's batch before it is written. */
export const BATCH_DELAY_MAX_MS = 250;

/** What the guard rails know of the deployment. */
export interface DeploymentFacts {
  /** the fewest replicas any master has (0 on a redis-server without replicas) */
  replicas: number;
}

export interface PlayStopper {
  path: string;
  message: string;
}

function limitsStoppers(v: LimitsConfig): PlayStopper[] {
  const out: PlayStopper[] = [];
  if (v.messagesPerSecond < PLAYER_PACE)
    out.push({
      path: 'messagesPerSecond',
      message: `${v.messagesPerSecond} a second would refuse an ordinary player (a move a second and pings need ${PLAYER_PACE}), then close the socket`,
    });
  if (v.burst < PLAYER_BURST)
    out.push({
      path: 'burst',
      message: `a burst of ${v.burst} would refuse a player sending ${PLAYER_BURST} answers in a row (on reconnect, say), then close the socket`,
    });
  if (v.maxFrameBytes < LONGEST_ANSWER_BYTES)
    out.push({
      path: 'maxFrameBytes',
      message: `${v.maxFrameBytes} bytes would close the socket (1009) of a player sending the longest answer the contract takes (up to ${LONGEST_ANSWER_BYTES} bytes)`,
    });
  if (v.maxBodyBytes < LONGEST_ANSWER_BYTES)
    out.push({
      path: 'maxBodyBytes',
      message: `${v.maxBodyBytes} bytes would refuse the longest answer sent over HTTP (up to ${LONGEST_ANSWER_BYTES} bytes)`,
    });
  return out;
}

function routingStoppers(v: RoutingConfig, facts: DeploymentFacts): PlayStopper[] {
  const out: PlayStopper[] = [];
  if (v.ackReplicas > facts.replicas)
    out.push({
      path: 'ackReplicas',
      message: `${v.ackReplicas} replicas must hold each event, but the fewest any master has is ${facts.replicas}: no event would ever be acknowledged`,
    });
  if (v.batch.maxDelayMs > BATCH_DELAY_MAX_MS)
    out.push({
      path: 'batch.maxDelayMs',
      message: `every event would wait up to ${v.batch.maxDelayMs} ms before it is even written (at most ${BATCH_DELAY_MAX_MS})`,
    });
  return out;
}

function fanoutStoppers(v: FanoutConfig): PlayStopper[] {
  return v.tickMs > TICK_MAX_MS
    ? [{ path: 'tickMs', message: `the board would move once every ${v.tickMs} ms (at most ${TICK_MAX_MS})` }]
    : [];
}

/** The reasons a config value would stop play; empty when it would not (or when its schema refuses it: that is reported elsewhere). */
export function playStoppers(name: string, value: unknown, facts: DeploymentFacts): PlayStopper[] {
  const checked = <T>(
    schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
    check: (v: T) => PlayStopper[],
  ): PlayStopper[] => {
    const parsed = schema.safeParse(value);
    return parsed.success ? check(parsed.data) : [];
  };
  switch (name) {
    case 'limits':
      return checked(limitsSchema, limitsStoppers);
    case 'routing':
      return checked(routingSchema, (v: RoutingConfig) => routingStoppers(v, facts));
    case 'fanout':
      return checked(fanoutSchema, fanoutStoppers);
    default:
      return [];
  }
}
