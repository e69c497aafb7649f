import type { ChineseWords } from './keywords.ts';
import type { ScriptLanguage, SellingPoint } from './script-analysis.ts';
import { clausesOf, foldForMatch, sentencesOf } from './script-text.ts';
import {
  EN_LEXICON,
  ES_LEXICON,
  LATIN_NEGATED_BENEFIT,
  LATIN_SPEC_UNITS,
  type SellingPointKind,
  ZH_LEXICON,
  ZH_NEGATED_BENEFIT,
  ZH_SPEC_UNITS,
} from './selling-point-lexicon.ts';

/**
 * Selling points of a segment, each with a kind and a confidence: numbers with units and standard
 * ratings (0.95), lexicon materials and functions (0.9), benefits (0.85), negated benefits
 * (0.8), structural upgrades and counted parts (0.7), short descriptive fragments of English and
 * Spanish lists (0.45). Clauses about the deal, delivery, the giveaway or a countdown are skipped.
 * Pure.
 */

/** Clauses about the deal, delivery, the draw or the clock: their numbers are not selling points. */
const NOT_PRODUCT =
  /[¥$€£]|再送|加送|赠送|送[一两二三\d]|\d+\s*元|满\s*\d|折|减\s*\d|包邮|发货|退换|运费|抽奖|中奖|倒计时|秒杀|库存|限量|只有\s*(?:\d+|[一二三四五六七八九十]+)\s*(?:分钟|件|单)|前\s*\d+\s*[名单]|下单|拍下|拍[一两二]|券|优惠码|\boff\b|\bcode\b|shipping|delivery|giveaway|winners?|\bminutes? left\b|ends in|\bprice\b|\bsale\b|\bstock\b|\bleft\b|descuento|envío|sorteo|ganadores|c[óo]digo|\bquedan\b|\bprecio\b|\bhoy\b|\bofertas?\b/i;

const ZH_NUMBER = '(?<![第\\d.])(?:\\d+(?:\\.\\d+)?|[一二两三四五六七八九十百千万]+)';
const ZH_SPEC = new RegExp(
  `${ZH_NUMBER}\\s*\\+?\\s*(?:${ZH_SPEC_UNITS})(?:[\\u4e00-\\u9fff]{0,2}(?=[,，。!！、\\s]|$))?`,
  'g',
);
const PERCENT_MATERIAL = /\d+(?:\.\d+)?\s*%\s*(?!以上|以下|左右|的)[\u4e00-\u9fff]{1,4}/g;
const MEASURED_PERCENT = /[\u4e00-\u9fff]{1,6}(?:含量|率|达到|高达|超过)\s*\d+(?:\.\d+)?\s*%/g;
const RATINGS =
  /\b(?:SPF\s*\d+\+?|PA\s*\+{1,4}|UPF\s*\d+\+?|IPX?\s*\d{1,2}|Bluetooth\s*\d\.\d|Wi-?Fi\s*\d|\d+K(?:\s*\d+\s*fps)?|\d+\s*Hz|USB-C|Type-C|5G|A?MOLED|OLED|HDR10\+?|Dolby\s+Vision|\d+-in-\d)(?![\w])|(?:PA\s*\+{1,4})|蓝牙\s*\d\.\d|\d+\s*Hz\s*高刷|(?:骁龙|天玑)\s*\d+[\u4e00-\u9fff]{0,3}|\d+(?:\.\d+)?\s*(?:英寸|寸)(?:[\u4e00-\u9fff]{0,3}屏)?|\d+[KkＫ]\s*[\u4e00-\u9fff]{0,3}屏/g;
