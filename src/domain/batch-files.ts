import { fileStemForKey } from './batch.ts';

/**
 * File names for a batch's images, unique across the batch. A row's name is its key cleaned for file
 * systems (letters, digits, `.`, `_`, `-` kept; anything else becomes `_`), or `row-LINE` without a
 * key; a row with several images adds `-1`, `-2`…. When a name is taken — two keys that clean up
 * alike (`A/1`, `A 1`, `A_1`), that differ only in case (`a_1`), or a key like `B-2` beside row `B`'s
 * second image — the later row (in file order) adds `_rowLINE`. Names are given once, at import, so
 * the zip, the manifest's `files` column and `vitrine batch --out` always agree.
 */
export class BatchFileNamer {
  /** Names given so far, lower-cased: some file systems (macOS, Windows) ignore case. */
  readonly #taken = new Set<string>();

  /** The stem of the row's files (without `-index` or extension), reserved for it. */
  assign(key: string | null, line: number, images: number): string {
    const base = fileStemForKey(key, line);
    for (let attempt = 0; ; attempt++) {
      const stem = attempt === 0 ? base : `${base}_row${line}${attempt > 1 ? `_${attempt}` : ''}`;
      const names = fileStems(stem, images).map((name) => name.toLowerCase());
      if (names.some((name) => this.#taken.has(name))) continue;
      for (const name of names) this.#taken.add(name);
      return stem;
    }
  }
}

/** The stems of a row's files: `stem` for one image, `stem-1`, `stem-2`… for several. */
export function fileStems(stem: string, images: number): string[] {
  return images > 1 ? Array.from({ length: images }, (_, index) => `${stem}-${index + 1}`) : [stem];
}

/** The file name of image `index` of `count` of a row whose stem is `stem`. */
export function batchFileName(stem: string, index: number, count: number, format: string): string {
  return `${fileStems(stem, count)[index] ?? `${stem}-${index + 1}`}.${format === 'jpeg' ? 'jpg' : format}`;
}
