/**
 * A hunt's messages: what game masters send (now or at a time) and what players ask for help,
 * in one bounded log; the inboxes a `welcome` replays. Delivery is one script call
 * (`send-message.lua`): logged, kept for the welcome and published together.
 */
import { z } from 'zod';
import type { RedisClient } from '../redis/index.js';
import {
  INBOX_MAX,
  MESSAGE_LOG_MAX,
  messageAudience,
  SCHEDULED_MAX,
  type MessageAudience,
  type MessageLogEntry,
  type PlayerMessage,
} from '../protocol/index.js';
import type { Keys } from './keys.js';
import { newId } from './records.js';
import { sendMessage, type SendMode } from './scripts.js';

/** A game master's message as the log keeps it (times in epoch ms). */
const storedMessage = z.object({
  id: z.string(),
  kind: z.literal('message'),
  text: z.string(),
  to: messageAudience.optional(),
  at: z.number(),
  createdAt: z.number(),
});
type StoredMessage = z.infer<typeof storedMessage>;

/** A player's help request as the shard logs it (`at`: epoch ms or ISO). */
const storedHelp = z.object({
  id: z.string(),
  kind: z.literal('help'),
  from: z.object({ player: z.string(), name: z.string() }),
  text: z.string(),
  at: z.union([z.number(), z.string()]),
});

const playerMessage = z.object({
  t: z.literal('message'),
  id: z.string(),
  text: z.string(),
  ts: z.number(),
  to: messageAudience.optional(),
});
const inboxList = z.array(playerMessage);

/** The inbox field of an audience. */
export function inboxField(to: MessageAudience | undefined): string {
  if (!to) return '*';
  return 'team' in to ? `t:${to.team}` : `p:${to.player}`;
}

function iso(at: number | string): string {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(at);
}

function parseLine(raw: string): unknown {
  try {
    const value: unknown = JSON.parse(raw);
    return value;
  } catch {
    return undefined;
  }
}

export class HuntMessages {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /**
   * Logs a message and delivers it now, or keeps it until `at` (epoch ms) when that is ahead.
   * Returns its id and, when kept, the time the caller must schedule its delivery for.
   */
  async send(
    hunt: string,
    body: { text: string; to?: MessageAudience | undefined; at?: number | undefined },
    now = Date.now(),
  ): Promise<{ id: string; dueAt: number | null }> {
    const id = newId();
    const at = body.at !== undefined && body.at > now ? body.at : now;
    const entry: StoredMessage = {
      id,
      kind: 'message',
      text: body.text,
      ...(body.to ? { to: body.to } : {}),
      at,
      createdAt: now,
    };
    const mode: SendMode = at > now ? 'schedule' : 'now';
    await this.run(hunt, mode, entry, now);
    return { id, dueAt: mode === 'schedule' ? at : null };
  }

  /** Delivers a kept message whose time came; false when it was delivered already or is gone. */
  async due(hunt: string, id: string, now = Date.now()): Promise<boolean> {
    const raw = await this.redis.hget(this.keys.hunt(hunt).scheduled, id);
    const parsed = raw === null ? undefined : storedMessage.safeParse(parseLine(raw));
    if (!parsed?.success) {
      // unreadable: dropped, so it cannot block the hunt's scheduled count
      if (raw !== null) await this.redis.hdel(this.keys.hunt(hunt).scheduled, id);
      return false;
    }
    return this.run(hunt, 'due', parsed.data, now);
  }

  /** Drops a kept message (its delivery could not be scheduled). */
  async cancel(hunt: string, id: string): Promise<void> {
    await this.redis.hdel(this.keys.hunt(hunt).scheduled, id);
  }

  private run(hunt: string, mode: SendMode, entry: StoredMessage, now: number): Promise<boolean> {
    const wire: PlayerMessage = {
      t: 'message',
      id: entry.id,
      text: entry.text,
      ts: now,
      ...(entry.to ? { to: entry.to } : {}),
    };
    const recipient = entry.to && 'player' in entry.to ? entry.to.player : '';
    return sendMessage(this.redis, this.keys, hunt, {
      mode,
      id: entry.id,
      entry: JSON.stringify(entry),
      wire: JSON.stringify(wire),
      field: inboxField(entry.to),
      recipient,
      logMax: MESSAGE_LOG_MAX,
      inboxMax: INBOX_MAX,
      scheduledMax: SCHEDULED_MAX,
    });
  }

  /** Every message sent or scheduled, and every help request, oldest first (as far as the log reaches). */
  async list(hunt: string): Promise<MessageLogEntry[]> {
    const k = this.keys.hunt(hunt);
    const [raw, waiting] = await Promise.all([this.redis.lrange(k.messages, 0, -1), this.redis.hkeys(k.scheduled)]);
    const pending = new Set(waiting);
    const out: MessageLogEntry[] = [];
    for (const line of raw) {
      const value = parseLine(line);
      const m = storedMessage.safeParse(value);
      if (m.success) {
        const { at, createdAt, ...rest } = m.data;
        out.push({
          ...rest,
          at: iso(at),
          createdAt: iso(createdAt),
          status: pending.has(m.data.id) ? 'scheduled' : 'sent',
        });
        continue;
      }
      const h = storedHelp.safeParse(value);
      if (h.success) out.push({ ...h.data, at: iso(h.data.at) });
    }
    return out;
  }
}

/** The messages a `welcome` replays from a player's inbox fields: the newest INBOX_MAX, oldest first. */
export function welcomeMessages(fields: readonly string[]): PlayerMessage[] {
  if (fields.length === 0) return [];
  const byId = new Map<string, PlayerMessage>();
  for (const raw of fields) {
    const parsed = inboxList.safeParse(parseLine(raw));
    if (!parsed.success) continue;
    for (const m of parsed.data)
      byId.set(
        m.id,
        m.to
          ? { t: 'message', id: m.id, text: m.text, ts: m.ts, to: m.to }
          : { t: 'message', id: m.id, text: m.text, ts: m.ts },
      );
  }
  return [...byId.values()].sort((a, b) => a.ts - b.ts).slice(-INBOX_MAX);
}