const ZH_UPGRADE = /[\u4e00-\u9fff]{1,3}(?:加宽|加厚|加长|加大|加固)|手工[\u4e00-\u9fff]{1,2}/g;
/** Flavour and scent notes: 豆香, 兰花香, 奶香 (not 香水, 香精). */
/** Craft, testing and certification: 烫金工艺, 农残检测, 低蓝光认证. */
const ZH_PROOF = /(?:(?![做过的了是有])[\u4e00-\u9fff]){1,4}(?:工艺|检测|认证|专利|技术)/g;
const ZH_NOTE = /(?:(?![的和有])[\u4e00-\u9fff]){1,2}香(?![水精味])/g;
/** Adjectives jieba tags that say nothing about a product. */
const ZH_PLAIN_ADJECTIVES = new Set(
  '好|大|小|多|少|新|高|低|快|慢|真|全|满|好看|便宜|划算|实惠|简单|方便|重要|特别|非常|一样|不错|最好|很多|合适|正常|清楚|完全|主要|一般|厉害|直接|可以|漂亮|喜欢|贵|对'.split(
    '|',
  ),
);
const LATIN_NUMBER =
  '(?:\\d[\\d,]*(?:\\.\\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|dos|tres|cuatro|cinco|seis|ocho|diez|doce|veinte|treinta)';
const LATIN_SPEC = new RegExp(
  `\\b${LATIN_NUMBER}(?:\\s*|-)(?:${LATIN_SPEC_UNITS})\\b(?:\\s+(?:suction|display|screen|denim|battery|potencia))?|\\b\\d+(?:[.,]\\d+)?\\s*%\\s+(?:de\\s+)?[a-záéíóúñ]+(?:\\s+(?:wool|cotton|arabica|orgánico|ibérico|merino))?|\\b\\d+\\s*%\\s+[a-z]+\\b|\\b(?:waterproof|water[- ]resistant|sumergible|resistente al agua)\\s+(?:to|up to|hasta)\\s+[\\d,]+\\s*(?:m|mm|meters|metros|ft)\\b|\\b(?:tin|pack|box|bag|set)\\s+of\\s+\\d+\\b|\\b(?:acidez|acidity)\\s+(?:de\\s+)?[\\d,.]+\\s*%|\\b\\d+(?:[.,]\\d+)?\\s*(?:points|puntos)\\b`,
  'gi',
);
/** "Lana merino 100%", "chocolate negro al 70%": a material with its share after it. */
const LATIN_SHARE_AFTER =
  /\b(?:[a-záéíóúñ]+\s+){1,3}(?:al\s+)?\d+(?:[.,]\d+)?\s*%(?!\s*(?:off|de\s+descuento|dto|descuento))/gi;
/** A benefit said as a verb and what it acts on: "brightens dull skin", "hidrata en profundidad". */
const LATIN_BENEFIT_VERB =
  /\b(?:brightens|fades|hydrates|protects?|reduces|smooths|softens|boosts|repairs|soothes|regulates|evens|plumps|firms|cleanses|removes|blocks|absorbs|keeps|holds|fits|tracks|maps|charges|hidrata|reduce|unifica|rellena|ilumina|protege|suaviza|nutre|repara|calma|regula|mantiene|elimina|absorbe|combate|previene|se\s+absorbe|estiliza)\b(?:\s+(?!and\b|y\b|so\b|but\b|pero\b|que\b|while\b)[A-Za-zÀ-ÖØ-öø-ÿ\d-]+){1,3}/gi;
/** A past participle with how it was made: "cortado a cuchillo", "roasted in small batches". */
const LATIN_MADE =
  /\b(?:(?!(?:el|la|los|las|un|una|es|y|con)\s)[A-Za-zÀ-ÖØ-öø-ÿ]+\s+)?[A-Za-zÀ-ÖØ-öø-ÿ]+(?:ado|ada|ados|adas|ido|ida|idos|idas)\s+(?:a|al|en|de|por)\s+(?:la\s+|el\s+|forma\s+)?[A-Za-zÀ-ÖØ-öø-ÿ]+|\b(?:roasted|baked|made|crafted|cured|aged|grown|harvested|sewn|built|tested)\s+(?:in|with|by|from|for)\s+(?:small\s+|real\s+|whole\s+)?[A-Za-zÀ-ÖØ-öø-ÿ-]+(?:\s+[A-Za-zÀ-ÖØ-öø-ÿ-]+)?/gi;
