/** Sharing the device's location, which unlocks located puzzles nearby. */
import { toast } from '../dom.js';
import { renderDetail } from './puzzle-view.js';
import { state } from './state.js';

export function shareLocation(): void {
  if (!('geolocation' in navigator)) return toast('This browser cannot share a location.', 'bad');
  state.watchingLocation = true;
  renderDetail();
  navigator.geolocation.watchPosition(
    (pos) => state.conn?.send({ t: 'move', lat: pos.coords.latitude, lng: pos.coords.longitude }),
    (err) => {
      state.watchingLocation = false;
      toast(`Location unavailable: ${err.message}`, 'bad');
      renderDetail();
    },
    { enableHighAccuracy: true, maximumAge: 5000 },
  );
}
