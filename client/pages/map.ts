/**
 * The console's maps (the mission editor's location picker, the live field): Leaflet on the tile
 * server the operator set (`HUNT_MAP_TILES`, written into the page as `<meta name="map-tiles">`;
 * default OpenStreetMap's, `none` for no tiles). When tiles cannot load (offline, blocked by a
 * proxy) the map stays usable on a plain background: markers, circles and clicks work the same,
 * and a line under the map says the tiles are missing. Leaflet's CSS is served as
 * `/assets/leaflet.css` by the pages bundler; markers here are vector shapes, so no marker images.
 */
import * as L from 'leaflet';

export type LatLng = { lat: number; lng: number };

/** The tile URL template from the page, or null for none. */
export function tileTemplate(): string | null {
  const meta = document.querySelector('meta[name="map-tiles"]')?.getAttribute('content')?.trim() ?? '';
  return meta && meta !== 'none' ? meta : null;
}

export interface HuntMap {
  map: L.Map;
  /** the element holding the map and its tile note */
  el: HTMLElement;
  /** draws or moves a point with its radius (metres) under `key` */
  mark(key: string, at: LatLng, opts?: { radius?: number; label?: string; color?: string }): void;
  unmark(key: string): void;
  /** fits the view to every point drawn */
  fit(): void;
  /** frees Leaflet's listeners; call when the view is replaced */
  remove(): void;
}

/**
 * Builds a map in a new element (append it, then call `map.invalidateSize()` if it was hidden).
 * `center` defaults to a neutral view of Europe.
 */
export function createHuntMap(opts: { id?: string; center?: LatLng; zoom?: number; className?: string } = {}): HuntMap {
  const el = document.createElement('div');
  el.className = `hunt-map ${opts.className ?? ''}`.trim();
  if (opts.id) el.id = opts.id;
  const canvas = document.createElement('div');
  canvas.className = 'hunt-map-canvas';
  const note = document.createElement('p');
  note.className = 'muted hunt-map-note';
  el.append(canvas, note);
  const center = opts.center ?? { lat: 48.8566, lng: 2.3522 };
  const map = L.map(canvas, { attributionControl: true, zoomControl: true }).setView(
    [center.lat, center.lng],
    opts.zoom ?? 13,
  );
  const template = tileTemplate();
  if (template) {
    let failed = 0;
    const layer = L.tileLayer(template, {
      maxZoom: 19,
      attribution: template.includes('openstreetmap.org') ? '© OpenStreetMap contributors' : '',
    });
    layer.on('tileerror', () => {
      if (++failed === 1) note.textContent = 'Map tiles could not load: the map works on a plain background.';
    });
    layer.on('tileload', () => {
      if (failed === 0) note.textContent = '';
    });
    layer.addTo(map);
  } else note.textContent = 'No map tiles configured: the map works on a plain background.';
  const shapes = new Map<string, { marker: L.CircleMarker; layers: L.Layer[] }>();
  const handle: HuntMap = {
    map,
    el,
    mark(key, at, o = {}) {
      handle.unmark(key);
      const color = o.color ?? '#f2b134';
      const marker = L.circleMarker([at.lat, at.lng], { radius: 7, color, weight: 2, fillOpacity: 0.8 });
      const layers: L.Layer[] = [marker];
      if (o.radius) layers.push(L.circle([at.lat, at.lng], { radius: o.radius, color, weight: 1, fillOpacity: 0.1 }));
      if (o.label) marker.bindTooltip(o.label);
      for (const l of layers) l.addTo(map);
      shapes.set(key, { marker, layers });
    },
    unmark(key) {
      for (const l of shapes.get(key)?.layers ?? []) l.remove();
      shapes.delete(key);
    },
    fit() {
      const points = [...shapes.values()].map((s) => s.marker.getLatLng());
      if (points.length === 1) map.setView(points[0]!, Math.max(map.getZoom(), 15));
      else if (points.length > 1) map.fitBounds(L.latLngBounds(points), { padding: [24, 24], maxZoom: 17 });
    },
    remove() {
      map.remove();
    },
  };
  // Leaflet measures its box once; a map appended after creation measures again when it is shown
  requestAnimationFrame(() => map.invalidateSize());
  return handle;
}