const LATIN_FILLER =
  /^(?:and|or|plus|with|it's|it’s|it|its|they're|they’re|they|this|that|these|is|are|has|have|a|an|the|our|your|so|also|y|con|el|la|los|las|un|una|es|son|tiene|tienen|lleva|de|del|que|muy|super(?=\s)|totally|really)\s+/i;
const LATIN_STOP_FRAGMENT =
  /\b(?:first up|next up|up next|next is|product \d+|producto \d+|siguiente producto|primer producto|a continuación|i|you|we|me|my|guys|everyone|chat|stream|tonight|today|hoy|os|nos|yo|vosotros|gente|size|sizes|talla|tallas|colou?rs?|colores|normally|regular|antes|precio|dollars|euros)\b/i;

interface Found {
  text: string;
  kind: SellingPointKind;
  confidence: number;
  at: number;
}

/**
 * The selling points of `text` (one segment's body, its header line left out), in the order they
 * are said. `exclude`: phrases that are not selling points here (the product's name, the marker).
 */
export function extractSellingPoints(
  text: string,
  language: ScriptLanguage,
  exclude: readonly string[] = [],
  chinese: Pick<ChineseWords, 'tag'> | null = null,
): SellingPoint[] {
  const found: Found[] = [];
  const excluded = exclude.map(foldForMatch).filter(Boolean);
  let offset = 0;
  for (const sentence of sentencesOf(text)) {
    for (const clause of clausesOf(sentence.text)) {
      const at = text.indexOf(clause, offset);
      if (at >= 0) offset = at;
      if (NOT_PRODUCT.test(clause)) continue;
      const hasHan = /\p{Script=Han}/u.test(clause);
      const inClause: Found[] = [];
      if (hasHan) inClause.push(...chineseClause(clause, offset, chinese));
      if (!hasHan || /[A-Za-z]{3,}/.test(clause)) inClause.push(...latinClause(clause, offset, language));
      // Where the clause names the product ("el vestido midi de lino"), words of its name are not points.
      const named = excluded.filter((phrase) => phrase.length >= 2 && foldForMatch(clause).includes(phrase));
      found.push(
        ...inClause.filter((point) => !named.some((phrase) => phrase.includes(foldForMatch(point.text)))),
      );
    }
  }
  return dedupe(found)
    .filter((point) => {
      const folded = foldForMatch(point.text);
      // The product's own name is not a selling point; a material inside it (冰丝 of 冰丝阔腿裤) is.
      return !excluded.some(
        (phrase) =>
          phrase === folded ||
          (point.confidence < 0.6 && (phrase.includes(folded) || folded.includes(phrase))),
      );
    })
    .map(({ text: point, kind, confidence }) => ({ text: point, kind, confidence }));
}

function chineseClause(clause: string, at: number, chinese: Pick<ChineseWords, 'tag'> | null): Found[] {
  const found: Found[] = [];
  const add = (text: string, kind: SellingPointKind, confidence: number) =>
    found.push({ text: text.trim(), kind, confidence, at: at + Math.max(0, clause.indexOf(text)) });
  for (const match of clause.matchAll(PERCENT_MATERIAL)) add(match[0], 'material', 0.95);
  for (const match of clause.matchAll(MEASURED_PERCENT)) add(match[0], 'spec', 0.95);
  for (const match of clause.matchAll(RATINGS)) add(match[0], 'spec', 0.95);
  for (const match of clause.matchAll(ZH_SPEC)) {
    const counted = /[个种片包袋色层]/.test(match[0]) || /^[一二两三四五六七八九十百千万]/.test(match[0]);
    // 一个, 一包, 一天: one of something is how people talk, not a specification.
    if (
      /^[一1](?:\s*[个种片包袋色层天年])?$/.test(
        match[0].replace(/[\u4e00-\u9fff]{1,2}$/, (tail) => tail.slice(0, 1)),
      )
    )
      continue;
    add(match[0], 'spec', counted ? 0.7 : 0.9);
  }
  for (const match of clause.matchAll(ZH_NEGATED_BENEFIT)) add(match[0], 'benefit', 0.8);
  for (const match of clause.matchAll(ZH_UPGRADE)) add(match[0], 'function', 0.7);
  for (const match of clause.matchAll(ZH_NOTE)) add(match[0], 'benefit', 0.6);
  for (const match of clause.matchAll(ZH_PROOF)) add(match[0], 'function', 0.8);
  // Descriptive words the lexicon lacks (软萌, 清澈), from jieba's adjective tags: a weaker signal.
  for (const { word, tag } of chinese?.tag(clause) ?? []) {
    if ((tag === 'a' || tag === 'an' || tag === 'ad') && word.length >= 2 && !ZH_PLAIN_ADJECTIVES.has(word)) {
      add(word, 'benefit', 0.5);
    }
  }
  for (const [kind, terms] of Object.entries(ZH_LEXICON) as Array<[SellingPointKind, string[]]>) {
    for (const term of terms) {
      if (clause.includes(term)) add(term, kind, kind === 'benefit' ? 0.85 : 0.9);
    }
  }
  return found;
}

