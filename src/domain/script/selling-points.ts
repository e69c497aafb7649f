import type { ChineseWords } from './keywords.ts';
import type { ScriptLanguage, SellingPoint } from './script-analysis.ts';
import { clausesOf, foldForMatch, sentencesOf } from './script-text.ts';
import {
  chineseGrammar,
  LATIN_BENEFIT_VERB,
  LATIN_MADE,
  LATIN_SHARE_AFTER,
  LATIN_SPEC,
  latinGrammar,
  MEASURED_PERCENT,
  PACK_SIZE,
  PERCENT_MATERIAL,
  RATINGS,
  tastingNotes,
  ZH_NOTE,
  ZH_PROOF,
  ZH_SPEC,
  ZH_UPGRADE,
} from './selling-point-grammar.ts';
import {
  EN_LEXICON,
  ES_LEXICON,
  LATIN_NEGATED_BENEFIT,
  LATIN_SPEC_UNITS,
  type SellingPointKind,
  ZH_LEXICON,
  ZH_NEGATED_BENEFIT,
} from './selling-point-lexicon.ts';

/**
 * Selling points of a segment, each with a kind and a confidence: numbers with units and standard
 * ratings (0.95), lexicon materials and functions (0.9), benefits (0.85), negated benefits
 * (0.8), structural upgrades and counted parts (0.7), short descriptive fragments of English and
 * Spanish lists (0.45). Clauses about the deal, delivery, the giveaway or a countdown are skipped.
 * Pure.
 */

/**
 * Clauses about the deal, delivery, the draw or the clock: their numbers are not selling points.
 * 折 is a discount (8折), not a fold (折叠, 折起来).
 */
