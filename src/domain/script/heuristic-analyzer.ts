import { type ChineseWords, extractKeywords } from './keywords.ts';
import { DEFAULT_MOOD_CONFIDENCE, leadingMood, segmentEmotion, styleForMood } from './mood.ts';
import {
  type CatalogProduct,
  categoryOf,
  matchCatalog,
  productNameFromHeader,
  productNameFromLead,
  productNameFromNouns,
  productNounsIn,
} from './product-names.ts';
import type {
  AnalysisNote,
  Emotion,
  ProductCategory,
  ScriptAnalysis,
  ScriptLanguage,
  ScriptSegment,
  SegmentKind,
} from './script-analysis.ts';
import { extractSegmentOffers } from './script-offers.ts';
import { bodyOf, type RawSegment, splitSegments } from './script-segments.ts';
import { languagesOf, mainLanguage } from './script-text.ts';
import { extractSellingPoints } from './selling-points.ts';

/**
 * The offline analyzer: segments, products, keywords, selling points, offers and mood of a script,
 * in Chinese, English, Spanish or a mix, with no model. The plan of visuals is added by
 * `planSegments` (it needs the brand). Pure, given a Chinese word segmenter.
 */

export interface HeuristicOptions {
  chinese: ChineseWords | null;
  catalog?: readonly CatalogProduct[];
}

export type AnalysisWithoutPlan = Omit<ScriptAnalysis, 'segments' | 'options' | 'usage'> & {
  segments: Array<Omit<ScriptSegment, 'prompts' | 'visuals'>>;
};