/** Letters of English and Spanish (a class, not \\p{L}: case-insensitive Unicode classes compile slowly). */
export const LATIN_LETTER = 'A-Za-zÀ-ÖØ-öø-ÿ';

const lexiconPatterns = new Map<string, Array<[RegExp, SellingPointKind]>>();
/** One pattern per kind and language: every term as a whole word (plural allowed), longest first. */
function latinLexicon(language: ScriptLanguage): Array<[RegExp, SellingPointKind]> {
  const key = language === 'es' ? 'es' : 'en';
  let patterns = lexiconPatterns.get(key);
  if (!patterns) {
    // Mixed scripts speak both: English terms are read in Spanish segments too, and back.
    const lexicons = key === 'es' ? [ES_LEXICON, EN_LEXICON] : [EN_LEXICON, ES_LEXICON];
    patterns = lexicons.flatMap((lexicon) =>
      (Object.entries(lexicon) as Array<[SellingPointKind, string[]]>).map(([kind, terms]) => {
        const alternatives = [...terms].sort((a, b) => b.length - a.length).map(escapeRegExp);
        const pattern = new RegExp(
          `(?<![${LATIN_LETTER}-])(?:${alternatives.join('|')})(?:e?s)?(?![${LATIN_LETTER}-])`,
          'gi',
        );
        return [pattern, kind] as [RegExp, SellingPointKind];
      }),
    );
    lexiconPatterns.set(key, patterns);
  }
  return patterns;
}

