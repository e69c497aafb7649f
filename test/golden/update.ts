import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GOLDEN_CASES, goldenFile, renderGolden } from '../support/golden-cases.ts';

// `npm run golden:update`: rewrites the golden images the studio golden test compares against.
const folder = path.dirname(fileURLToPath(import.meta.url));
for (const [name, brand] of GOLDEN_CASES) {
  const canvas = await renderGolden(name, brand);
  const file = path.join(folder, goldenFile(name, brand));
  writeFileSync(file, canvas.toBuffer('image/png'));
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
