/**
 * Writing a `welcome`. The welcomes of one read share their hunt, puzzle lists and leaderboard
 * objects (see `HuntBoard.welcome`), so each of those is serialized once, however many sockets
 * a burst of joins brings; a welcome is then a few joins of ready-made text. The output is
 * exactly `JSON.stringify` of the message object.
 */
import type { WelcomeState } from '../rooms/index.js';

/** Text of the shared parts, by object: gone with the objects once their read's welcomes are sent. */
const texts = new WeakMap<object, string>();

function textOf(part: object): string {
  let text = texts.get(part);
  if (text === undefined) texts.set(part, (text = JSON.stringify(part)));
  return text;
}

/** `JSON.stringify` of `{ t: 'welcome', player, ...state }`, with the shared parts written once. */
export function welcomeText(player: { id: string; name: string }, state: WelcomeState): string {
  return `{"t":"welcome","player":${JSON.stringify(player)},"hunt":${textOf(state.hunt)},"seq":${JSON.stringify(state.seq)},"puzzles":${textOf(state.puzzles)},"leaderboard":${textOf(state.leaderboard)},"you":${JSON.stringify(state.you)},"messages":${JSON.stringify(state.messages)}${state.team === undefined ? '' : `,"team":${JSON.stringify(state.team)}`}}`;
}
