import type { ProductCategory, ScriptLanguage } from './script-analysis.ts';
import { foldForMatch } from './script-text.ts';

/**
 * Products in a script: category nouns (what kind of product a paragraph talks about), the name a
 * segment gives its product, and matching names against a products catalog. Pure.
 */

const nouns = (list: string) => list.split('|').filter(Boolean);

/** Product nouns by category; Chinese by substring, English and Spanish as whole words. */
const CATEGORY_NOUNS: Record<Exclude<ProductCategory, 'other'>, { zh: string[]; latin: string[] }> = {
  apparel: {
    zh: nouns(
      '衬衫|T恤|卫衣|外套|夹克|大衣|羽绒服|风衣|毛衣|针织衫|开衫|阔腿裤|牛仔裤|打底裤|休闲裤|短裤|裤子|连衣裙|半身裙|裙子|睡衣|家居服|内衣|文胸|袜子|运动鞋|凉鞋|靴子|鞋|托特包|背包|手提包|双肩包|挎包|钱包|帽子|围巾|防晒衣|西装|马甲|旗袍|套装|童装|帆布包',
    ),
    latin: nouns(
      'shirt|tee|t-shirt|hoodie|sweater|jumper|jacket|coat|jeans|pants|trousers|leggings|shorts|dress|skirt|pajama|pajamas|pyjamas|sweatshirt|sneakers|sandals|boots|bag|tote|scarf|hat|cap|socks|blazer|cardigan|' +
        'camisa|camiseta|sudadera|jersey|chaqueta|abrigo|vaqueros|pantalón|pantalones|vestido|falda|pijama|sandalias|zapatillas|botas|bolso|mochila|bufanda|gorro|calcetines',
    ),
  },
  beauty: {
    zh: nouns(
      '精华液|精华|面霜|乳液|爽肤水|化妆水|面膜|防晒霜|防晒乳|口红|唇釉|唇膏|粉底液|粉底|气垫|眼影|睫毛膏|洗面奶|卸妆|香水|眼霜|身体乳|洗发水|护发素|彩妆|护肤|散粉|腮红',
    ),
    latin: nouns(
      'serum|cream|moisturizer|cleanser|toner|mask|sunscreen|lipstick|foundation|cushion|mascara|eyeshadow|perfume|lotion|shampoo|conditioner|balm|' +
        'sérum|crema|limpiador|tónico|mascarilla|protector solar|pintalabios|labial|maquillaje|perfume|champú',
    ),
  },
  food: {
    zh: nouns(
      '坚果|牛肉干|螺蛳粉|月饼|茶叶|龙井|红茶|绿茶|乌龙|普洱|咖啡|零食|饼干|巧克力|蜂蜜|大米|水果|牛奶|酸奶|面包|辣条|火锅|方便面|粽子|红枣|果干|大礼包|肉脯|腊肠|海鲜|燕窝',
    ),
    latin: nouns(
      'coffee|beans|tea|biscotti|cookies|chocolate|honey|snack|snacks|jerky|nuts|granola|wine|olive oil|' +
        'aceite|jamón|miel|turrón|polvorones|café|té|queso|vino|cesta',
    ),
  },
  electronics: {
    zh: nouns(
      '耳机|充电宝|手机|平板电脑|平板|笔记本电脑|电脑|智能手表|手表|音箱|运动相机|相机|充电器|数据线|键盘|鼠标|显示器|扫地机器人|吹风机|投影仪|路由器',
    ),
    latin: nouns(
      'earbuds|headphones|phone|smartphone|tablet|laptop|smartwatch|watch|speaker|camera|charger|cable|keyboard|mouse|monitor|vacuum|streaming stick|projector|router|' +
        'auriculares|móvil|tableta|portátil|reloj|altavoz|cámara|cargador',
    ),
  },
};

const LETTER = 'A-Za-zÀ-ÖØ-öø-ÿ';
const latinNounPatterns = new Map<string, RegExp>();
/** One pattern per category: its nouns as whole words (plural allowed), longest first. */
function latinPattern(category: string, list: readonly string[]): RegExp {
  let pattern = latinNounPatterns.get(category);
  if (!pattern) {
    const alternatives = [...list].sort((a, b) => b.length - a.length).join('|');
    pattern = new RegExp(`(?<![${LETTER}-])(?:${alternatives})(?:e?s)?(?![${LETTER}])`, 'gi');
    latinNounPatterns.set(category, pattern);
  }
  return pattern;
}

