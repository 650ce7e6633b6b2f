/** Playing: the connection (it reconnects by itself) feeding the message handlers. */
import { HuntConnection, type SocketLike } from '../../connection.js';
import { toast } from '../dom.js';
import { renderHeader } from './header.js';
import { joinView } from './join.js';
import { onMessage } from './messages.js';
import { flushOutbox } from './outbox.js';
import { renderDetail } from './puzzle-view.js';
import { renderShell } from './shell.js';
import './answers.js';
import { forgetSession, state, type Session } from './state.js';

export function play(session: Session): void {
  state.session = session;
  const conn = new HuntConnection({
    baseUrl: location.origin,
    token: session.token,
    socket: (url) => new WebSocket(url) as unknown as SocketLike,
    onMessage,
    onState: (s, detail) => {
      state.connState = s;
      if (s === 'closed' && detail?.code === 4008 && detail.reason !== 'PLAYER_REMOVED') {
        // the same player opened the hunt in more places than allowed: this page steps back, the session stays
        renderHeader();
        toast('This hunt is open in too many other tabs or devices; this page stopped. Reload it to play here.', 'bad');
        return;
      }
      if (s === 'closed' && (detail?.code === 4001 || detail?.code === 4008)) {
        forgetSession(session.hunt);
        joinView();
        toast(
          detail.code === 4008 ? 'The game master removed you from this hunt.' : 'Your session ended; join again.',
          'bad',
        );
        return;
      }
      renderHeader();
      if (s === 'open') flushOutbox();
      // the hint button depends on the connection
      if (s === 'open' || s === 'reconnecting') renderDetail();
    },
  });
  state.conn = conn;
  Object.assign(window, {
    huntDebug: {
      drop: (holdMs?: number) => conn.drop(holdMs),
      state: () => state.connState,
      you: () => state.you,
    },
  });
  renderShell();
  conn.start();
}
