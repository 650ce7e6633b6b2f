/**
 * A mission the player cannot open yet, and why: a place to reach (share the location), other
 * missions to solve first (named, ticked off as they are solved), or a time (a countdown); or a
 * mission that has closed.
 */
import type { PublicPuzzle } from '../../../../protocol/messages.js';
import { h } from '../../dom.js';
import { shareLocation } from '../location.js';
import { state } from '../state.js';
import { clock, countdown } from './countdown.js';
import { mission, puzzleName } from './mission.js';

export function closedView(p: PublicPuzzle): HTMLElement {
  const m = mission(p);
  return h(
    'div',
    { class: 'stack closed-mission' },
    h(
      'p',
      { class: 'locked', id: 'closed' },
      `⌛ Closed${m.closesAt ? ` at ${clock(m.closesAt)}` : ''}: answers are no longer accepted.`,
    ),
  );
}

export function lockedView(p: PublicPuzzle): HTMLElement {
  const m = mission(p);
  if (m.lockedBy === 'after') {
    const before = m.after
      .map((id) => state.puzzles.find((x) => x.id === id))
      .filter((x): x is PublicPuzzle => x !== undefined);
    return h(
      'div',
      { class: 'stack', id: 'locked' },
      h('p', { class: 'locked' }, '🔒 Opens once you have solved:'),
      h(
        'ul',
        { class: 'after-list' },
        ...(before.length
          ? before.map((x) => h('li', { class: x.solved ? 'solved' : '' }, `${x.solved ? '✓' : '○'} ${puzzleName(x)}`))
          : [h('li', {}, 'the missions before it')]),
      ),
    );
  }
  if (m.lockedBy === 'time') {
    return h(
      'div',
      { class: 'stack', id: 'locked' },
      m.opensAt
        ? h('p', { class: 'locked' }, `🔒 Opens at ${clock(m.opensAt)} (in `, countdown(m.opensAt, 'opens-in'), ')')
        : h('p', { class: 'locked' }, '🔒 Opens later, once the hunt has been running a while.'),
    );
  }
  const where = p.location
    ? `within ${p.location.radius} m of ${p.location.lat.toFixed(5)}, ${p.location.lng.toFixed(5)}`
    : 'to its location';
  return h(
    'div',
    { class: 'stack', id: 'locked' },
    h('p', { class: 'locked' }, `🔒 Locked: get ${where} to unlock it.`),
    h(
      'button',
      { disabled: state.watchingLocation, onclick: () => shareLocation() },
      state.watchingLocation ? 'Sharing your location…' : 'Share my location',
    ),
  );
}
