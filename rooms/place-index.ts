/**
 * Where a hunt's located puzzles and check-ins are, as a grid of cells of CELL_DEG degrees: each
 * place is filed under every cell its reach's bounding box touches, so a move looks at the places
 * of its own cell only, not at every place of the hunt. Built once per set of places (the shard
 * builds it again when the hunt's places change). A place whose box would cover more than
 * MAX_CELLS cells (a reach of kilometres), or that comes near a pole or the antimeridian, is
 * checked on every move instead, like before: few hunts have any.
 */

export interface Place {
  puzzle: string;
  lat: number;
  lng: number;
  /** metres */
  radius: number;
}

const EARTH_M = 6371000;
const RAD = Math.PI / 180;
/** Cell size in degrees: about 550 m of latitude, so a city's places of tens of metres each sit in one to four cells. */
export const CELL_DEG = 0.005;
/** Most cells one place is filed under; a place of a wider reach is checked on every move. */
export const MAX_CELLS = 256;
/** Widens every box a little, so that rounding in the distance never puts a point in reach outside it. */
const MARGIN = 1 + 1e-6;
/** and by about a centimetre: a reach of 0 m holds its own point, wherever the cell edges fall */
const MARGIN_DEG = 1e-7;

/** Great-circle distance in metres (haversine). */
export function distanceM(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const dlat = (lat2 - lat1) * RAD;
  const dlng = (lng2 - lng1) * RAD;
  const a = Math.sin(dlat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dlng / 2) ** 2;
  return 2 * EARTH_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

const cellKey = (i: number, j: number): number => (i + 20_000) * 100_000 + (j + 50_000);

export class PlaceIndex {
  private readonly cells = new Map<number, Place[]>();
  /** places checked on every move (too wide for the grid) */
  private readonly wide: Place[] = [];
  readonly size: number;

  constructor(places: readonly Place[]) {
    this.size = places.length;
    for (const place of places) this.file(place);
  }

  /** The places whose reach holds (lat, lng), by the same distance as the scripts use. */
  within(lat: number, lng: number): Place[] {
    const out: Place[] = [];
    const here = this.cells.get(cellKey(Math.floor(lat / CELL_DEG), Math.floor(lng / CELL_DEG)));
    if (here) for (const p of here) if (distanceM(lat, lng, p.lat, p.lng) <= p.radius) out.push(p);
    for (const p of this.wide) if (distanceM(lat, lng, p.lat, p.lng) <= p.radius) out.push(p);
    return out;
  }

  /** Places checked on every move (for the tests and the docs). */
  get wideCount(): number {
    return this.wide.length;
  }

  private file(place: Place): void {
    // the reach is a spherical cap of angular radius d: its latitudes span ±d, its longitudes
    // ±asin(sin d / cos lat) (when it holds no pole)
    const d = (Math.max(0, place.radius) / EARTH_M) * MARGIN;
    const dLat = d / RAD + MARGIN_DEG;
    const cosLat = Math.cos(place.lat * RAD);
    const sinD = Math.sin(d);
    if (!(d < Math.PI / 2) || Math.abs(place.lat) + dLat >= 89.9 || sinD >= cosLat) return void this.wide.push(place);
    const dLng = (Math.asin(sinD / cosLat) / RAD) * MARGIN + MARGIN_DEG;
    const [lat0, lat1, lng0, lng1] = [place.lat - dLat, place.lat + dLat, place.lng - dLng, place.lng + dLng];
    if (lng0 <= -180 || lng1 >= 180) return void this.wide.push(place);
    const [i0, i1] = [Math.floor(lat0 / CELL_DEG), Math.floor(lat1 / CELL_DEG)];
    const [j0, j1] = [Math.floor(lng0 / CELL_DEG), Math.floor(lng1 / CELL_DEG)];
    if ((i1 - i0 + 1) * (j1 - j0 + 1) > MAX_CELLS) return void this.wide.push(place);
    for (let i = i0; i <= i1; i++)
      for (let j = j0; j <= j1; j++) {
        const key = cellKey(i, j);
        const list = this.cells.get(key);
        if (list) list.push(place);
        else this.cells.set(key, [place]);
      }
  }
}
