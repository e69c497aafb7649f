import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppError } from '../domain/errors.ts';

/**
 * Slideshows through ffmpeg (Debian's package: H.264 and the `xfade` filter since 4.3): the only
 * module that starts ffmpeg. Vitrine ships no ffmpeg binary; a missing one is said plainly, with
 * how to install it.
 */

export interface Slide {
  /** The image bytes (PNG, JPEG or WebP). */
  bytes: Uint8Array;
  /** A chapter title for the slide ("20:05 亚麻衬衫"). */
  chapter: string;
}

export interface SlideshowOptions {
  ffmpeg: string;
  width: number;
  height: number;
  /** How long each slide is on screen, crossfades included. */
  slideSeconds: number;
  fadeSeconds: number;
  fps?: number;
  title?: string;
  signal?: AbortSignal;
}

export const FFMPEG_INSTALL_HINT =
  "install Debian's ffmpeg (apt-get install -y --no-install-recommends ffmpeg) or set VITRINE_FFMPEG to the path of an ffmpeg with libx264 and the xfade filter";

/** Checks that ffmpeg runs and has what a slideshow needs; its version line. */
export async function checkFfmpeg(ffmpeg: string, signal?: AbortSignal): Promise<string> {
  const { stdout } = await run(ffmpeg, ['-hide_banner', '-filters'], signal);
  if (!/\bxfade\b/.test(stdout)) {
    throw new AppError(
      'unavailable',
      `The ffmpeg at '${ffmpeg}' has no xfade filter (it needs 4.3 or later): ${FFMPEG_INSTALL_HINT}`,
    );
  }
  const version = await run(ffmpeg, ['-version'], signal);
  return version.stdout.split('\n')[0] ?? 'ffmpeg';
}

/**
 * An MP4 (H.264, yuv420p, fast start) of the slides in order, each `slideSeconds` long, joined by
 * crossfades, with one chapter per slide. Returns the bytes and the length in seconds.
 */
export async function makeSlideshow(
  slides: readonly Slide[],
  options: SlideshowOptions,
): Promise<{ bytes: Uint8Array; seconds: number }> {
  if (slides.length === 0) throw new AppError('unprocessable', 'A slideshow needs at least one image');
  const { width, height, slideSeconds, signal } = options;
  const fade = slides.length > 1 ? Math.min(options.fadeSeconds, slideSeconds / 2) : 0;
  const fps = options.fps ?? 25;
  const step = slideSeconds - fade;
  const seconds = Math.round((slides.length * slideSeconds - (slides.length - 1) * fade) * 1000) / 1000;
  const dir = await mkdtemp(path.join(tmpdir(), 'vitrine-slideshow-'));
  try {
    const inputs: string[] = [];
    for (const [index, slide] of slides.entries()) {
      const file = path.join(dir, `slide-${index}`);
      await writeFile(file, slide.bytes);
      inputs.push('-i', file);
    }
    const chapters = path.join(dir, 'chapters.txt');
    await writeFile(chapters, chapterMetadata(slides, step, seconds, options.title));
    // Each image is decoded and scaled once, then its one frame repeated by the loop filter (an
    // image input looped with -loop 1 is decoded again for every frame: half again the CPU).
    const scale = slides.map(
      (_, index) =>
        `[${index}:v]scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p,loop=loop=-1:size=1:start=0,fps=${fps},trim=duration=${slideSeconds},setpts=PTS-STARTPTS[v${index}]`,
    );
    const fades: string[] = [];
    let last = 'v0';
    for (let index = 1; index < slides.length; index++) {
      const out = `x${index}`;
      fades.push(
        `[${last}][v${index}]xfade=transition=fade:duration=${fade}:offset=${(step * index).toFixed(3)}[${out}]`,
      );
      last = out;
    }
    const output = path.join(dir, 'slideshow.mp4');
    await run(
      options.ffmpeg,
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-y',
        ...inputs,
        '-f',
        'ffmetadata',
        '-i',
        chapters,
        '-filter_complex',
        [...scale, ...fades].join(';'),
        '-map',
        `[${last}]`,
        '-map_metadata',
        String(slides.length),
        '-map_chapters',
        String(slides.length),
        '-c:v',
        'libx264',
        '-preset',
        'superfast',
        '-tune',
        'stillimage',
        '-crf',
        '22',
        '-pix_fmt',
        'yuv420p',
        '-movflags',
        '+faststart',
        output,
      ],
      signal,
    );
    return { bytes: new Uint8Array(await readFile(output)), seconds };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function chapterMetadata(slides: readonly Slide[], step: number, total: number, title?: string): string {
  const escapeMeta = (text: string) =>
    text.replace(/[=;#\\\n]/g, (char) => (char === '\n' ? ' ' : `\\${char}`));
  const lines = [';FFMETADATA1'];
  if (title) lines.push(`title=${escapeMeta(title)}`);
  for (const [index, slide] of slides.entries()) {
    const start = Math.round(index * step * 1000);
    const end =
      index === slides.length - 1 ? Math.round(total * 1000) : Math.round((index + 1) * step * 1000);
    lines.push(
      '[CHAPTER]',
      'TIMEBASE=1/1000',
      `START=${start}`,
      `END=${end}`,
      `title=${escapeMeta(slide.chapter)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function run(command: string, args: readonly string[], signal?: AbortSignal): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = `${stderr}${chunk.toString()}`.slice(-4000);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'EACCES') {
        reject(
          new AppError('unavailable', `ffmpeg is not available at '${command}': ${FFMPEG_INSTALL_HINT}`),
        );
      } else if (error.name === 'AbortError') {
        reject(new AppError('canceled', 'The video was canceled'));
      } else reject(error);
    });
    child.on('close', (code) => {
      if (code === 0) resolve({ stdout });
      else if (code !== null)
        reject(
          new AppError(
            'internal',
            `ffmpeg failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}`,
          ),
        );
    });
  });
}
