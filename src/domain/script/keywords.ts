import type { ScriptLanguage } from './script-analysis.ts';

/**
 * Keywords of a segment. Chinese goes through a word tagger (jieba: TF-IDF over its
 * part-of-speech tags, behind the `ChineseWords` port so this stays pure); English and Spanish
 * through the runtime's word segmenter, stop-word lists and term frequency weighted by length.
 */

/** What the analyzer needs of a Chinese word segmenter. */
export interface ChineseWords {
  /** Top keywords by TF-IDF, only words with these part-of-speech tags. */
  keywords(
    text: string,
    topK: number,
    allowedTags: readonly string[],
  ): Array<{ keyword: string; weight: number }>;
  /** Words with their part-of-speech tags. */
  tag(text: string): Array<{ word: string; tag: string }>;
}

export interface Keyword {
  text: string;
  weight: number;
}

/** Live-commerce talk that is never what a segment is about. */
const ZH_STOP = new Set(
  '家人们|宝宝们|宝宝|宝子们|姐妹们|朋友们|大家|主播|直播间|直播|链接|今天|今晚|现在|下单|拍|关注|点赞|评论区|评论|时候|东西|这款|一款|一件|价格|原价|福利|优惠|优惠券|券|库存|手慢无|宝贝|感觉|真的|特别|非常|一下|看看|喜欢|需要|可以|没有|就是|这个|那个|我们|你们|他们|自己|知道|觉得|出来|起来|时间|下面|接下来|第一款|第二款|第三款|最后|大家好|晚上好|欢迎|官方|专柜|拍下|扣|上车|冲|抢|买|送|减|满|元|件|款|上链接|到手价|直播间价|包邮|半价|限时|秒杀|领奖|中奖|客服|退换|发货|准时|拜拜|结尾|开场|废话|压轴|专场|粉丝|XL|S|M|L'.split(
    '|',
  ),
);

const EN_STOP = new Set(
  `a about above after again all also am an and any are aren't as at be because been before being below between both but by can can't could did do does doing don't down during each every few for from further get gets got had has have having he her here hers herself him himself his how i i'm if in into is isn't it it's its itself just let let's like ll me more most much my myself no nor not now of off on once one only or other our ours ourselves out over own really right same she should so some still such than that that's the their theirs them themselves then there these they they're this those through to too under until up us very was we we're were what when where which while who whom why will with would you you'll you're your yours yourself yourselves
  guys everyone everybody tonight today chat stream live link order orders price deal deals sale off code free shipping buy get grab check look love super totally really hey hi okay ok yeah gonna want need make made comes come go going know think thing things way lot lots time little bit first next last new up drop see okay here`.split(
    /\s+/,
  ),
);

const ES_STOP = new Set(
  `a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el ella ellas ellos en entre era es esa esas ese eso esos esta estas este esto estos está están estoy fue ha han hasta hay la las le les lo los me mi mis mucho muchos muy más nada ni no nos nosotros o os otra otro para pero poco por porque que quien se ser si sin sobre son su sus también tan te tenemos tenéis tiene tienen todo todos tu tus un una uno unos vosotros y ya yo
  hoy directo chat gente familia chicas guapas precio oferta ofertas descuento código envío gratis producto productos siguiente continuación ahora aquí así solo sólo vez cada bien buenas noches hola gracias bienvenidos bienvenidas dejad os vamos mirad`.split(
    /\s+/,
  ),
);

const ZH_TAGS = ['n', 'nz', 'vn', 'a', 'an', 'nr', 'ns', 'eng'] as const;
const wordSegmenters = new Map<string, Intl.Segmenter>();

export function extractKeywords(
  text: string,
  languages: readonly ScriptLanguage[],
  chinese: ChineseWords | null,
  limit = 8,
): Keyword[] {
  const scores = new Map<string, number>();
  if (languages.includes('zh') && chinese) {
    for (const { keyword, weight } of chinese.keywords(text, limit * 3, ZH_TAGS)) {
      if (ZH_STOP.has(keyword) || /\d/.test(keyword) || keyword.length < 2) continue;
      scores.set(keyword, weight);
    }
  }
  for (const language of languages) {
    if (language === 'zh') continue;
    for (const [word, score] of latinKeywords(text, language)) {
      scores.set(word, Math.max(scores.get(word) ?? 0, score));
    }
  }
  return [...scores.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([word, weight]) => ({ text: word, weight: Math.round(weight * 1000) / 1000 }));
}

function latinKeywords(text: string, language: 'en' | 'es'): Map<string, number> {
  let segmenter = wordSegmenters.get(language);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(language, { granularity: 'word' });
    wordSegmenters.set(language, segmenter);
  }
  const stop = language === 'es' ? ES_STOP : EN_STOP;
  const counts = new Map<string, number>();
  let total = 0;
  for (const piece of segmenter.segment(text)) {
    if (!piece.isWordLike) continue;
    const word = piece.segment.toLowerCase();
    if (word.length < 3 || /\d/.test(word) || /\p{Script=Han}/u.test(word) || stop.has(word)) continue;
    const base = singular(word);
    counts.set(base, (counts.get(base) ?? 0) + 1);
    total++;
  }
  const scores = new Map<string, number>();
  for (const [word, count] of counts) {
    // Frequency, and a little for longer (rarer, more specific) words.
    scores.set(word, (count / Math.max(1, total)) * 10 * (1 + Math.log(word.length)));
  }
  return scores;
}

/** "jeans" stays, "pockets" → pocket, "bolsillos" → bolsillo: a light plural fold. */
function singular(word: string): string {
  if (word.length > 4 && /[^s]s$/.test(word) && !/(?:ss|us|is|jeans|pants|shorts)$/.test(word))
    return word.slice(0, -1);
  return word;
}
