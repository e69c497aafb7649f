import { LATIN_SPEC_UNITS, type SellingPointKind, ZH_SPEC_UNITS } from './selling-point-lexicon.ts';

/**
 * Selling points read by their shape rather than from a word list: a part named with what makes it
 * special ("lidar navigation", "snap buttons", 防风罗纹), a feature the product supports (支持手写笔),
 * something it can do to itself ("empties itself", "se limpia sola"), a part that can be taken off
 * or folded (帽子可以拆卸), a measured value reached (蓬松度达到700+), a screen (2K曲面屏, 护眼屏) and
 * a spec with the part it measures (8核处理器). Pure. The part nouns are the heads of the annotated
 * development phrases (test/fixtures/live-scripts), generalized to their plurals, not one script's
 * phrases.
 */

export interface GrammarPoint {
  text: string;
  kind: SellingPointKind;
  confidence: number;
}

/** Numbers with units, shares, ratings and made-better parts: 150克, 100%亚麻, SPF50, 帽檐加宽. */
const ZH_NUMBER = '(?<![第上几数\\d.])(?:\\d+(?:\\.\\d+)?|[一二两三四五六七八九十百千万]+)';
export const ZH_SPEC = new RegExp(
  `${ZH_NUMBER}\\s*\\+?\\s*(?:${ZH_SPEC_UNITS})(?:[\\u4e00-\\u9fff]{0,2}(?=[,，。!！、\\s]|$))?`,
  'g',
);
export const PERCENT_MATERIAL = /\d+(?:\.\d+)?\s*%\s*(?!以上|以下|左右|的)[\u4e00-\u9fff]{1,4}/g;
export const MEASURED_PERCENT = /[\u4e00-\u9fff]{1,6}(?:含量|率|达到|高达|超过)\s*\d+(?:\.\d+)?\s*%/g;
export const RATINGS =
  /\b(?:SPF\s*\d+\+?|PA\s*\+{1,4}|UPF\s*\d+\+?|IPX?\s*\d{1,2}|Bluetooth\s*\d\.\d|Wi-?Fi\s*\d|\d+K(?:\s*\d+\s*fps)?|\d+\s*Hz|USB-C|Type-C|5G|A?MOLED|OLED|HDR10\+?|Dolby\s+Vision|\d+-in-\d|(?:EN|ISO|ASTM|CE|FDA|UL|CPSIA)\s?\d{2,5}(?:-\d+)?)(?![\w])|(?:PA\s*\+{1,4})|蓝牙\s*\d\.\d|\d+\s*Hz\s*高刷|(?:骁龙|天玑)\s*\d+[\u4e00-\u9fff]{0,3}|\d+(?:\.\d+)?\s*(?:英寸|寸)/g;
/** 帽檐加宽 (a part made bigger) and 加厚绒 (a made-thicker material); not 克的加厚 or 加厚的. */
export const ZH_UPGRADE =
  /(?:(?![的是有了也都和])[\u4e00-\u9fff]){1,3}(?:加宽|加厚|加长|加大|加固)|(?<![\u4e00-\u9fff]{2}[的了])加[厚宽长粗](?![的了是])[\u4e00-\u9fff]{1,2}(?=[,，。!！、\s]|$)|手工[\u4e00-\u9fff]{1,2}/g;
/** Craft, testing and certification: 烫金工艺, 农残检测, 低蓝光认证, 活性印染. */
export const ZH_PROOF = /(?:(?![做过的了是有])[\u4e00-\u9fff]){1,4}(?:工艺|检测|认证|专利|技术|印染)/g;
/** Flavour and scent notes: 豆香, 兰花香, 奶香 (not 香水, 香精). */
export const ZH_NOTE = /(?:(?![的和有])[\u4e00-\u9fff]){1,2}香(?![水精味])/g;

const LATIN_NUMBER =
  '(?:[-−]?\\d[\\d,]*(?:\\.\\d+)?|half\\s+an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|dos|tres|cuatro|cinco|seis|ocho|diez|doce|veinte|treinta)';
