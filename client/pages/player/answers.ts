/** Sending an answer and showing the result. */
import type { PublicPuzzle } from '../../../protocol/messages.js';
import { ERROR_TEXT } from '../dom.js';
import { renderBoard } from './board.js';
import { feedback } from './feedback.js';
import { renderList } from './puzzle-list.js';
import { renderDetail } from './puzzle-view.js';
import { state } from './state.js';

export async function submit(puzzle: PublicPuzzle, answer: string): Promise<void> {
  const conn = state.conn;
  if (!conn) return;
  try {
    const reply = await conn.request({ t: 'answer', id: conn.nextId('a'), puzzle: puzzle.id, answer });
    if (reply.t === 'result' && 'pending' in reply && reply.pending === true) {
      // a judged answer: it waits for a game master (the outcome comes as {"t":"review"})
      (puzzle as { pending?: boolean }).pending = true;
      renderList();
      renderDetail();
      feedback('Sent. A game master will review it soon.', 'good');
    } else if (reply.t === 'result') {
      state.you.score = reply.score;
      if (reply.correct) {
        puzzle.solved = true;
        renderList();
        renderDetail();
        renderBoard();
        feedback(`Correct! +${reply.points} points.`, 'good');
      } else feedback(reply.points < 0 ? `Not quite (${reply.points} points). Try again.` : 'Not quite. Try again.', 'bad');
    } else if (reply.t === 'error') feedback(ERROR_TEXT[reply.code] ?? reply.message, 'bad');
  } catch {
    feedback('No answer from the server yet; it will be sent again when the connection is back.', 'bad');
  }
}