/** A marker that opens a moment of the show, not a product: 接下来最后的福利时间, "deal time". */
const SHOW_MOMENT =
  /^(?:最后的?|今晚的?|现在是?)?(?:福利|宠粉|秒杀|互动|彩蛋|惊喜)(?:时间|环节|时刻)|^(?:it's\s+)?(?:deal|bonus|flash\s+deal)\s+(?:time|round)\b|^(?:momento|hora)\s+de\s+(?:ofertas|regalos)\b/i;
const ORDINAL_LABEL =
  /^(?:第[一二三四五六七八九十\d]+[款个件样号套瓶支]|下面这[款个件瓶支套]|最后一[款个件瓶支套]|首先(?:是|来看)?|先来看|接下来(?:第[一二三四五六七八九十\d]+个)?|然后是|再来看|压轴|first up|next up|up next|next is|next|now|let['’]s start with|moving on|last but not least|and finally|finally|doorbuster.*|our next|primer producto|siguiente producto|a continuación|empezamos con|seguimos con|por último|ahora|product\s*\d+|producto\s*\d+|item\s*\d+)$/i;

export function analyzeHeuristically(text: string, options: HeuristicOptions): AnalysisWithoutPlan {
  const started = performance.now();
  const languages = languagesOf(text);
  const { segments: raw, method } = splitSegments(text, (paragraph) =>
    productNounsIn(paragraph).map((found) => found.noun),
  );
  const scriptCategory = categoryOf(text);
  const showTitle = findShowTitle(text);
  const drafts = raw.map((segment, index) =>
    draftSegment(segment, index, raw.length, scriptCategory, options),
  );
  // The show's mood, for its opening and closing, from the products whose words chose a mood.
  const productMoods: Emotion[] = drafts
    .filter((draft) => draft.kind === 'product' && draft.emotion.confidence > DEFAULT_MOOD_CONFIDENCE)
    .map((draft) => draft.emotion);
  const showMood = productMoods.length > 0 ? leadingMood(productMoods) : null;
  const segments = drafts.map((draft) => {
    const emotion =
      draft.kind === 'product'
        ? draft.emotion
        : segmentEmotion(draft.text, draft.languages, {
            kind: draft.kind,
            category: draft.category,
            offers: draft.offers,
            showMood,
          });
    const style = styleForMood(emotion.mood, draft.category, draft.text);
    const title = titleOf(draft, showTitle);
    const { languages: _languages, ...segment } = draft;
    return { ...segment, title, emotion, ...style };
  });
  const notes: AnalysisNote[] = [];
  if (method === 'single' && text.trim()) {
    notes.push({
      code: 'one_segment',
      message:
        'No segment markers (【…】, 第一款, "Next up", times such as 20:05) or product changes were recognised: the script is analysed as one segment',
    });
  }
  if (languages.length > 1) {
    notes.push({
      code: 'mixed_languages',
      message: `The script mixes ${languages.join(', ')}; each segment is read in every language it uses`,
    });
  }
  const mood = leadingMood(segments.map((segment) => segment.emotion));
  return {
    language: languages.length > 1 ? 'mixed' : languages[0]!,
    languages,
    analyzer: 'heuristic',
    model: null,
    title: showTitle ?? segments.find((segment) => segment.product)?.product?.name ?? segments[0]!.title,
    characters: text.length,
    category: scriptCategory,
    mood,
    style_pack: styleForMood(mood, scriptCategory, text).style_pack,
    segments,
    notes,
    elapsed_ms: Math.round((performance.now() - started) * 100) / 100,
  };
}

type Draft = Omit<ScriptSegment, 'prompts' | 'visuals' | 'title' | 'style_pack'> & {
  languages: ScriptLanguage[];
};

function draftSegment(
  segment: RawSegment,
  index: number,
  count: number,
  scriptCategory: ProductCategory,
  options: HeuristicOptions,
): Draft {
  const languages = languagesOf(segment.text);
  const language = mainLanguage(segment.text);
  let kind: SegmentKind | null = segment.kindHint;
  // A header names a product only with a product word in it (【精华液】, ## Smartwatch; not 【20:00】¡Feliz Navidad!).
  const labelName =
    segment.label && !ORDINAL_LABEL.test(segment.label) && productNounsIn(segment.label).length > 0
      ? segment.label
      : null;
  const leadName =
    segment.lead && segment.lead !== segment.label ? productNameFromLead(segment.lead, language) : null;
  const headerLeadName =
    segment.lead === segment.label && labelName ? productNameFromLead(labelName, language) : null;
  // A first segment that names no product before the first product's marker is the show's opening.
  if (!kind && index === 0 && count > 1 && !labelName && !leadName && !ORDINAL_LABEL.test(segment.label)) {
    kind = 'opening';
  }
  if (!kind && SHOW_MOMENT.test(segment.lead.trim())) kind = 'talk';
  let product: ScriptSegment['product'] = null;
  if (!kind) {
    const named =
      leadName ??
      headerLeadName ??
      (labelName ? productNameFromLead(labelName, language) : null) ??
      // A header the body talks about ("MINI PUMP" … "the mini pump") names it before the first
      // listed product word of the body does ("fits in a jersey pocket").
      (segment.lead === segment.label && segment.label
        ? productNameFromHeader(segment.label, bodyOf(segment), language)
        : null) ??
      productNameFromNouns(bodyOf(segment));
    const matched = options.catalog?.length ? matchCatalog(named, segment.text, options.catalog) : null;
    if (matched) product = { name: matched.name, sku: matched.sku, source: 'catalog', image: null };
    else if (named) product = { name: named, sku: null, source: 'script', image: null };
    kind = product ? 'product' : 'talk';
  }
  // The product's own name decides (帆布托特包 is apparel, though its segment mentions 笔记本电脑 and 耳机).
  const named = product ? categoryOf(product.name) : 'other';
  const category = product ? (named !== 'other' ? named : categoryOf(segment.text)) : 'other';
  const offers = extractSegmentOffers(segment.text);
  const isProduct = kind === 'product';
  const emotion = segmentEmotion(segment.text, languages, {
    kind,
    category: category === 'other' ? scriptCategory : category,
    offers,
  });
  return {
    index,
    label: segment.label,
    kind,
    time: segment.time,
    start: segment.start,
    end: segment.end,
    text: segment.text,
    language,
    languages,
    product,
    category: category === 'other' && isProduct ? scriptCategory : category,
    keywords: extractKeywords(segment.text, languages, options.chinese).map((keyword) => ({
      text: keyword.text,
      weight: keyword.weight,
    })),
    selling_points: isProduct
      ? extractSellingPoints(
          bodyOf(segment),
          language,
          [product?.name ?? '', segment.label, segment.lead],
          options.chinese,
        )
      : [],
    offers,
    emotion,
  };
}

const DEFAULT_TITLES: Record<ScriptLanguage, Record<SegmentKind, string>> = {
  zh: { opening: '直播开场', product: '好物推荐', giveaway: '抽奖福利', closing: '感谢观看', talk: '直播中' },
  en: {
    opening: 'Welcome',
    product: 'Featured',
    giveaway: 'Giveaway',
    closing: 'Thanks for watching',
    talk: 'Live now',
  },
  es: {
    opening: 'Bienvenidos',
    product: 'Destacado',
    giveaway: 'Sorteo',
    closing: '¡Gracias!',
    talk: 'En directo',
  },
};

/** A plain section word is no title for a cover: 开场 becomes the show's name, 结尾 a thank-you. */
const SECTION_WORD =
  /^(?:开场|开播|结尾|结束|收尾|intro|outro|opening|closing|welcome|goodbye|bienvenida|despedida|cierre)$/i;

function titleOf(draft: Draft, showTitle: string | null): string {
  if (draft.product) return draft.product.name;
  const label = draft.label.trim();
  if (draft.kind === 'opening' && showTitle && (!label || SECTION_WORD.test(label))) return showTitle;
  if (label && !ORDINAL_LABEL.test(label) && !SECTION_WORD.test(label) && label.length <= 30) return label;
  return DEFAULT_TITLES[draft.language][draft.kind];
}

/** "欢迎来到夏日清凉专场", "welcome to glow night", "bienvenidas a nuestra noche de belleza". */
function findShowTitle(text: string): string | null {
  const head = text.slice(0, 600);
  const patterns = [
    /欢迎来到(?:我们的)?(?:今晚的|今天的)?([\u4e00-\u9fffA-Za-z0-9]{2,14}?)(?:[,，!！。~]|$)/,
    /(?:今天|今晚)是(?:我们的)?([\u4e00-\u9fff]{2,10}(?:专场|之夜|夜|节))/,
    /welcome (?:back )?to (?:our |the )?([A-Za-z][\w' -]{2,40}?)(?:[,.!]|$)/i,
    /bienvenid[oa]s (?:a|al) (?:nuestr[oa] )?(?:la |el )?([a-záéíóúñ][\wáéíóúñ -]{2,40}?)(?:[,.!]|$)/i,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(head);
    if (match?.[1]) {
      const title = match[1].trim();
      if (title && !/^(?:the stream|stream|directo|直播间)$/i.test(title)) return title.slice(0, 40);
    }
  }
  return null;
}