export const LATIN_SPEC = new RegExp(
  `\\b${LATIN_NUMBER}(?:\\s*|-)(?:${LATIN_SPEC_UNITS})\\b(?:\\s+(?:suction|display|screen|denim|battery|potencia))?|\\b\\d+(?:[.,]\\d+)?\\s*%\\s+(?:de\\s+)?[a-záéíóúñ]+(?:\\s+(?:wool|cotton|arabica|orgánico|ibérico|merino))?|\\b\\d+\\s*%\\s+[a-z]+\\b|\\b(?:waterproof|water[- ]resistant|sumergible|resistente al agua)\\s+(?:to|up to|hasta)\\s+[\\d,]+\\s*(?:m|mm|meters|metros|ft)\\b|\\b(?:tin|pack|box|bag|set)\\s+of\\s+\\d+\\b|\\b(?:acidez|acidity)\\s+(?:de\\s+)?[\\d,.]+\\s*%|\\b\\d+(?:[.,]\\d+)?\\s*(?:points|puntos)\\b`,
  'gi',
);
/** "Lana merino 100%", "chocolate negro al 70%": a material with its share after it. */
export const LATIN_SHARE_AFTER =
  /\b(?:[a-záéíóúñ]+\s+){1,3}(?:al\s+)?\d+(?:[.,]\d+)?\s*%(?!\s*(?:off|de\s+descuento|dto|descuento))/gi;
/** A benefit said as a verb and what it acts on: "brightens dull skin", "hidrata en profundidad". */
export const LATIN_BENEFIT_VERB =
  /\b(?:supports?|replaces|grips|prevents|brightens|fades|hydrates|protects?|reduces|smooths|softens|boosts|repairs|soothes|regulates|evens|plumps|firms|cleanses|removes|blocks|absorbs|keeps|holds?(?=\s+(?:their|its|your)\s+shape)|fits|tracks|maps|charges|hidrata|reduce|unifica|rellena|ilumina|protege|suaviza|nutre|repara|calma|regula|mantiene|elimina|absorbe|combate|previene|se\s+absorbe|estiliza)\b(?:\s+(?!and\b|y\b|so\b|but\b|pero\b|que\b|while\b)[A-Za-zÀ-ÖØ-öø-ÿ\d-]+){1,3}/gi;
/** A past participle with how it was made: "cortado a cuchillo", "roasted in small batches". */
export const LATIN_MADE =
  /\b(?:(?!(?:el|la|los|las|un|una|es|y|con)\s)[A-Za-zÀ-ÖØ-öø-ÿ]+\s+)?[A-Za-zÀ-ÖØ-öø-ÿ]+(?:ado|ada|ados|adas|ido|ida|idos|idas)\s+(?:a|al|en|de|por)\s+(?:la\s+|el\s+|forma\s+)?[A-Za-zÀ-ÖØ-öø-ÿ]+|\b(?:roasted|baked|made|crafted|cured|aged|grown|harvested|sewn|built|tested)\s+(?:in|with|by|from|for)\s+(?:small\s+|real\s+|whole\s+)?[A-Za-zÀ-ÖØ-öø-ÿ-]+(?:\s+[A-Za-zÀ-ÖØ-öø-ÿ-]+)?/gi;

/** A range with its unit: "from 16 to 18 inches", "5-10 kg", "de 3 a 6 años". */
export const LATIN_RANGE = new RegExp(
  `\\b(?:from\\s+|de\\s+)?\\d+(?:[.,]\\d+)?\\s*(?:to|-|–|a)\\s*\\d+(?:[.,]\\d+)?\\s*(?:${LATIN_SPEC_UNITS})\\b`,
  'gi',
);
/** Sizes of two or three sides: "183 by 68 cm", "55 x 40 x 20 cm", "100 x 50 cm". */
const LATIN_DIMENSIONS = new RegExp(
  `\\b\\d+(?:[.,]\\d+)?(?:\\s*(?:x|×|by|por)\\s*\\d+(?:[.,]\\d+)?){1,2}\\s*(?:${LATIN_SPEC_UNITS})\\b`,
  'gi',
);
/** A measure with the side it measures: "6 mm thick", "2 m long", "3 cm de grosor". */
const LATIN_MEASURED = new RegExp(
  `\\b\\d+(?:[.,]\\d+)?\\s*(?:${LATIN_SPEC_UNITS})\\s+(?:thick|thin|long|wide|tall|deep|high|across|de\\s+(?:largo|ancho|alto|grosor|espesor|diámetro|profundidad))\\b`,
  'gi',
);
/** A bound on a measure: "up to 30%", "under five minutes", "menos de 1 kg", "hasta 2 cm". */
const LATIN_BOUNDED = new RegExp(
  `\\b(?:up\\s+to|under|less\\s+than|more\\s+than|over|at\\s+least|as\\s+little\\s+as|menos\\s+de|más\\s+de|hasta|al\\s+menos|por\\s+debajo\\s+de)\\s+${LATIN_NUMBER}\\s*(?:%|(?:${LATIN_SPEC_UNITS})\\b)`,
  'gi',
);
/** A count of kinds with what they are of: "7 modos de riego", "12 settings of grind". */
const LATIN_COUNTED_KINDS =
  /\b\d+\s+(?:modes|modos|settings|levels|niveles|speeds|velocidades|programs|programas|functions|funciones)\s+(?:de|of)\s+[a-záéíóúñ]{3,}/gi;

