import type { Brand } from '../../domain/brand.ts';
import { combineNegativePrompts, fillPromptPattern } from '../../domain/prompt.ts';
import type { PlannedVisual, ScriptSegment, StylePackId } from '../../domain/script/script-analysis.ts';
import type { Template } from '../../domain/template.ts';

/**
 * The image prompt of each planned visual, in the brand's style: the template's prompt pattern
 * filled with the visual's texts and the brand kit, the segment's keywords, and the words of the
 * style pack its mood picked. Image models follow them (and the studio's generated backgrounds).
 */

const STYLE_WORDS: Record<StylePackId, string> = {
  festive: 'festive red and gold, celebratory, shopping-festival energy',
  minimal: 'clean minimal white, calm, generous negative space',
  luxury: 'dark luxurious backdrop, elegant, refined lighting',
  fresh: 'fresh natural green, airy daylight, clean',
  tech: 'dark blue and cyan, sleek technology, crisp highlights',
  cute: 'soft pastel colours, playful and cute',
};

export function promptsFor(
  visuals: readonly PlannedVisual[],
  brand: Brand,
  segment: Pick<ScriptSegment, 'keywords'>,
  templates: ReadonlyMap<string, Template>,
): ScriptSegment['prompts'] {
  const keywords = segment.keywords
    .slice(0, 4)
    .map((keyword) => keyword.text)
    .join(', ');
  return visuals.map((visual) => {
    const template = templates.get(visual.template);
    const base = template
      ? fillPromptPattern(template.prompt_pattern, visual.params, brand)
      : (visual.params.title ?? '');
    return {
      visual: visual.role,
      prompt: [base, keywords, STYLE_WORDS[visual.style_pack]].filter(Boolean).join(', ').slice(0, 4000),
      negative_prompt: combineNegativePrompts(template?.negative_prompt, brand.negative_prompt).slice(
        0,
        2000,
      ),
      options: visual.n,
    };
  });
}
