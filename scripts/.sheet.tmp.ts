import { createCanvas, loadImage } from '@napi-rs/canvas';
import { readdirSync, writeFileSync } from 'node:fs';
const [dir, filter, out] = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith('.png') && f.includes(filter)).sort();
const cell = 360, cols = 5, rows = Math.ceil(files.length / cols);
const c = createCanvas(cols * cell, rows * (cell + 20)); const ctx = c.getContext('2d');
ctx.fillStyle = '#888'; ctx.fillRect(0, 0, c.width, c.height);
for (const [i, f] of files.entries()) {
  const img = await loadImage(`${dir}/${f}`); const s = Math.min((cell - 8) / img.width, (cell - 8) / img.height);
  const x = (i % cols) * cell, y = Math.floor(i / cols) * (cell + 20);
  ctx.drawImage(img, x + 4, y + 4, img.width * s, img.height * s);
  ctx.fillStyle = '#000'; ctx.font = '14px sans-serif'; ctx.fillText(f, x + 4, y + cell + 14);
}
writeFileSync(out, c.toBuffer('image/png'));
