import type { OrbFeatures } from './orb-matcher.ts';

/**
 * Which catalog images could a photo show? Locality-sensitive hashing of ORB descriptors: each
 * table keys a descriptor by 16 of its 256 bits, so a descriptor of the same spot in another
 * photo (a few bits apart) often lands in the same bucket. A photo's descriptors vote for the
 * images in their buckets (a vote shared among the images of a bucket, so corners every picture
 * has count for little); the images with the most votes are the ones worth a full ORB match.
 * A query over 1,000 images is a few milliseconds, where matching them all would take a minute.
 */

const TABLES = 6;
const BITS_PER_KEY = 20;

/** Fixed bit positions per table (the same in every process, so nothing needs persisting). */
const POSITIONS: number[][] = (() => {
  let state = 0x5eed1234;
  const next = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state;
  };
  return Array.from({ length: TABLES }, () => {
    const chosen = new Set<number>();
    while (chosen.size < BITS_PER_KEY) chosen.add(next() % 256);
    return [...chosen];
  });
})();

function keyOf(descriptors: Uint8Array, index: number, positions: readonly number[]): number {
  let key = 0;
  for (const bit of positions) {
    const byte = descriptors[index * 32 + (bit >> 3)]!;
    key = (key << 1) | ((byte >> (bit & 7)) & 1);
  }
  return key >>> 0;
}

export class OrbIndex {
  /** Per table: bucket key → image slots (repeated once per descriptor that landed there). */
  readonly #tables: Array<Map<number, number[]>> = Array.from({ length: TABLES }, () => new Map());
  readonly #ids: Array<string | null> = [];
  readonly #slots = new Map<string, number>();

  get size(): number {
    return this.#slots.size;
  }

  has(id: string): boolean {
    return this.#slots.has(id);
  }

  /** Adds (or replaces) an image's descriptors under `id`. */
  add(id: string, features: OrbFeatures): void {
    this.remove(id);
    const slot = this.#ids.length;
    this.#ids.push(id);
    this.#slots.set(id, slot);
    for (const [table, positions] of POSITIONS.entries()) {
      const buckets = this.#tables[table]!;
      for (let index = 0; index < features.count; index += 1) {
        const key = keyOf(features.descriptors, index, positions);
        const bucket = buckets.get(key);
        if (bucket) bucket.push(slot);
        else buckets.set(key, [slot]);
      }
    }
  }

  /** Removed images stop receiving votes at once; their bucket entries are skipped. */
  remove(id: string): void {
    const slot = this.#slots.get(id);
    if (slot === undefined) return;
    this.#slots.delete(id);
    this.#ids[slot] = null;
  }

  /** The `limit` images with the most votes from the photo's descriptors, optionally among `only`. */
  query(
    features: OrbFeatures,
    options: { limit: number; only?: (id: string) => boolean },
  ): Array<{ id: string; votes: number }> {
    const votes = new Map<number, number>();
    for (const [table, positions] of POSITIONS.entries()) {
      const buckets = this.#tables[table]!;
      for (let index = 0; index < features.count; index += 1) {
        const bucket = buckets.get(keyOf(features.descriptors, index, positions));
        if (!bucket) continue;
        // One vote per image per descriptor and table, however often it sits in the bucket, and
        // worth less the more images share the bucket (generic corners say little about which).
        const distinct: number[] = [];
        let previous = -1;
        for (const slot of bucket) {
          if (slot === previous) continue;
          previous = slot;
          distinct.push(slot);
        }
        const weight = 1 / distinct.length;
        for (const slot of distinct) votes.set(slot, (votes.get(slot) ?? 0) + weight);
      }
    }
    const ranked: Array<{ id: string; votes: number }> = [];
    for (const [slot, count] of votes) {
      const id = this.#ids[slot];
      if (id && (!options.only || options.only(id))) ranked.push({ id, votes: count });
    }
    return ranked
      .sort((a, b) => b.votes - a.votes)
      .slice(0, options.limit)
      .map((entry) => ({ id: entry.id, votes: Math.round(entry.votes * 10) / 10 }));
  }
}
