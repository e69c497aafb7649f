import { createCanvas } from '@napi-rs/canvas';

/**
 * A product photo made on the spot, so tests and docs need no binary fixture: a perfume-style
 * bottle with a cap and a label, shot on a plain light-gray backdrop (opaque, as a phone photo
 * is), which the studio's cut-out must remove.
 */
export function sampleProductPhoto(width = 600, height = 800, backdrop = '#ececec'): Uint8Array {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = backdrop;
  ctx.fillRect(0, 0, width, height);
  const cx = width / 2;
  const body = { w: width * 0.52, h: height * 0.56, top: height * 0.34 };
  const glass = ctx.createLinearGradient(cx - body.w / 2, 0, cx + body.w / 2, 0);
  glass.addColorStop(0, '#b5532f');
  glass.addColorStop(0.45, '#e9895c');
  glass.addColorStop(1, '#8c3a1e');
  ctx.fillStyle = glass;
  ctx.beginPath();
  ctx.roundRect(cx - body.w / 2, body.top, body.w, body.h, width * 0.08);
  ctx.fill();
  ctx.fillStyle = '#2b2b2b';
  ctx.beginPath();
  ctx.roundRect(cx - width * 0.11, height * 0.2, width * 0.22, height * 0.15, width * 0.03);
  ctx.fill();
  ctx.fillStyle = '#f7efe3';
  ctx.fillRect(cx - body.w * 0.36, body.top + body.h * 0.36, body.w * 0.72, body.h * 0.3);
  ctx.fillStyle = '#5a2a16';
  ctx.fillRect(cx - body.w * 0.26, body.top + body.h * 0.45, body.w * 0.52, body.h * 0.04);
  ctx.fillRect(cx - body.w * 0.18, body.top + body.h * 0.53, body.w * 0.36, body.h * 0.025);
  return new Uint8Array(canvas.toBuffer('image/png'));
}