/** A size or age range said as one: 尺码从73到130, 适合身高100-150. */
const ZH_RANGE = new RegExp(
  `(?<=(?:尺码|码数|尺寸|身高|体重|适合|适用)[^\\d,，。]{0,3})\\d+\\s*(?:到|至|~|-)\\s*\\d+\\s*(?:${ZH_SPEC_UNITS})?`,
  'g',
);

/** Han characters that end a modifier run: particles, verbs of having and being, demonstratives. */
const ZH_NOT_MODIFIER = '有是的了在也都和与把就这那个款件用做还很超更最给让能会可以';
const zhModifier = (most: number) => `(?:(?![${ZH_NOT_MODIFIER}])[\\u4e00-\\u9fffA-Za-z0-9]){1,${most}}`;

/** A difference or span with its unit, said with or without a comparison: 低3到5度, 5到10公斤. */
const ZH_SPAN = new RegExp(
  `(?:[低高快慢多少轻重降升][了]?)?(?<![\\d.])\\d+(?:\\.\\d+)?\\s*(?:到|至|~|-)\\s*\\d+(?:\\.\\d+)?\\s*(?:${ZH_SPEC_UNITS})`,
  'g',
);
/** A yarn count: 60支长绒棉, 80支的纱线 (支 after a number and before the yarn; 两支口红 is a count). */
const ZH_YARN = /(?<![\d.])\d{2,3}\s*支(?=[的纱棉长精])/g;

/** Parts of a garment, a bag or a device that a modifier makes a feature: 防风罗纹, 皮革包角, 磁吸管身. */
const ZH_PART = new RegExp(
  `${zhModifier(3)}(?:罗纹|管身|隔层|夹层|包角|卷边|拉链|涂层|内胆|手柄|把手|视窗|导航)`,
  'g',
);
/**
 * Parts named by a longer run of modifiers (materials and makings stack up in Chinese): 3D立体导流层,
 * 高分子吸收颗粒, 弹力腰贴, 加厚珍珠纹面料, 防漏硅胶圈.
 */
const ZH_LONG_PART = new RegExp(
  `${zhModifier(6)}(?:导流层|吸收层|颗粒|腰贴|硅胶圈|密封圈|密封盖|面料|纹理)`,
  'g',
);
/** What the product does by itself or in one: 自动集尘, 自动规划路线, 扫拖一体. */
const ZH_AUTOMATIC =
  /自动(?:(?![的了,，])[\u4e00-\u9fff]){2,4}(?=[,，。!！、\s]|$)|[\u4e00-\u9fff]{2}一体(?:机|化)?/g;
/** A benefit said as a verb and its object: 锁住肉汁, 减少口臭, 清洁牙齿, 养肠胃, 托住颈椎. */
const ZH_BENEFIT_VERB =
  /(?:托住|支撑|贴合|锁住|留住|减少|降低|改善|清洁|养护|呵护|保护|缓解|预防|促进|提升|养|护)(?:(?![的了和与,，])[\u4e00-\u9fff]){2,3}(?=[,，。!！、、\s]|$)/g;
/** Two-sided and growing benefits: 外焦里嫩, 外酥里嫩, 越用越不粘. */
const ZH_PAIRED =
  /外[\u4e00-\u9fff]里[\u4e00-\u9fff]|越[\u4e00-\u9fff]越[\u4e00-\u9fff]{1,3}(?=[,，。!！、\s]|$)/g;
