/** Taking a hint: the server charges it and sends its text. */
import type { PublicPuzzle } from '../../../protocol/messages.js';
import { ERROR_TEXT } from '../dom.js';
import { feedback } from './feedback.js';
import { renderDetail } from './puzzle-view.js';
import { state } from './state.js';

export async function takeHint(puzzle: PublicPuzzle): Promise<void> {
  const conn = state.conn;
  if (!conn) return;
  const reply = await conn.request({ t: 'hint', id: conn.nextId('h'), puzzle: puzzle.id }).catch(() => null);
  if (reply?.t === 'hint') {
    state.hints.set(puzzle.id, [...(state.hints.get(puzzle.id) ?? []), reply.text]);
    renderDetail();
  } else if (reply?.t === 'error') feedback(ERROR_TEXT[reply.code] ?? reply.message, 'bad');
}
