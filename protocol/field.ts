/**
 * What game masters and players say to each other while a hunt runs, and where the field is:
 * messages (now or scheduled), help requests, positions. Schemas for what crosses the edge,
 * types for what the server sends.
 */
import { z } from 'zod';
import { text } from './messages.js';

/** Longest team name. */
export const TEAM_NAME_MAX = 40;
/** Largest `teams.maxSize` a hunt may set. */
export const TEAM_SIZE_MAX = 100;
/** Teams one hunt may have. */
export const TEAMS_MAX = 10_000;

/** Longest message text a game master may send. */
export const MESSAGE_TEXT_MAX = 1000;
/** Messages and help requests a hunt's log keeps (the oldest go first). */
export const MESSAGE_LOG_MAX = 500;
/** Messages a `welcome` replays, and each audience's inbox keeps. */
export const INBOX_MAX = 20;
/** Scheduled messages one hunt may have waiting at once. */
export const SCHEDULED_MAX = 100;
/** How far ahead a message may be scheduled. */
export const SCHEDULE_AHEAD_MAX_MS = 366 * 24 * 3600 * 1000;

const id = text(64).min(1);

/** Who a message goes to: everyone (absent), one team, or one player. */
export const messageAudience = z.union([z.strictObject({ team: id }), z.strictObject({ player: id })]);
export type MessageAudience = z.infer<typeof messageAudience>;

export const sendMessageBody = z.strictObject({
  text: text(MESSAGE_TEXT_MAX).trim().min(1),
  to: messageAudience.optional(),
  /** when to deliver it (ISO); absent or past: now */
  at: z.iso.datetime({ offset: true }).optional(),
});
export type SendMessageBody = z.infer<typeof sendMessageBody>;

/** A game master's message as players get it. `ts`: epoch ms when it was delivered. */
export interface PlayerMessage {
  t: 'message';
  id: string;
  text: string;
  ts: number;
  to?: MessageAudience;
}

/** One entry of `GET /api/hunts/:id/messages`. */
export type MessageLogEntry =
  | {
      id: string;
      kind: 'message';
      text: string;
      to?: MessageAudience;
      /** when it is (or was) delivered, ISO */
      at: string;
      /** when the game master sent it, ISO */
      createdAt: string;
      status: 'scheduled' | 'sent';
    }
  | { id: string; kind: 'help'; from: { player: string; name: string }; text: string; at: string };

/** One player's last known place, in `GET /api/hunts/:id/positions`. */
export interface PlayerPosition {
  player: string;
  name: string;
  team?: string;
  lat: number;
  lng: number;
  /** when that position was written, ISO */
  at: string;
  online: boolean;
}

/** A team member as others see them. */
export interface TeamMember {
  player: string;
  name: string;
}

/** The player's team in a `welcome`, with the code to share. */
export interface WelcomeTeam {
  id: string;
  name: string;
  code: string;
  members: TeamMember[];
}

/** One team of `GET /api/hunts/:id/teams` (no codes: anyone may read it). */
export interface TeamSummary {
  id: string;
  name: string;
  members: TeamMember[];
  score: number;
}

/** To a team's other members when one of them solves a puzzle. */
export interface SolvedMessage {
  t: 'solved';
  puzzle: string;
  /** the member who solved it */
  by: string;
  /** that member's name */
  name: string;
}

/** To a team's members when someone joins it: the team as it is now. */
export interface TeamMessage {
  t: 'team';
  team: WelcomeTeam;
}
