/**
 * A `checkin` mission: a place to reach. Sharing the location sends `move`s; the server checks
 * in the player when one falls within the radius (`{"t":"checkin"}`), with no answer to type.
 */
import { h } from '../../dom.js';
import { shareLocation } from '../location.js';
import { state } from '../state.js';
import type { PuzzleView } from '../views/common.js';
import { promptBlock } from './prompt.js';

export const checkinView: PuzzleView = (p) => {
  if (p.solved)
    return h(
      'div',
      { class: 'stack' },
      ...promptBlock(p),
      h('p', { class: 'solved', id: 'checked-in' }, '📍 Checked in here.'),
    );
  const where = p.location
    ? `within ${p.location.radius} m of ${p.location.lat.toFixed(5)}, ${p.location.lng.toFixed(5)}`
    : '';
  return h(
    'div',
    { class: 'stack checkin' },
    ...promptBlock(p),
    h(
      'p',
      { class: 'go-there' },
      `📍 Go to the place${where ? ` (${where})` : ''}: you are checked in when you get there.`,
    ),
    h(
      'button',
      { class: 'primary', id: 'share-location', disabled: state.watchingLocation, onclick: () => shareLocation() },
      state.watchingLocation ? 'Sharing your location…' : 'Share my location',
    ),
  );
};
