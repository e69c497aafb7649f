import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';

/**
 * Reading a poster back with Tesseract (Debian `tesseract-ocr` + `tesseract-ocr-chi-sim`, which
 * .ci/run installs). Tesseract reads dark text on light paper best, so each poster is read twice:
 * once with its light text turned to black ink on white, once with its dark text.
 */

export function tesseractAvailable(): boolean {
  const run = spawnSync('tesseract', ['--list-langs'], { encoding: 'utf8' });
  return run.status === 0 && /chi_sim/.test(run.stdout) && /\beng\b/.test(run.stdout);
}

/**
 * The text Tesseract finds on a poster, read at half and at a third of its size (poster headlines
 * are set far larger than the text Tesseract is trained on), light and dark ink each, with its
 * automatic page layout (which joins a headline's lines) and as sparse text. The reads are joined,
 * so a glyph misread in one pass can still be read right in another.
 */
export async function readPosterText(
  png: Uint8Array,
  languages = 'chi_sim+eng',
  passes: ReadonlyArray<readonly [number, readonly string[]]> = [
    [0.5, ['3', '11']],
    [0.35, ['3']],
  ],
): Promise<string> {
  const reads: string[] = [];
  for (const [scale, layouts] of passes) {
    reads.push(await readAtScale(png, languages, scale, layouts));
  }
  return reads.join('\n');
}

async function readAtScale(
  png: Uint8Array,
  languages: string,
  scale: number,
  layouts: readonly string[],
): Promise<string> {
  const image = await loadImage(png);
  const [width, height] = [Math.round(image.width * scale), Math.round(image.height * scale)];
  const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-ocr-'));
  try {
    const texts: string[] = [];
    for (const ink of ['light', 'dark'] as const) {
      const canvas = createCanvas(width, height);
      const ctx = canvas.getContext('2d');
      ctx.drawImage(image, 0, 0, width, height);
      const pixels = ctx.getImageData(0, 0, width, height);
      const { data } = pixels;
      for (let at = 0; at < data.length; at += 4) {
        const luma = 0.2126 * data[at]! + 0.7152 * data[at + 1]! + 0.0722 * data[at + 2]!;
        const isInk = ink === 'light' ? luma > 200 : luma < 60;
        const value = isInk ? 0 : 255;
        data[at] = value;
        data[at + 1] = value;
        data[at + 2] = value;
      }
      ctx.putImageData(pixels, 0, 0);
      const file = path.join(dir, `${ink}.png`);
      writeFileSync(file, canvas.toBuffer('image/png'));
      for (const layout of layouts) {
        texts.push(
          execFileSync('tesseract', [file, 'stdout', '-l', languages, '--psm', layout], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'ignore'],
          }),
        );
      }
    }
    return texts.join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** OCR text without the spaces Tesseract puts between CJK characters, upper-cased. */
export function compact(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase();
}
