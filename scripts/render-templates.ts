import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_BRAND_KIT } from '../src/domain/brand.ts';
import { BUILTIN_TEMPLATES } from '../src/domain/builtin-templates.ts';
import { layoutSchema } from '../src/domain/layout.ts';
import { encodeCanvas, renderLayoutWithReport } from '../src/render/layout-renderer.ts';
import { SAMPLE_PARAMS, SECOND_BRAND } from '../test/support/sample-brands.ts';
import { sampleProductPhoto } from '../test/support/sample-product.ts';

// `npm run docs:templates`: renders every built-in template in the default brand and a second
// one into docs/templates/, the images docs/templates.md shows, at half size to keep the repository
// small. Pass a folder (and a scale) to write elsewhere: node scripts/render-templates.ts /tmp/t 1

const outDir = process.argv[2] ?? 'docs/templates';
const scale = Number(process.argv[3] ?? 0.5);
await mkdir(outDir, { recursive: true });
const photo = sampleProductPhoto();
for (const template of BUILTIN_TEMPLATES) {
  for (const [brandName, brand] of [
    ['default', DEFAULT_BRAND_KIT],
    ['second', SECOND_BRAND],
  ] as const) {
    const { canvas, report } = await renderLayoutWithReport({
      layout: layoutSchema.parse(template.layout),
      brand,
      params: SAMPLE_PARAMS[template.name] ?? SAMPLE_PARAMS.default!,
      images: { product_image: photo },
      width: Math.round(template.width * scale),
      height: Math.round(template.height * scale),
      seed: 7,
    });
    const file = path.join(outDir, `${template.name}-${brandName}.png`);
    await writeFile(file, await encodeCanvas(canvas, 'png'));
    const status = report.checks.ok ? 'ok' : report.checks.problems.join('; ');
    console.log(`${file}  min contrast ${report.checks.min_contrast}  ${status}`);
  }
}
