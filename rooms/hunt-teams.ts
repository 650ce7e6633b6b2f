/**
 * A team hunt's teams: their records (name, code, members) as the join script writes them, read
 * and checked here for `GET /api/hunts/:id/teams`, the welcome and the export.
 */
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import type { RedisClient } from '../redis/index.js';
import { HuntError, type TeamMember, type TeamMessage, type TeamSummary, type WelcomeTeam } from '../protocol/index.js';
import type { Keys } from './keys.js';
import { decodeScore } from './score.js';

/** Letters and digits that cannot be mistaken for one another when read aloud or off a screen. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 6;

/** A fresh team code: 6 characters of 32, about a billion codes. */
export function newTeamCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** A team as the hunt's `teams` hash holds it (Lua's cjson writes an empty member list as `{}`). */
const teamRecord = z.object({
  name: z.string(),
  code: z.string(),
  createdAt: z.number(),
  members: z.union([z.array(z.string()), z.object({}).transform((): string[] => [])]),
});
export type TeamRecord = z.infer<typeof teamRecord>;

const memberRecord = z.object({ name: z.string() });

function parse<T>(schema: z.ZodType<T>, raw: string | null | undefined): T | null {
  if (raw === null || raw === undefined) return null;
  try {
    const out = schema.safeParse(JSON.parse(raw));
    return out.success ? out.data : null;
  } catch {
    return null;
  }
}

export function readTeam(raw: string | null | undefined): TeamRecord | null {
  return parse(teamRecord, raw);
}

export class HuntTeams {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /** Every team with its members and score, best first (no codes). HUNT_NOT_FOUND when there is no such hunt. */
  async list(hunt: string): Promise<TeamSummary[]> {
    const k = this.keys.hunt(hunt);
    const [exists, raw, board] = await Promise.all([
      this.redis.exists(k.meta),
      this.redis.hgetall(k.teams),
      this.redis.zrevrange(k.board, 0, -1, 'WITHSCORES'),
    ]);
    if (exists === 0) throw new HuntError('HUNT_NOT_FOUND');
    const teams = Object.entries(raw).flatMap(([id, r]) => {
      const t = readTeam(r);
      return t ? [{ id, ...t }] : [];
    });
    const names = await this.memberNames(
      hunt,
      teams.flatMap((t) => t.members),
    );
    const score = new Map<string, number>();
    const order = new Map<string, number>();
    for (let i = 0; i + 1 < board.length; i += 2) {
      score.set(board[i]!, decodeScore(board[i + 1]!));
      order.set(board[i]!, i);
    }
    return teams
      .sort((a, b) => (order.get(a.id) ?? Infinity) - (order.get(b.id) ?? Infinity) || a.createdAt - b.createdAt)
      .map((t) => ({
        id: t.id,
        name: t.name,
        members: t.members.map((p) => ({ player: p, name: names.get(p) ?? '' })),
        score: score.get(t.id) ?? 0,
      }));
  }

  /** One team as its members see it in a `welcome`; null when there is no such team. */
  async welcomeTeam(hunt: string, team: string): Promise<WelcomeTeam | null> {
    const t = readTeam(await this.redis.hget(this.keys.hunt(hunt).teams, team));
    if (!t) return null;
    const names = await this.memberNames(hunt, t.members);
    return {
      id: team,
      name: t.name,
      code: t.code,
      members: t.members.map((p) => ({ player: p, name: names.get(p) ?? '' })),
    };
  }

  /** Tells a team's members on every node who is in it now (`{"t":"team","team"}`), after a join. */
  async announce(hunt: string, team: WelcomeTeam): Promise<void> {
    const message: TeamMessage = { t: 'team', team };
    await this.redis.spublish(this.keys.huntChannel(hunt), JSON.stringify({ t: 'reply', p: team.id, m: message }));
  }

  /** True when the hunt has that team. */
  async exists(hunt: string, team: string): Promise<boolean> {
    return (await this.redis.hexists(this.keys.hunt(hunt).teams, team)) === 1;
  }

  private async memberNames(hunt: string, players: readonly string[]): Promise<Map<string, string>> {
    if (players.length === 0) return new Map();
    const raw = await this.redis.hmget(this.keys.hunt(hunt).players, ...players);
    return new Map(players.map((p, i) => [p, parse(memberRecord, raw[i])?.name ?? '']));
  }
}

export type { TeamMember };
