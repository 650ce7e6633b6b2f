/**
 * What each server message does to the app. To handle a new kind, add its handler to
 * `HANDLERS` (one function per `t`, typed by the message).
 */
import type { LbDelta, ServerMessage } from '../../../protocol/messages.js';
import { entryId } from '../../../protocol/board.js';
import { addMessages, fieldPanel } from './field-panel.js';
import { toast } from '../dom.js';
import { renderBoard } from './board.js';
import { renderAll } from './shell.js';
import { puzzleTitle, state } from './state.js';
import { afterWelcome, onCheckin, onClosed, onPuzzle, onReview } from './authored/index.js';

type MessageOf = { [K in ServerMessage['t']]: Extract<ServerMessage, { t: K }> };
type Handlers = { [K in keyof MessageOf]?: (msg: MessageOf[K]) => void };

export const HANDLERS: Handlers = {
  welcome(msg) {
    state.huntName = msg.hunt.name;
    state.huntStatus = msg.hunt.status;
    state.puzzles = msg.puzzles;
    state.board = new Map(msg.leaderboard.map((e) => [entryId(e), e]));
    state.team = msg.team ?? null;
    addMessages(msg.messages ?? [], false);
    state.you = msg.you;
    state.selected ||= msg.puzzles.find((p) => !p.locked && !p.solved)?.id ?? msg.puzzles[0]?.id ?? '';
    renderAll();
    afterWelcome();
  },
  lb(msg) {
    applyDelta(msg);
    renderBoard();
  },
  you(msg) {
    // a big hunt's deltas carry only the top: the player's own rank comes this way, once a second at most
    state.you = { rank: msg.rank, score: msg.score };
    renderBoard();
  },
  hunt(msg) {
    // the header, the waiting screen and the results say it: no toast on top
    state.huntStatus = msg.status;
    renderAll();
  },
  adjusted(msg) {
    state.you.score = msg.score;
    const points = msg.points > 0 ? `+${msg.points}` : String(msg.points);
    state.notices = [
      { text: `The game master gave you ${points} points: ${msg.reason}`, at: Date.now() },
      ...state.notices,
    ].slice(0, 20);
    renderBoard();
  },
  message(msg) {
    addMessages([msg], true);
    fieldPanel.render();
  },
  team(msg) {
    state.team = msg.team;
    fieldPanel.render();
  },
  solved(msg) {
    const i = state.puzzles.findIndex((p) => p.id === msg.puzzle);
    const was = state.puzzles[i];
    if (was) state.puzzles[i] = { ...was, solved: true };
    renderAll();
    toast(`${msg.name} solved ${state.puzzles[i] ? puzzleTitle(state.puzzles[i]) : msg.puzzle} for the team!`, 'good');
  },
  found(msg) {
    const i = state.puzzles.findIndex((p) => p.id === msg.puzzle.id);
    // keep what the welcome said (the hint cost) and take the unlocked prompt
    if (i >= 0) state.puzzles[i] = { ...state.puzzles[i], ...msg.puzzle };
    renderAll();
    toast(`You unlocked ${puzzleTitle(msg.puzzle)}!`, 'good');
  },
};

// v1.2: authored missions (player/authored/handlers.ts)
HANDLERS.puzzle = onPuzzle;
HANDLERS.closed = onClosed;
HANDLERS.checkin = onCheckin;
HANDLERS.review = onReview;

export function onMessage(msg: ServerMessage): void {
  dispatch(msg.t, msg);
}

/** The handler of kind `t` with its own message type (the map's key and value types correlate). */
function dispatch<K extends keyof MessageOf>(t: K, msg: MessageOf[K]): void {
  HANDLERS[t]?.(msg);
}

function applyDelta(delta: LbDelta): void {
  for (const ch of delta.changes) {
    const id = entryId(ch);
    if (ch.score === null || ch.rank === null) state.board.delete(id);
    else
      state.board.set(
        id,
        ch.team === undefined
          ? { player: ch.player, name: ch.name, score: ch.score, rank: ch.rank }
          : { team: ch.team, name: ch.name, score: ch.score, rank: ch.rank },
      );
    if (id === state.session?.player || id === state.team?.id) state.you = { rank: ch.rank, score: ch.score ?? 0 };
  }
}
