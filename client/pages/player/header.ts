/** The header: the hunt's name, its status, and the connection's state. */
import type { ConnectionState } from '../../connection.js';
import { clear, h } from '../dom.js';
import { state } from './state.js';

const CONN_TEXT: Record<ConnectionState, string> = { connecting: 'Connecting…', open: 'Live', reconnecting: 'Reconnecting…', closed: 'Offline' };

export function renderHeader(): void {
  const bar = document.getElementById('bar');
  if (!bar) return;
  clear(
    bar,
    h('h1', {}, state.huntName || 'Treasure hunt'),
    h('div', { class: 'row' }, h('span', { class: `pill ${state.huntStatus}`, id: 'hunt-status' }, state.huntStatus || '…'), h('span', { class: `pill ${state.connState}`, id: 'conn-state', role: 'status' }, CONN_TEXT[state.connState])),
  );
}