/** The product nouns a text mentions, with their category, in order of first mention. */
export function productNounsIn(text: string): Array<{ noun: string; category: ProductCategory; at: number }> {
  const found: Array<{ noun: string; category: ProductCategory; at: number }> = [];
  for (const [category, lists] of Object.entries(CATEGORY_NOUNS) as Array<
    [ProductCategory, { zh: string[]; latin: string[] }]
  >) {
    for (const noun of lists.zh) {
      const at = text.indexOf(noun);
      if (
        at >= 0 &&
        !found.some(
          (other) => other.noun.includes(noun) && other.at <= at && at < other.at + other.noun.length,
        )
      )
        found.push({ noun, category, at });
    }
    const seen = new Set<string>();
    for (const match of text.matchAll(latinPattern(category, lists.latin))) {
      const noun = match[0].toLowerCase();
      if (seen.has(noun)) continue;
      seen.add(noun);
      found.push({ noun, category, at: match.index });
    }
  }
  return found.sort((a, b) => a.at - b.at);
}

/** The category most of a text's product nouns belong to; `other` when it names none. */
export function categoryOf(text: string): ProductCategory {
  const counts = new Map<ProductCategory, number>();
  for (const { category } of productNounsIn(text)) counts.set(category, (counts.get(category) ?? 0) + 1);
  let best: ProductCategory = 'other';
  for (const [category, count] of counts) if (count > (counts.get(best) ?? 0)) best = category;
  return best;
}

const ZH_LEAD_FILLER =
  /^(?:[,，、:：\s]|第[一二三四五六七八九十\d]+[款个件样号套瓶支]|接下来|下面|最后一[款个件瓶支套]|然后|首先|是|就是|这[件款个瓶套支条双盒罐台只]|那[件款个]|我们家?的?|今天的?|给大家带来的?|大家看|来看|看|一[款件个])+/;
/** Whole words only: "MINI PUMP" is no "mi" + "NI PUMP", "Theater lamp" no "the" + "ater lamp". */
const LATIN_LEAD_FILLER =
  /^(?:[:,\s]|(?:our|the|this|these|those|a|an|my|new|el|la|los|las|un|una|nuestro|nuestra|nuestros|nuestras|mi|with|con)\b)\s*/i;
const NOT_A_NAME =
  /^(?:i|we|you|let|it|here|so|yo|nosotros|vamos|我|大家|各位|我们|给大家|现在|今天|主播|宝宝|家人们)\b|^(?:我|大家|各位|给大家|现在|今天|主播)|^(?:福利|宠粉|抽奖|秒杀|互动|彩蛋|惊喜)(?:时间|环节|时刻)?$/i;
/** A lead clause that only counts ("第一个", "最后一款", "number two"): the name is in the next clause. */
const ORDINAL_ONLY =
  /^(?:接下来|然后|再来|好)?(?:是)?(?:第[一二三四五六七八九十\d]+[款个件样号套瓶支]|最后一[款个件瓶支套]|下一[款个件])$|^(?:number|product|item|producto)\s*(?:\d+|one|two|three|four|five|uno|dos|tres)$/i;

/**
 * The product a segment names in its header or the sentence after its marker: "这件亚麻衬衫,…" →
 * 亚麻衬衫, "the oversized denim jacket." → oversized denim jacket, "el vestido midi de lino" →
 * vestido midi de lino; in a Chinese description, the words after the last 的 (我们家卖了三年的爆款羽绒服
 * → 爆款羽绒服). Null when the lead does not read as a product name.
 */
