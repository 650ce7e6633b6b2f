/**
 * The player app: join a hunt from a link or code, solve puzzles in views made for each type
 * (views/), take hints, and watch the live leaderboard. The connection recovers by itself.
 * Panels are listed in shell.ts, message handlers in messages.ts, puzzle views in views/index.ts.
 */
import { joinView } from './join.js';
import { play } from './play.js';
import { loadSession, params } from './state.js';
import { captureDeepLink, installAuthored } from './authored/index.js';
import { renderBoard } from './board.js';
import { renderList } from './puzzle-list.js';
import { renderDetail } from './puzzle-view.js';
import { renderAll } from './shell.js';

export function startPlayer(): void {
  installAuthored({ all: renderAll, detail: renderDetail, list: renderList, board: renderBoard });
  captureDeepLink(params);
  const hunt = params.get('hunt');
  const saved = hunt ? loadSession(hunt) : null;
  if (saved) play(saved);
  else joinView();
}
