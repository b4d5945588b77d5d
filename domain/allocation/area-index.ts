import type { ZipRange } from '../../schema/territory.ts';
import type { AreaIndex, RadiusEntry } from './snapshot-types.ts';

export const cellOf = (lat: number, lon: number) => (Math.floor(lat) + 90) * 360 + (Math.floor(lon) + 180);

export interface AreaSpec {
  zips: readonly string[];
  zipRanges: readonly ZipRange[];
  counties: readonly string[];
  states: readonly string[];
  radius?: { lat: number; lon: number; miles: number } | undefined;
}

/** Builds ZIP, county, state and radius-cell indexes so a lead's area is a few map lookups. */
export class AreaIndexBuilder<T> {
  private zip = new Map<string, T[]>();
  private county = new Map<string, T[]>();
  private state = new Map<string, T[]>();
  private cells = new Map<number, Array<RadiusEntry<T>>>();
  private radiusCount = 0;
  zipEntries = 0;

  private static push<K, V>(m: Map<K, V[]>, k: K, v: V) {
    const l = m.get(k);
    if (l) {
      if (l[l.length - 1] !== v) l.push(v);
    } else m.set(k, [v]);
  }

  add(item: T, area: AreaSpec): void {
    for (const z of area.zips) this.addZip(z, item);
    for (const r of area.zipRanges) {
      for (let n = Number(r.from); n <= Number(r.to); n++) this.addZip(String(n).padStart(5, '0'), item);
    }
    for (const c of area.counties) AreaIndexBuilder.push(this.county, c, item);
    for (const s of area.states) AreaIndexBuilder.push(this.state, s, item);
    if (area.radius) this.addRadius(item, area.radius);
  }

  private addZip(zip: string, item: T) {
    this.zipEntries++;
    AreaIndexBuilder.push(this.zip, zip, item);
  }

  private addRadius(item: T, r: { lat: number; lon: number; miles: number }) {
    this.radiusCount++;
    const entry: RadiusEntry<T> = { item, lat: r.lat, lon: r.lon, miles: r.miles };
    const dLat = r.miles / 69 + 0.01;
    const dLon = r.miles / (69 * Math.max(0.05, Math.cos((Math.min(89, Math.abs(r.lat) + dLat) * Math.PI) / 180))) + 0.01;
    for (let la = Math.floor(r.lat - dLat); la <= Math.floor(r.lat + dLat); la++) {
      for (let lo = Math.floor(r.lon - dLon); lo <= Math.floor(r.lon + dLon); lo++) {
        const wrapped = ((((lo + 180) % 360) + 360) % 360) - 180;
        AreaIndexBuilder.push(this.cells, cellOf(la, wrapped), entry);
      }
    }
  }

  build(): AreaIndex<T> {
    return { zip: this.zip, county: this.county, state: this.state, radiusCells: this.cells, radiusCount: this.radiusCount };
  }
}
