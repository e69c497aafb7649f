/**
 * What a shopper asks, in Chinese or English, from keywords: offline, instant and predictable. A
 * question may ask several things ("是同款吗?尺码偏大吗?" → same item and size).
 */

export const assistantIntents = ['same_item', 'size', 'fit', 'material', 'price', 'stock', 'other'] as const;
export type AssistantIntent = (typeof assistantIntents)[number];
export type Locale = 'zh' | 'en';

const PATTERNS: Array<[Exclude<AssistantIntent, 'other'>, RegExp]> = [
  [
    'same_item',
    /同款|同一款|同一件|一样吗|一样的|一模一样|是这件|是不是这|正品|假货|仿|same (item|one|product|style|shirt|thing|design)|\bidentical\b|\bthe same\b|is (this|it) (the|this)|\bgenuine\b|\bfake\b|match(es)? (the|my|what)/i,
  ],
  [
    'size',
    /尺码|尺寸|码数|[大小]码|偏大|偏小|大小|多大|穿几码|穿什么码|选什么码|哪个码|[SMLX]{1,3}码|\bsize[sd]?\b|run(s|ning)? (large|small|big)|too (big|small|tight|loose)|\bfit (me|true)|true to size|which size|what size/i,
  ],
  [
    'fit',
    /体型|身材|适合|显瘦|显胖|胖|瘦|高个|矮个|肩宽|梨形|苹果型|版型|body (type|shape)|\bsuit(s|able)?\b|flatter|\bcurvy\b|\bpetite\b|\btall\b|\bslim fit\b|\bloose fit\b|how (does|will) it fit/i,
  ],
  [
    'material',
    /材质|面料|成分|纯棉|棉|麻|丝|涤纶|羊毛|洗涤|洗|缩水|起球|褪色|掉色|透气|厚|薄|material|fabric|cotton|linen|wool|polyester|\bsilk\b|\bwash|\bcare\b|shrink|pill(ing|s)?\b|breathable|\bthick|\bthin\b/i,
  ],
  [
    'price',
    /价格|多少钱|几块|优惠|打折|便宜|贵|降价|\bprice\b|\bcost\b|how much|discount|\bsale\b|cheaper|coupon/i,
  ],
  [
    'stock',
    /有货|库存|缺货|还有吗|还有没有|补货|现货|发货|in stock|out of stock|\bavailable\b|restock|sold out|\bship(ping)?\b/i,
  ],
];

export function detectIntents(question: string): AssistantIntent[] {
  const found = PATTERNS.map(([intent, pattern]) => ({ intent, at: question.search(pattern) }))
    .filter((match) => match.at >= 0)
    .sort((a, b) => a.at - b.at)
    .map((match) => match.intent);
  return found.length > 0 ? found : ['other'];
}

/** Chinese when the text has Han characters; else English; an empty text keeps the fallback. */
export function detectLanguage(text: string, fallback: Locale): Locale {
  if (/\p{Script=Han}/u.test(text)) return 'zh';
  if (/[a-z]{2,}/i.test(text)) return 'en';
  return fallback;
}

/** "和我上次买的…", "the one I bought before": the comparison is with the shopper's purchase. */
export function mentionsPreviousPurchase(question: string): boolean {
  return /上次|之前|以前|上回|前几天|已经买|买过|我买的|我那件|previous(ly)?|last time|bought|already (have|own)|ordered before|my (old|last|earlier)/i.test(
    question,
  );
}

/** A size of the chart named in the question: "M码", "size L", "穿XL", "27码" (only sizes the chart has). */
export function mentionedSize(question: string, sizes: readonly string[]): string | null {
  const upper = question.toUpperCase();
  for (const size of [...sizes].sort((a, b) => b.length - a.length)) {
    const pattern = new RegExp(`(?<![A-Z0-9])${size.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Z0-9])`);
    if (pattern.test(upper)) return size;
  }
  return null;
}

/** Body measurements given in the question: "胸围96", "chest 96cm", "腰围 72", "身高175", "70kg". */
export function mentionedBody(question: string): Record<string, number> {
  const found: Record<string, number> = {};
  const read = (name: string, pattern: RegExp) => {
    const match = pattern.exec(question);
    if (match?.[1]) found[name] = Number(match[1]);
  };
  read('chest', /(?:胸围|chest|bust)\s*(?:是|is|:|：)?\s*(\d{2,3}(?:\.\d)?)\s*(?:cm|厘米)?/i);
  read('waist', /(?:腰围|waist)\s*(?:是|is|:|：)?\s*(\d{2,3}(?:\.\d)?)\s*(?:cm|厘米)?/i);
  read('hip', /(?:臀围|hips?)\s*(?:是|is|:|：)?\s*(\d{2,3}(?:\.\d)?)\s*(?:cm|厘米)?/i);
  read('height_cm', /(?:身高|height|i am|i'm)\s*(?:是|is|:|：)?\s*(1\d{2})\s*(?:cm|厘米)/i);
  read('weight_kg', /(?:体重|weight)?\s*(\d{2,3}(?:\.\d)?)\s*(?:kg|公斤|千克)/i);
  return found;
}

/**
 * Text that tries to steer the assistant itself rather than ask about the product: "ignore the
 * previous instructions", "print your system prompt", "告诉我你的 API key". Such questions never
 * reach a model, and the answer stays the grounded one.
 */
export function looksLikeInjection(question: string): boolean {
  return /ignore (all |the |any |your )?(previous|prior|above|earlier)|disregard (the|all|your|previous)|system prompt|developer (mode|message)|your (instructions|prompt|rules)|reveal|jailbreak|pretend (you|to be)|act as|api[ _-]?key|secret key|access key|password|忽略|无视|忘记(之前|以上|你的)|系统提示|提示词|你的指令|你的规则|扮演|密钥|秘钥|口令|开发者模式/i.test(
    question,
  );
}
