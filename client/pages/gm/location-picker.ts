/**
 * A mission's location: typed as coordinates, or picked by clicking the map (the map moves the
 * typed fields and the fields move the map). The radius is drawn around the point. The map is
 * only built when the game master opens it, so a long mission list stays light.
 */
import type { MissionLocation } from '../../authored-client.js';
import { h } from '../dom.js';
import { createHuntMap, type HuntMap } from '../map.js';

export function locationPicker(
  initial: MissionLocation | null,
  required: boolean,
  onChange: (loc: MissionLocation | null) => void,
  idPrefix: string,
): HTMLElement {
  let loc = initial ? { ...initial } : null;
  let map: HuntMap | undefined;
  const lat = h('input', {
    type: 'number',
    step: 'any',
    min: -90,
    max: 90,
    placeholder: 'latitude',
    'aria-label': 'Latitude',
    class: 'loc-lat',
    value: loc ? String(loc.lat) : '',
  });
  const lng = h('input', {
    type: 'number',
    step: 'any',
    min: -180,
    max: 180,
    placeholder: 'longitude',
    'aria-label': 'Longitude',
    class: 'loc-lng',
    value: loc ? String(loc.lng) : '',
  });
  const radius = h('input', {
    type: 'number',
    min: 5,
    max: 5000,
    step: 1,
    'aria-label': 'Radius in metres',
    class: 'loc-radius narrow',
    value: String(loc?.radius ?? 30),
  });
  const draw = (): void => {
    if (!map) return;
    if (loc) {
      map.mark('here', loc, { radius: loc.radius });
      map.fit();
    } else map.unmark('here');
  };
  const fromFields = (): void => {
    const a = Number(lat.value);
    const b = Number(lng.value);
    const r = Math.max(5, Number(radius.value) || 30);
    loc =
      lat.value !== '' && lng.value !== '' && Math.abs(a) <= 90 && Math.abs(b) <= 180
        ? { lat: a, lng: b, radius: r }
        : null;
    onChange(loc);
    draw();
  };
  for (const el of [lat, lng, radius]) el.addEventListener('change', fromFields);
  const mapBox = h('div', { class: 'loc-map', hidden: true });
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'loc-toggle',
      onclick: () => {
        if (!map) {
          map = createHuntMap({ id: `${idPrefix}-map`, ...(loc ? { center: loc, zoom: 16 } : {}) });
          map.map.on('click', (ev) => {
            lat.value = ev.latlng.lat.toFixed(6);
            lng.value = ev.latlng.lng.toFixed(6);
            fromFields();
          });
          mapBox.append(map.el, h('p', { class: 'muted' }, 'Click the map to place the mission.'));
        }
        mapBox.hidden = !mapBox.hidden;
        toggle.textContent = mapBox.hidden ? 'Pick on a map' : 'Hide the map';
        if (!mapBox.hidden) {
          map.map.invalidateSize();
          draw();
        }
      },
    },
    'Pick on a map',
  );
  const clearBtn = h(
    'button',
    {
      type: 'button',
      hidden: required,
      onclick: () => {
        lat.value = '';
        lng.value = '';
        fromFields();
      },
    },
    'No location',
  );
  return h(
    'fieldset',
    { class: 'stack location' },
    h('legend', {}, required ? 'Location (where players check in)' : 'Location (optional: locked until reached)'),
    h('div', { class: 'row' }, lat, lng, h('label', { class: 'row' }, 'radius m', radius), toggle, clearBtn),
    mapBox,
  );
}
