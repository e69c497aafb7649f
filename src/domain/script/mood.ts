import { EN_MOOD, ES_MOOD, ZH_MOOD } from './mood-lexicon.ts';
import type {
  Emotion,
  ProductCategory,
  ScriptLanguage,
  ScriptOffer,
  SegmentKind,
  StylePackId,
  VisualMood,
} from './script-analysis.ts';
import { VISUAL_MOODS } from './script-analysis.ts';

/**
 * A segment's visual mood from the mood lexicon, its offers, its kind and its product's category,
 * and the style pack that mood picks (with its palette arrangements). Pure.
 */

export type MoodScores = Record<VisualMood, number>;

/** The confidence of a mood no clear cue chose (the category's default look). */
export const DEFAULT_MOOD_CONFIDENCE = 0.3;

const LEXICONS = { zh: ZH_MOOD, en: EN_MOOD, es: ES_MOOD } as const;
const latinCuePatterns = new Map<string, RegExp>();

/** Cue words found in the text, by mood, each counted at most twice. */
export function lexiconScores(
  text: string,
  languages: readonly ScriptLanguage[],
): { scores: MoodScores; cues: string[] } {
  const scores = emptyScores();
  const found: Array<[string, number]> = [];
  const lower = text.toLowerCase();
  for (const language of new Set(languages)) {
    const lexicon = LEXICONS[language];
    for (const mood of VISUAL_MOODS) {
      for (const [word, weight] of Object.entries(lexicon[mood])) {
        const count = language === 'zh' ? countSubstring(text, word) : countWord(lower, word);
        if (count === 0) continue;
        scores[mood] += weight * Math.min(count, 2);
        found.push([word, weight * count]);
      }
    }
  }
  const cues = found
    .sort((a, b) => b[1] - a[1])
    .map(([word]) => word)
    .slice(0, 8);
  return { scores, cues };
}

export interface MoodContext {
  kind: SegmentKind;
  category: ProductCategory;
  offers: readonly ScriptOffer[];
  /** The show's leading mood, for openings and closings that say little of their own. */
  showMood?: VisualMood | null;
}

/** The segment's mood: lexicon cues plus what its offers, kind and category say. */
export function segmentEmotion(
  text: string,
  languages: readonly ScriptLanguage[],
  context: MoodContext,
): Emotion {
  const { scores, cues } = lexiconScores(text, languages);
  const offers = context.offers;
  if (offers.some((offer) => offer.type === 'flash_sale')) scores.urgent += 2;
  if (offers.some((offer) => offer.stock !== null)) scores.urgent += 1;
  if (offers.some((offer) => offer.urgent)) scores.urgent += 0.5;
  // A deadline ("solo hasta el domingo 9 de marzo", 活动到6月1日结束) presses for time too.
  if (offers.some((offer) => offer.dates?.end)) scores.urgent += 0.5;
  const categoryPrior: Partial<Record<ProductCategory, Partial<MoodScores>>> = {
    electronics: { premium: 1.5 },
    beauty: { premium: 0.5, fresh: 0.5 },
    food: { fresh: 1 },
  };
  for (const [mood, bonus] of Object.entries(categoryPrior[context.category] ?? {})) {
    scores[mood as VisualMood] += bonus;
  }
  if (context.kind === 'giveaway') scores.festive += 2;
  if (context.kind === 'opening' || context.kind === 'closing') {
    scores.festive += 1;
    if (context.showMood && context.showMood !== 'urgent') scores[context.showMood] += 1.5;
  }
  const ranked = VISUAL_MOODS.map((mood) => [mood, scores[mood]] as const).sort((a, b) => b[1] - a[1]);
  const [top, second] = [ranked[0]!, ranked[1]!];
  // Hints alone (an "only", a "hoy", the urgency every offer has) are not a mood: below one clear
  // cue's weight, the category's default look applies.
  if (top[1] < 1) {
    return { mood: defaultMood(context.category), confidence: DEFAULT_MOOD_CONFIDENCE, cues };
  }
  const confidence = Math.round(Math.min(0.95, 0.4 + (0.6 * (top[1] - second[1])) / top[1]) * 100) / 100;
  return { mood: top[0], confidence, cues };
}

/**
 * With no clear cue: food looks fresh (natural green), everything else premium — the minimal white
 * pack (dark blue tech for electronics), the plainest look for a product nothing marks.
 */
function defaultMood(category: ProductCategory): VisualMood {
  return category === 'food' ? 'fresh' : 'premium';
}

/** The leading mood of several segments, by their summed confidence. */
export function leadingMood(emotions: readonly Emotion[]): VisualMood {
  const totals = emptyScores();
  for (const emotion of emotions) totals[emotion.mood] += emotion.confidence;
  return VISUAL_MOODS.reduce((best, mood) => (totals[mood] > totals[best] ? mood : best), VISUAL_MOODS[0]);
}

/**
 * The style pack of a mood (each pack brings its palette arrangements, which a visual's options
 * alternate): urgency and festivity in the red-and-gold promotional pack; premium as dark blue tech
 * for electronics, dark luxury when the words are of luxury, else minimal white; cute in pastel;
 * fresh in natural green.
 */
export function styleForMood(
  mood: VisualMood,
  category: ProductCategory,
  /** The segment's words: luxury words turn premium dark. */
  evidence = '',
): { style_pack: StylePackId } {
  switch (mood) {
    case 'urgent':
    case 'festive':
      return { style_pack: 'festive' };
    case 'cute':
      return { style_pack: 'cute' };
    case 'fresh':
      return { style_pack: 'fresh' };
    case 'premium': {
      if (category === 'electronics') return { style_pack: 'tech' };
      const luxury =
        /高级|奢华|轻奢|精致|典雅|质感|晚宴|珍珠|luxur|exquisite|elegant|ritual|spa|silky|lujo|exclusiv|elegante|capricho|sedos/i;
      return { style_pack: luxury.test(evidence) ? 'luxury' : 'minimal' };
    }
  }
}

function emptyScores(): MoodScores {
  return { urgent: 0, premium: 0, festive: 0, cute: 0, fresh: 0 };
}

function countSubstring(text: string, word: string): number {
  let count = 0;
  for (let at = text.indexOf(word); at >= 0 && count < 3; at = text.indexOf(word, at + word.length)) count++;
  return count;
}

function countWord(lower: string, word: string): number {
  let pattern = latinCuePatterns.get(word);
  if (!pattern) {
    const letter = 'A-Za-zÀ-ÖØ-öø-ÿ';
    pattern = new RegExp(
      `(?<![${letter}])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![${letter}])`,
      'gi',
    );
    latinCuePatterns.set(word, pattern);
  }
  return lower.match(pattern)?.length ?? 0;
}
