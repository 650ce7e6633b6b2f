/**
 * The header: the hunt's name and one status indicator that says what matters most now — the
 * connection while it is down (and how many answers wait to be sent), else the hunt's state.
 * Under it, a banner for a paused hunt or a lost connection.
 */
import { clear, h } from '../dom.js';
import { pending } from './outbox.js';
import { phase, state, type Phase } from './state.js';

const PHASE_TEXT: Record<Phase, string> = {
  waiting: 'Waiting for the start',
  live: 'Live',
  paused: 'Paused',
  ended: 'Ended',
};
const PHASE_CLASS: Record<Phase, string> = { waiting: 'ready', live: 'live', paused: 'paused', ended: 'ended' };

function indicator(): { text: string; cls: string } {
  const waiting = pending().length;
  const queued = waiting ? ` · ${waiting} answer${waiting > 1 ? 's' : ''} waiting` : '';
  switch (state.connState) {
    case 'open':
      return state.huntStatus
        ? { text: PHASE_TEXT[phase()], cls: PHASE_CLASS[phase()] }
        : { text: 'Connecting…', cls: 'connecting' };
    case 'connecting':
      return { text: `Connecting…${queued}`, cls: 'connecting' };
    case 'reconnecting':
      return { text: `Reconnecting…${queued}`, cls: 'reconnecting' };
    default:
      return { text: `Offline${queued}`, cls: 'closed' };
  }
}

function bannerText(): string {
  const waiting = pending().length;
  if (state.connState !== 'open' && state.huntStatus) {
    return waiting
      ? `Connection lost. ${waiting} answer${waiting > 1 ? 's are' : ' is'} saved on this device and will be sent when it is back.`
      : 'Connection lost. Trying again… Answers you send meanwhile are kept on this device.';
  }
  if (phase() === 'paused')
    return 'The game master paused the hunt. You can look at the puzzles; answers and hints open again when it resumes.';
  return '';
}

export function renderHeader(): void {
  const bar = document.getElementById('bar');
  if (!bar) return;
  const { text, cls } = indicator();
  const banner = bannerText();
  clear(
    bar,
    h('h1', {}, state.huntName || 'Treasure hunt'),
    h(
      'span',
      {
        class: `pill ${cls}`,
        id: 'status',
        role: 'status',
        'data-conn': state.connState,
        'data-hunt': state.huntStatus,
      },
      text,
    ),
    banner ? h('p', { class: 'banner', id: 'banner' }, banner) : '',
  );
}