const NOT_PRODUCT =
  /[¥$€£]|再送|加送|赠送|送[一两二三\d]|\d+\s*元|到手|日常价|\b(?:la|el)\s+segund[oa]\b|满\s*\d|(?<!对)折(?!叠|起|成|合)|减\s*\d|包邮|发货|退换|运费|抽奖|中奖|倒计时|秒杀|库存|限量|只有\s*(?:\d+|[一二三四五六七八九十]+)\s*(?:分钟|件|单)|前\s*\d+\s*[名单]|下单|拍下|拍[一两二]|券|优惠码|(?:\d\s*%?|[$€£]\s*\d+)\s*off\b|\boff\s+(?:your|the|orders?|everything|all|tonight|today)\b|\bcode\b|shipping|delivery|giveaway|winners?|\bminutes? left\b|ends in|\bprice\b|\bsale\b|\bstock\b|\b(?:\d+|only|just|none)\s+(?:[a-z]+\s+)?left\b|descuento|envío|sorteo|ganadores|c[óo]digo|\bquedan\b|\bprecio\b|\bhoy\b|\bofertas?\b|(?<!-)\bfree\s+(?!of\b|from\b)[a-z]|\bevery\s+order\b|\bvalid\s+(?:until|through|till)\b|\blast\s+chance\b|\bsave\s+\d|\bbuy\s+(?:one|two|three|\d)\b|\bregal(?:o|amos|ar)\b|v[áa]lid[oa]\s+hasta\b|\d\s*%\s*menos\b|\b(?:only\s+)?until\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|midnight|tomorrow|the\s+end)\b|\bdon['’]t\s+wait\b/i;

/** Adjectives jieba tags that say nothing about a product. */
const ZH_PLAIN_ADJECTIVES = new Set(
  '好|大|小|多|少|新|高|低|快|慢|真|全|满|好看|便宜|划算|实惠|简单|方便|重要|特别|非常|一样|不错|最好|很多|合适|正常|清楚|完全|主要|一般|厉害|直接|可以|漂亮|喜欢|贵|对'.split(
    '|',
  ),
);
const LATIN_FILLER =
  /^(?:and|or|plus|with|it's|it’s|it|its|they're|they’re|they|this|that|these|is|are|has|have|a|an|the|our|your|so|also|y|con|el|la|los|las|un|una|es|son|tiene|tienen|lleva|de|del|que|muy|super(?=\s)|totally|really)\s+/i;
const LATIN_STOP_FRAGMENT =
  /\b(?:let['’]s\s+(?:begin|start|go)|first up|next up|last one|last up|up next|next is|product \d+|producto \d+|siguiente producto|primer producto|a continuación|i|you|we|me|my|guys|everyone|chat|stream|tonight|today|hoy|os|nos|yo|vosotros|gente|size|sizes|talla|tallas|colou?rs?|colores|normally|regular|antes|precio|dollars|euros)\b/i;

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
    for (const note of tastingNotes(sentence.text)) {
      found.push({
        text: note.text,
        kind: note.kind,
        confidence: note.confidence,
        at: sentence.start + note.index,
      });
    }
    for (const clause of clausesOf(sentence.text)) {
      const at = text.indexOf(clause, offset);
      if (at >= 0) offset = at;
      if (NOT_PRODUCT.test(clause)) {
        for (const match of clause.matchAll(PACK_SIZE))
          found.push({ text: match[0], kind: 'spec', confidence: 0.9, at: offset + match.index });
        continue;
      }
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
  for (const point of chineseGrammar(clause)) add(point.text, point.kind, point.confidence);
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
  for (const point of latinGrammar(clause)) add(point.text, point.kind, point.confidence);
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

const UNIT_WORD = new RegExp(`^(?:${LATIN_SPEC_UNITS})$`);
const PHRASE_STOP =
  /^(?:and|or|with|it's|it’s|it|is|are|has|have|a|an|the|our|your|so|to|of|for|in|on|at|by|from|made|y|o|con|el|la|los|las|un|una|es|son|tiene|en|por|para|que|se|muy|all|very|just|only|also|más|this|that|these|every|each|todo|toda|todos|presentado|presentada|lleva|hecho|hecha|hechos|hechas)$/i;

/**
 * A lexicon term with the words that make it a feature: the noun it describes on its left
 * ("super soft fleece", "textura sedosa", "cesta de mimbre", "envase de cristal"), or for a
 * material, the thing made of it on its right ("glass pitcher") or in Spanish its kind ("madera de
 * pino tratada"). At most two words on the left.
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
    // A number or a unit ends the noun phrase ("9 mm pearl" → pearl); 18K and 316L are modifiers.
    if (/\p{Script=Han}/u.test(word) || /^[\d.,]+$/.test(word) || UNIT_WORD.test(word)) break;
    // "cesta de mimbre", "polvorones de almendra": de joins a noun to its material.
    if (/^(?:de|del)$/i.test(word)) {
      const noun = before[position - 1];
      if (noun && !PHRASE_STOP.test(noun) && !/[.,;:!?¡¿]$/.test(noun) && /^[a-záéíóúñ]+$/i.test(noun))
        left.unshift(noun, word);
      break;
    }
    if (/[.,;:!?¡¿]$/.test(word) || PHRASE_STOP.test(word)) break;
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
  // Spanish names the kind of a material after it: "madera de pino tratada", "piel de vacuno".
  const kindOf = after[1]?.replace(/[.,;:!?]+$/, '');
  if (kind === 'material' && spanish && after[0] === 'de' && kindOf && /^[a-záéíóúñ]{3,}$/i.test(kindOf)) {
    right.splice(0, right.length, 'de', kindOf);
    const participle = after[2]?.replace(/[.,;:!?]+$/, '');
    if (
      kindOf === after[1] &&
      participle &&
      /^[a-záéíóúñ]+(?:ado|ada|ados|adas|ido|ida|idos|idas)$/i.test(participle)
    )
      right.push(participle);
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
    // Inside a longer point said at the same place (防风 of 防风罗纹), or the same words again.
    const inside = kept.find((other) => {
      const longer = foldForMatch(other.text);
      if (longer === folded) return true;
      return longer.includes(folded) && point.at >= other.at && point.at <= other.at + other.text.length;
    });
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
