/**
 * Sending an answer and showing the result. Every answer goes through the outbox, so one typed
 * while the connection is down is kept (on this device) and sent once it is back; the wording
 * says which of the two happened.
 */
import type { PublicPuzzle, ServerMessage } from '../../../protocol/messages.js';
import { ERROR_TEXT } from '../dom.js';
import { feedback } from './feedback.js';
import { onOutboxReply, post, type PendingAnswer } from './outbox.js';
import { renderBoard } from './board.js';
import { renderHeader } from './header.js';
import { renderAll } from './shell.js';
import { phase, puzzleTitle, state } from './state.js';
import { setField } from './authored/index.js';

export function submit(puzzle: PublicPuzzle, answer: string): void {
  if (!post(puzzle.id, answer)) return;
  renderHeader();
  if (state.connState === 'open') feedback('Checking…', '');
  else feedback('Saved on this device: it will be sent when the connection is back.', '');
}

function replied(item: PendingAnswer, reply: ServerMessage): void {
  const puzzle = state.puzzles.find((p) => p.id === item.puzzle);
  if (!puzzle) return;
  const here = state.selected === puzzle.id;
  let text: string;
  let kind: 'good' | 'bad';
  if (reply.t === 'result' && 'pending' in reply) {
    // a judged answer waits for a game master (the outcome comes as {"t":"review"})
    setField(puzzle, 'pending', true);
    text = 'Sent. A game master will review it soon.';
    kind = 'good';
  } else if (reply.t === 'result' && 'correct' in reply) {
    state.you.score = reply.score;
    if (reply.correct) {
      puzzle.solved = true;
      puzzle.answer = item.answer;
      text = `Correct! +${reply.points} points.`;
      kind = 'good';
    } else {
      text = reply.points < 0 ? `Not quite (${reply.points} points). Try again.` : 'Not quite. Try again.';
      kind = 'bad';
    }
  } else if (reply.t === 'error') {
    text = reply.code === 'HUNT_NOT_LIVE' ? notLive() : (ERROR_TEXT[reply.code] ?? reply.message);
    kind = 'bad';
  } else return;
  // a wrong answer leaves the view as it is (the player's grid stays for another try)
  if (kind === 'good') renderAll();
  else {
    renderHeader();
    renderBoard();
  }
  // an answer sent from the outbox may come back while another puzzle is open: say which
  feedback(here ? text : `${puzzleTitle(puzzle)}: ${text}`, kind);
}

function notLive(): string {
  const now = phase();
  if (now === 'ended') return 'The hunt is over: this answer came too late and was not counted.';
  if (now === 'paused') return 'The hunt is paused: this answer was not counted. Send it again when it resumes.';
  return 'The hunt has not started yet: this answer was not counted.';
}

onOutboxReply(replied);