function latinClause(clause: string, at: number, language: ScriptLanguage): Found[] {
  const found: Found[] = [];
  const add = (text: string, kind: SellingPointKind, confidence: number) =>
    found.push({ text: text.trim(), kind, confidence, at: at + Math.max(0, clause.indexOf(text)) });
  for (const match of clause.matchAll(LATIN_SPEC)) add(match[0], 'spec', 0.95);
  for (const match of clause.matchAll(RATINGS)) add(match[0], 'spec', 0.95);
  for (const match of clause.matchAll(LATIN_SHARE_AFTER)) add(stripFillers(match[0]), 'material', 0.9);
  for (const match of clause.matchAll(LATIN_NEGATED_BENEFIT)) add(match[0], 'benefit', 0.8);
  for (const match of clause.matchAll(LATIN_BENEFIT_VERB)) add(match[0], 'benefit', 0.7);
  for (const match of clause.matchAll(LATIN_MADE)) add(match[0], 'material', 0.6);
  const spanish = language === 'es' || /[áéíóúñ]|\b(?:de|del|la|el|con|muy)\b/i.test(clause);
  for (const [pattern, kind] of latinLexicon(language)) {
    for (const match of clause.matchAll(pattern)) {
      add(expandPhrase(clause, match.index, match[0], kind, spanish), kind, kind === 'benefit' ? 0.85 : 0.9);
    }
  }
  // A short fragment of a list ("Corduroy collar, two chest pockets"): a feature named plainly.
  for (const part of clause.split(/\s+(?:and|y|&|with|con)\s+|\s*[/]\s*/i)) {
    const fragment = stripFillers(part.replace(/[.!?¡¿:;"“”()]+/g, ' ').trim());
    const words = fragment.split(/\s+/).filter(Boolean);
    if (words.length < 2 || words.length > 4 || fragment.length < 4) continue;
    if (LATIN_STOP_FRAGMENT.test(fragment) || /^\d+$/.test(fragment) || /\p{Script=Han}/u.test(fragment))
      continue;
    add(fragment, 'benefit', 0.45);
  }
  return found;
}

const PHRASE_STOP =
  /^(?:and|or|with|it's|it’s|it|is|are|has|have|a|an|the|our|your|so|to|of|for|in|on|at|by|from|made|y|o|con|el|la|los|las|un|una|es|son|tiene|en|por|para|que|se|muy|all|very|just|only|also|más|this|that|these|every|each|todo|toda|todos|presentado|presentada|lleva|hecho|hecha|hechos|hechas)$/i;

/**
 * A lexicon term with the words that make it a feature: the noun it describes on its left
 * ("super soft fleece", "textura sedosa", "cesta de mimbre", "envase de cristal"), or for a
 * material, the thing made of it on its right ("glass pitcher"). At most two words each side.
 */
function expandPhrase(
  clause: string,
  index: number,
  term: string,
  kind: SellingPointKind,
  spanish: boolean,
): string {
  const before = clause.slice(0, index).trimEnd().split(/\s+/).filter(Boolean);
  const left: string[] = [];
  // English stacks modifiers before the noun ("super soft fleece"); Spanish puts one noun before
  // its adjective ("textura sedosa") or joins it with de ("envase de cristal").
  const most = spanish ? 1 : 2;
  for (let position = before.length - 1; position >= 0 && left.length < most; position--) {
    const word = before[position]!;
    if (/\p{Script=Han}|\d/u.test(word)) break;
    if (/[.,;:!?¡¿]$/.test(word) || PHRASE_STOP.test(word)) {
      // "cesta de mimbre": de joins a noun to its material.
      if (/^(?:de|del)$/i.test(word) && position > 0 && !PHRASE_STOP.test(before[position - 1]!)) {
        left.unshift(before[position - 1]!, word);
        position--;
        continue;
      }
      break;
    }
    left.unshift(word);
  }
  const after = clause
    .slice(index + term.length)
    .trimStart()
    .split(/\s+/)
    .filter(Boolean);
  const right: string[] = [];
  const next = after[0]?.replace(/[.,;:!?]+$/, '');
  if (
    kind === 'material' &&
    next &&
    !PHRASE_STOP.test(next) &&
    !/^\d/.test(next) &&
    /^[a-záéíóúñ-]+$/i.test(next)
  ) {
    right.push(next);
  }
  return [...left, term, ...right].join(' ');
}

function stripFillers(fragment: string): string {
  let text = fragment;
  for (let round = 0; round < 4; round++) {
    const next = text.replace(LATIN_FILLER, '');
    if (next === text) break;
    text = next;
  }
  return text.trim();
}

/**
 * One point per phrase: a phrase inside a longer one is dropped (the longer keeps the higher
 * confidence), except that a loose fragment holding a surer point gives way to it.
 */
function dedupe(found: Found[]): Found[] {
  const loose = (point: Found) => point.confidence < 0.6;
  const sure = found.filter((point) => !loose(point));
  const sorted = [...found]
    .filter(
      (point) =>
        !loose(point) || !sure.some((other) => foldForMatch(point.text).includes(foldForMatch(other.text))),
    )
    .sort((a, b) => foldForMatch(b.text).length - foldForMatch(a.text).length);
  const kept: Found[] = [];
  for (const point of sorted) {
    const folded = foldForMatch(point.text);
    if (!folded) continue;
    const inside = kept.find((other) => foldForMatch(other.text).includes(folded));
    if (inside) {
      inside.confidence = Math.max(inside.confidence, point.confidence);
      continue;
    }
    kept.push({ ...point });
  }
  return kept.sort((a, b) => a.at - b.at);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
}