/** Less, fewer, saved by a share: 少油80%, 省电30%. */
const ZH_SHARE_LESS = /(?:少|省|降低|减少|节省|提升|提高)[\u4e00-\u9fff]{0,3}\d+(?:\.\d+)?\s*%/g;
/** Counts that measure: 每分钟42000次震动 (two digits or more: 三次 is how people talk). */
const ZH_TIMES = /\d{2,}\s*次(?:[\u4e00-\u9fff]{1,2}(?=[,，。!！、\s]|$))?/g;
/** Lasting, zero and free-of: 耐咬, 零粉尘, 无谷配方, 独立小包装, VG10钢. */
const ZH_DURABLE =
  /耐(?:咬|用|高温|寒|热|摔|刮|腐蚀|磨损)|零(?!下|点|钱|食|售|元|花)[\u4e00-\u9fff]{2}(?=[,，。!！、\s]|$)|无[\u4e00-\u9fff]{1,2}配方|独立[\u4e00-\u9fff]{0,2}包装|[A-Za-z0-9]{2,6}钢|[\u4e00-\u9fff]{1,3}纤维/g;
/** A feature the product supports: 支持手写笔, 支持无线充. */
const ZH_SUPPORTS = new RegExp(`(?<=支持)${zhModifier(8)}(?=[,，。!！、;；\\s]|$)`, 'g');
/** A part that can be taken off, washed, folded or adjusted: 帽子可以拆卸, 可拆洗, 能水洗. */
const ZH_CAN =
  /(?:(?![有是的了也都还])[\u4e00-\u9fff]){0,3}(?:可以?|能)(?:单独)?(?:拆卸|拆洗|拆下来洗|水洗|机洗|折叠|调节|伸缩|旋转|替换)/g;
/** A measured value reached: 蓬松度达到700+, 跑分突破200万, 含量高达98%. */
const ZH_REACHED =
  /[\u4e00-\u9fff]{1,6}(?:达到|高达|超过|突破|可达)\s*\d+(?:\.\d+)?\s*(?:%|\+|万|倍)?(?:[\u4e00-\u9fff](?=[,，。!！、\s]|$))?/g;
/** A screen by its kind: 2K曲面屏, 护眼屏, 全面屏 (not 屏幕 alone, not the 寸 of 11英寸). */
const ZH_SCREEN = /(?:\d+(?:\.\d+)?[KkＫ])?(?:(?![寸的是了有和与这那个])[\u4e00-\u9fff]){1,3}屏(?!幕)/g;
/** A number and unit with the part it measures: 8核处理器, 5000毫安电池, 6400万像素主摄. */
const ZH_MEASURED_PART =
  /(?<![\d.])\d+(?:\.\d+)?\s*(?:核|毫安|mAh|万像素|像素|瓦|W|Hz|寸|英寸|G|GB|TB)\s*(?:处理器|芯片|电池|主摄|镜头|摄像头|快充|电机|马达|内存|存储)/g;
/** A grade of material: 食品级硅胶, 母婴级, 医用级. */
const ZH_GRADE = /(?:食品|母婴|医用|医疗|军工|航空|婴儿)级(?:[\u4e00-\u9fff]{1,3}(?=[,，。!！、\s]|$))?/g;

/** A part the product has: 袖口有拇指扣, 带防尘袋, 带密封盖, 带刻度 (after 有/带/配, so not 赶紧扣1). */
const ZH_HAS_PART =
  /(?<=[有带配])(?:(?:(?![的是了个一])[\u4e00-\u9fff]){1,3}[扣袋兜绳钩环盖]|刻度)(?![\d一二三四五六七八九十])/g;
/**
 * A quality said with its degree: 吸收特别快, 透气性特别好, 上色非常稳 (two or three characters of what, then
 * 特别/非常/超/很 and a quality; not 大家特别喜欢, not 今天特别好).
 */
const ZH_DEGREE =
  /(?!大家|我们|你们|他们|今天|真的|这个|这款|价格|东西|感觉)[\u4e00-\u9fff]{2,3}(?:特别|非常|超级|超|很)(?:快|好|强|稳|软|轻|薄|滑|亮|细|密|足|匀)(?=[,，。!！、\s]|$)/g;

