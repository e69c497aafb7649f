import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BUILTIN_TEMPLATES, type BuiltinTemplate } from '../src/domain/builtin-templates.ts';
import { encodeCanvas } from '../src/render/layout-renderer.ts';
import {
  renderSample,
  type SampleRender,
  sampleFile,
  samplePacks,
  scaled,
} from '../test/support/sample-renders.ts';

// `npm run docs:templates`: renders every built-in template in its own style pack and a second one,
// with and without a product photo, as the engine chooses the design for a one-image request, into
// docs/templates/ at half size (small files), and rewrites the built-in templates section of
// docs/templates.md: a table per template with each image's quality score and failing checks.
// Another folder and scale: node scripts/render-templates.ts /tmp/t 1 (the doc is then not touched).

const outDir = process.argv[2] ?? 'docs/templates';
const scale = Number(process.argv[3] ?? 0.5);
const writingDocs = process.argv[2] === undefined;
const only = process.env.TEMPLATES ? process.env.TEMPLATES.split(',') : undefined;
await mkdir(outDir, { recursive: true });
if (writingDocs && !only) {
  for (const file of await readdir(outDir)) if (file.endsWith('.png')) await rm(path.join(outDir, file));
}

const sections: string[] = [];
for (const template of BUILTIN_TEMPLATES) {
  if (only && !only.includes(template.name)) continue;
  const cells = new Map<string, SampleRender>();
  for (const pack of samplePacks(template)) {
    for (const withPhoto of [true, false]) {
      const sample = await renderSample(template, pack, withPhoto);
      const file = sampleFile(template.name, pack, withPhoto);
      await writeFile(path.join(outDir, file), await encodeCanvas(scaled(sample.canvas, scale), 'png'));
      cells.set(file, sample);
      const failed = sample.quality.checks.filter((check) => !check.passed).map((check) => check.name);
      console.log(
        `${file}  score ${sample.quality.score.toFixed(2)}  ${sample.design.composition}/${sample.design.arrangement}  ${failed.join(', ') || 'ok'}`,
      );
    }
  }
  sections.push(section(template, cells));
}

if (writingDocs && !only) {
  const doc = await readFile('docs/templates.md', 'utf8');
  const [start, end] = ['<!-- templates:start -->', '<!-- templates:end -->'];
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from < 0 || to < 0) throw new Error(`docs/templates.md lacks the ${start} … ${end} markers`);
  const body = `${start}\n<!-- Written by npm run docs:templates; edit scripts/render-templates.ts instead. -->\n\n${sections.join('\n')}`;
  await writeFile('docs/templates.md', `${doc.slice(0, from)}${body}${doc.slice(to)}`);
  console.log('docs/templates.md rewritten');
}

function section(template: BuiltinTemplate, cells: Map<string, SampleRender>): string {
  const { layout } = template;
  const compositions = ['base', ...(layout.compositions ?? []).map((composition) => composition.name)];
  const extras = template.params.slice(5).map((param) => param.name);
  const safe = layout.safeArea
    ? ` Safe area: top ${pct(layout.safeArea.top)}, bottom ${pct(layout.safeArea.bottom)}, sides ${pct(layout.safeArea.left)}.`
    : '';
  const rows = samplePacks(template).map((pack, index) => {
    const cell = (withPhoto: boolean) => {
      const file = sampleFile(template.name, pack, withPhoto);
      const sample = cells.get(file)!;
      const failed = sample.quality.checks
        .filter((check) => !check.passed)
        .map((check) => `✗ \`${check.name}\`: ${escapeCell(check.detail)}`);
      const what = `${template.name}, ${pack}, ${withPhoto ? 'with a product photo' : 'without a photo'}`;
      return [
        `![${what}](templates/${file})`,
        `score **${sample.quality.score.toFixed(2)}** · ${sample.design.composition}, palette ${sample.design.arrangement + 1} of ${sample.design.of} candidates`,
        ...failed,
      ].join('<br>');
    };
    return `| **${pack}**${index === 0 ? ' (default)' : ''} | ${cell(true)} | ${cell(false)} |`;
  });
  return [
    `### \`${template.name}\` — ${template.width}×${template.height}`,
    '',
    template.description,
    '',
    `Style pack: \`${layout.stylePack ?? 'none (the brand)'}\`. Compositions: ${compositions.map((name) => `\`${name}\``).join(', ')}.${extras.length ? ` Params beyond the common five: ${extras.join(', ')}.` : ''}${safe}`,
    '',
    '| pack | with a product photo | without a photo |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

function pct(value: number): string {
  return `${Math.round(value * 100)}%`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