export function productNameFromLead(lead: string, language: ScriptLanguage): string | null {
  const clauses = lead.split(/[,，。!！?？;；\n]|\.(?:\s|$)/).map((clause) => clause.trim());
  const firstClause = (ORDINAL_ONLY.test(clauses[0] ?? '') ? clauses[1] : clauses[0]) ?? '';
  if (!firstClause) return null;
  if (/\p{Script=Han}/u.test(firstClause) && language !== 'es') {
    let name = firstClause.replace(ZH_LEAD_FILLER, '');
    const afterOf = name.lastIndexOf('的');
    if (afterOf >= 0 && afterOf < name.length - 1) name = name.slice(afterOf + 1);
    name = name.trim();
    if (name.length < 2 || NOT_A_NAME.test(name)) return null;
    return name.slice(0, 24);
  }
  let name = firstClause;
  for (let round = 0; round < 3; round++) name = name.replace(LATIN_LEAD_FILLER, '');
  name = name.replace(/[.!?¡¿"“”]+$/g, '').trim();
  if (!name || NOT_A_NAME.test(name)) return null;
  const words = name.split(/\s+/);
  if (words.length > 7) return productNounsIn(name).length > 0 ? words.slice(0, 7).join(' ') : null;
  return name;
}

/**
 * The product a header names when its words are not in the category lists ("[7:35] Pearl pendant",
 * "20:05 第一款 冻干双拼猫粮"): the header's name, when the segment's body talks about it (its last
 * word, or last two characters, comes back). Null otherwise ("## Q&A", "【20:00】¡Feliz Navidad!").
 */
export function productNameFromHeader(label: string, body: string, language: ScriptLanguage): string | null {
  // A bilingual header ("腰包 Running belt"): each language's name on its own, the first the body names.
  const halves =
    /^(\p{Script=Han}[^A-Za-z]*?)\s+([A-Za-z][^\p{Script=Han}]*)$|^([A-Za-z][^\p{Script=Han}]*?)\s+(\p{Script=Han}.*)$/u.exec(
      label.trim(),
    );
  if (halves) {
    for (const half of halves.slice(1).filter(Boolean)) {
      const name = productNameFromHeader(half!, body, language);
      if (name) return name;
    }
    return null;
  }
  const name = productNameFromLead(label, language);
  if (!name) return null;
  const han = /\p{Script=Han}/u.test(name);
  if (han ? name.length > 12 : name.split(/\s+/).length > 6) return null;
  const tail = han ? name.slice(-2) : (name.split(/\s+/).at(-1) ?? '');
  const stem = foldForMatch(tail).replace(/e?s$/, '');
  return stem.length >= 2 && foldForMatch(body).includes(stem) ? name : null;
}

/** A product named by the first product noun of a text, with up to three words (or characters) before it. */
export function productNameFromNouns(text: string): string | null {
  const first = productNounsIn(text)[0];
  if (!first) return null;
  const before = text.slice(0, first.at);
  if (/[\p{Script=Han}]/u.test(first.noun)) {
    const modifier = /[\u4e00-\u9fff]{0,4}$/u.exec(before)?.[0] ?? '';
    const cleaned = modifier.replace(/^.*(?:的|是|这[件款个瓶套支条双盒罐台只]|一[款件个盒罐])/, '');
    return `${cleaned}${first.noun}`.slice(-12);
  }
  const words = before.trimEnd().split(/\s+/).slice(-3);
  const kept: string[] = [];
  for (const word of words.reverse()) {
    if (
      /^(?:the|a|an|our|this|these|el|la|los|las|un|una|de|del|with|con|and|y|is|es|[.,!?:;]+)$/i.test(
        word,
      ) ||
      /[.,!?:;]$/.test(word)
    )
      break;
    kept.unshift(word);
  }
  return [...kept, first.noun].join(' ');
}

export interface CatalogProduct {
  sku: string;
  name: string;
  category?: string | null;
}

/**
 * The catalog product a segment is about: its name inside the segment's text or its named product
 * (folded: case, spaces and punctuation ignored), else the one sharing most of its words or
 * character pairs (at least half). Null when none is close.
 */
export function matchCatalog(
  named: string | null,
  text: string,
  catalog: readonly CatalogProduct[],
): CatalogProduct | null {
  const foldedText = foldForMatch(text);
  const foldedName = named ? foldForMatch(named) : '';
  let best: { product: CatalogProduct; score: number } | null = null;
  for (const product of catalog) {
    const foldedProduct = foldForMatch(product.name);
    if (!foldedProduct) continue;
    let score = 0;
    if (foldedText.includes(foldedProduct)) score = 1 + foldedProduct.length / 100;
    else if (foldedName && (foldedProduct.includes(foldedName) || foldedName.includes(foldedProduct)))
      score = 1;
    else if (foldedName) score = similarity(foldedName, foldedProduct);
    if (score >= 0.5 && (!best || score > best.score)) best = { product, score };
  }
  return best?.product ?? null;
}

/** Dice similarity of character pairs: 亚麻衬衫 vs 亚麻短袖衬衫 share 亚麻, 衬衫. */
function similarity(a: string, b: string): number {
  const pairs = (text: string) => {
    const list: string[] = [];
    for (let index = 0; index < text.length - 1; index++) list.push(text.slice(index, index + 2));
    return list;
  };
  const left = pairs(a);
  const right = pairs(b);
  if (left.length === 0 || right.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const pair of right) counts.set(pair, (counts.get(pair) ?? 0) + 1);
  let shared = 0;
  for (const pair of left) {
    const count = counts.get(pair) ?? 0;
    if (count > 0) {
      shared++;
      counts.set(pair, count - 1);
    }
  }
  return (2 * shared) / (left.length + right.length);
}