/** Chinese selling points by shape. */
/** A range of garment sizes: "XS to XXL", "S到3XL", "de la S a la XL" (S, M, L, XL, XXL, 3XL…). */
const SIZE = String.raw`(?:[2-5]?X{0,3}[SL]|M)`;
export const SIZE_RANGE = new RegExp(
  `(?<![A-Za-z0-9])${SIZE}\\s*(?:to|a(?:\\s+la)?|-|–|到|至)\\s*(?:la\\s+)?${SIZE}(?![A-Za-z0-9])`,
  'g',
);
/** 零糖零卡, 零脂零蔗糖: what a food leaves out, said as a run of 零s. */
const ZH_ZEROS = /零[\u4e00-\u9fff](?:零[\u4e00-\u9fff])+/g;
/** Two ways to use it: 可以泡也可以煮, 能蒸也能烤. */
const ZH_EITHER_WAY = /(?:可以|能)[\u4e00-\u9fff]{1,3}也(?:可以|能)[\u4e00-\u9fff]{1,3}/g;

/** The variants a product comes in, named: 有桃子乌龙和白桃茉莉两个口味, 有奶白、雾蓝三种颜色. */
const ZH_VARIANTS =
  /有([\u4e00-\u9fff]{2,6}(?:[、和跟与][\u4e00-\u9fff]{2,6})+)(?:[两二三四五六七八九十\d]+\s*[个种款])(?:口味|颜色|色|味道|香型|款式|花色)/g;

export function chineseGrammar(clause: string): GrammarPoint[] {
  const found: GrammarPoint[] = [];
  const add = (pattern: RegExp, kind: SellingPointKind, confidence: number) => {
    for (const match of clause.matchAll(pattern))
      if (match[0].trim()) found.push({ text: match[0].trim(), kind, confidence });
  };
  add(ZH_MEASURED_PART, 'spec', 0.95);
  add(ZH_RANGE, 'spec', 0.9);
  add(ZH_REACHED, 'spec', 0.9);
  add(ZH_SCREEN, 'spec', 0.85);
  add(ZH_GRADE, 'material', 0.9);
  add(ZH_PART, 'function', 0.75);
  add(ZH_AUTOMATIC, 'function', 0.8);
  add(ZH_BENEFIT_VERB, 'benefit', 0.7);
  add(ZH_PAIRED, 'benefit', 0.75);
  add(ZH_SHARE_LESS, 'spec', 0.9);
  add(ZH_TIMES, 'spec', 0.85);
  add(ZH_DURABLE, 'material', 0.8);
  add(ZH_SUPPORTS, 'function', 0.75);
  add(ZH_CAN, 'function', 0.75);
  add(ZH_HAS_PART, 'function', 0.75);
  add(ZH_SPAN, 'spec', 0.9);
  add(ZH_YARN, 'spec', 0.9);
  add(ZH_LONG_PART, 'function', 0.7);
  add(ZH_DEGREE, 'benefit', 0.7);
  add(ZH_ZEROS, 'benefit', 0.8);
  add(ZH_EITHER_WAY, 'function', 0.75);
  add(SIZE_RANGE, 'spec', 0.85);
  for (const match of clause.matchAll(ZH_VARIANTS))
    for (const variant of match[1]!.split(/[、和跟与]/))
      found.push({ text: variant, kind: 'benefit', confidence: 0.75 });
  return found;
}

/**
 * English part nouns that a modifier before them makes a feature ("wide waistband", "corduroy
 * collar", "lidar navigation", "memory-foam ear cushions", "safety standards").
 */
const EN_PART_NOUNS =
  'waistbands?|collars?|mists?|grips?|bags?|pouch(?:es)?|trays?|bands?|lines|pockets?|handles?|navigation|cushions?|buttons?|standards?|cases?|cables?|valves?|pitchers?|filters?|jars?|remotes?|suction|textures?|linings?|soles?|insoles?|straps?|zippers?|zips?|hoods?|cuffs?|seams?|stitching|closures?|coating|finish|plating|sensors?|lens(?:es)?|motors?|batter(?:y|ies)|modes?|clasps?|displays?|screens?|speakers?|microphones?|mics?|drivers?|chips?|processors?|frames?|blades?|bristles?|nozzles?';
/** Words that are not a part's modifier: articles, pronouns, verbs of being and having, adverbs. */
const EN_NOT_MODIFIER =
  /^(?:and|or|with|it's|it’s|it|its|is|are|was|has|have|had|a|an|the|our|your|my|their|his|her|so|to|of|for|in|on|at|by|from|this|that|these|those|every|each|all|very|just|only|also|get|gets|got|keep|keeps|you|we|they|i|comes|come|plus|into|out|up|off|no|not|new|more|most|really|super|totally|even|there|here|which|who|what|how|when|while|but|if|than|then|too|as|be|been|being|can|will|would|one|lots|some|any)$/i;
const EN_PART = new RegExp(`\\b(${EN_PART_NOUNS})\\b`, 'gi');

/** Spanish part nouns, said first and described after: "bolsillos laterales", "suela antideslizante". */
const ES_PART =
  /\b(?:bordes|luces|bolsillos?|suelas?|plantillas?|texturas?|envases?|cremalleras?|capuchas?|forros?|asas?|correas?|botones|cierres?|costuras?|tiradores?|mangos?|hojas?|cuchillas?|filtros?|cables?|pantallas?|baterías?|sensores?)\s+(?!de\b|del\b|y\b|con\b|para\b|que\b|en\b|es\b|son\b|los\b|las\b)[a-záéíóúñ]{3,}/gi;

/** Something the product does to itself: "empties itself", "cleans itself", "se limpia sola". */
const SELF_ACTING =
  /\b[a-z]+s\s+(?:itself|themselves)\b|\bse\s+(?!pueden?\b|puede\b|lo\b|la\b)[a-záéíóúñ]+\s+(?:solos?|solas?)\b/gi;

/** Made a way, in one hyphenated word: "twice-baked", "cold-pressed", "hand-stitched", "slow-roasted". */
const CRAFTED =
  /\b[a-z]+-(?:baked|roasted|brewed|aged|dried|pressed|made|sewn|stitched|woven|knit|cut|sealed|tested|washed|brushed|forged|blown|poured|picked|harvested|smoked|cured)\b/gi;
/** Tasting notes: "notes of jasmine, lemon and honey", "notas de hierba recién cortada y…". */
const NOTES = /\b(?:notes?|hints?|notas?|toques?)\s+(?:of|de)\s+([^.;:!?]+)/gi;
/**
 * A scent or taste told as it unfolds: "opens with bergamot and settles into cedarwood and
 * vanilla", "abre con limón y termina en vainilla"; each stage ends where the next begins.
 */
const UNFOLDING =
  /\b(?:opens|starts|settles|dries\s+down|finishes|ends|abre|empieza|termina|evoluciona)\s+(?:with|into|on|to|con|en|hacia)\s+((?:(?!,?\s+(?:and\s+|then\s+|y\s+|luego\s+)?(?:settles|finishes|dries|ends|opens|termina|evoluciona)\b)[^.;:!?])+)/gi;
/** Pack sizes, read even in a clause about the price: "a tin of 24 is $14". */
export const PACK_SIZE = /\b(?:tin|pack|box|bag|set|bottle|jar|case|caja|paquete|lote)\s+(?:of|de)\s+\d+\b/gi;

/**
 * Hyphenated features: a number or a making-word first ("two-person", "800-fill-power", "hand-set",
 * "lab-grown", "pre-seasoned"), or a quality-word last ("splash-proof", "pet-friendly").
 */
const HYPHENATED =
  /\b(?:(?:\d+|one|two|three|four|five|six|hand|pre|lab|self|double|triple|non|anti|quick|fast|slow|cold|hot|machine|air|sun|stone|wood|oven)-[a-z]+(?:-[a-z]+)*|[a-z]+-(?:proof|resistant|safe|friendly|grown|made|set|selected|picked|lined|coated|plated|sealed|washed|tested|power|person|layer|ply|way))\b/gi;
/** A rating with its number: "comfort rated to -5°C", "oven safe up to 260°C", "tested to 50 m". */
const RATED_TO = new RegExp(
  `\\b(?:(?:comfort|temperature|oven|dishwasher|microwave|freezer)\\s+)?(?:rated|safe|tested|certified)\\s+(?:up\\s+)?(?:to|for|at)\\s+${'[-−]?\\d+(?:[.,]\\d+)?'}\\s*(?:${LATIN_SPEC_UNITS})`,
  'gi',
);
/** Ages: "a partir de 3 años", "ages 3+", "from age 3". */
const AGES = /\ba\s+partir\s+de\s+\d+\s+años\b|\bages?\s+\d+\s*(?:\+|and\s+up|to\s+\d+)|\bfrom\s+age\s+\d+/gi;
/** Spanish adjectives of what can be done to it: abrazable, desmontable (not posible, disponible). */
const ES_ABLE =
  /\b(?!(?:responsable|agradable|increíble|posible|imposible|disponible|amable|probable|notable|terrible|horrible|sensible|visible|estable|confiable|variable)s?\b)[a-záéíóúñ]{4,}(?:able|ible)s?\b/gi;
/** Spanish verbs of what it does: "se pliega en un segundo", "se ajusta a la cintura". */
const ES_DOES =
  /\bse\s+(?:pliega|dobla|monta|desmonta|ajusta|adapta|limpia|recarga|enrolla|extiende|regula|guarda|lava)\b(?:\s+(?!y\b|pero\b|para\b)[a-záéíóúñ0-9]+){0,4}/gi;
/**
 * English verbs of what it does, said alone or with a little after: "compresses to…", "folds flat",
 * "the plates lock in place".
 */
const EN_DOES =
  /\b(?:(?:locks?|stays?|holds?|clicks?|snaps?|clips?)\s+in(?:to)?\s+place|(?:compresses|folds|packs|rolls|collapses|stacks|snaps|clicks)\b(?:\s+(?:flat|down|up|away|into\s+[a-z]+))?)/gi;

/** English and Spanish selling points by shape. */
export function latinGrammar(clause: string): GrammarPoint[] {
  const found: GrammarPoint[] = [];
  for (const match of clause.matchAll(EN_PART)) {
    const before = clause.slice(0, match.index).trimEnd().split(/\s+/).filter(Boolean);
    const modifiers: string[] = [];
    for (let position = before.length - 1; position >= 0 && modifiers.length < 3; position--) {
      const word = before[position]!;
      if (/[.,;:!?¡¿"“”()]$/.test(word) || !/^[A-Za-z0-9][A-Za-z0-9'’°-]*$/.test(word)) break;
      if (EN_NOT_MODIFIER.test(word)) break;
      modifiers.unshift(word);
    }
    if (modifiers.length > 0)
      found.push({ text: [...modifiers, match[0]].join(' '), kind: 'function', confidence: 0.75 });
  }
  for (const pattern of [LATIN_RANGE, LATIN_DIMENSIONS, LATIN_MEASURED, LATIN_BOUNDED, LATIN_COUNTED_KINDS]) {
    for (const match of clause.matchAll(pattern))
      found.push({ text: match[0], kind: 'spec', confidence: 0.95 });
  }
  for (const match of clause.matchAll(ES_PART))
    found.push({ text: match[0], kind: 'function', confidence: 0.75 });
  for (const match of clause.matchAll(SELF_ACTING))
    found.push({ text: match[0], kind: 'function', confidence: 0.75 });
  for (const match of clause.matchAll(SIZE_RANGE))
    found.push({ text: match[0], kind: 'spec', confidence: 0.85 });
  for (const pattern of [HYPHENATED, RATED_TO, AGES]) {
    for (const match of clause.matchAll(pattern))
      found.push({ text: match[0], kind: 'spec', confidence: 0.8 });
  }
  for (const pattern of [ES_ABLE, ES_DOES, EN_DOES]) {
    for (const match of clause.matchAll(pattern))
      found.push({ text: match[0], kind: 'function', confidence: 0.7 });
  }
  for (const match of clause.matchAll(CRAFTED))
    found.push({ text: match[0], kind: 'material', confidence: 0.8 });
  return found;
}

/**
 * The tasting and scent notes of a whole sentence (its list runs over commas): each note, up to
 * three words.
 */
export function tastingNotes(sentence: string): Array<GrammarPoint & { index: number }> {
  const found: Array<GrammarPoint & { index: number }> = [];
  for (const match of [...sentence.matchAll(NOTES), ...sentence.matchAll(UNFOLDING)]) {
    for (const note of match[1]!.split(/\s*,\s*|\s+(?:and|y|&)\s+/i)) {
      const words = note.trim().split(/\s+/).filter(Boolean);
      if (words.length >= 1 && words.length <= 3 && !EN_NOT_MODIFIER.test(words[0]!)) {
        const text = words.join(' ');
        found.push({ text, kind: 'benefit', confidence: 0.75, index: sentence.indexOf(text, match.index) });
      }
    }
  }
  return found;
}
