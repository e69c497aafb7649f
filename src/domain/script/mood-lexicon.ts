import type { VisualMood } from './script-analysis.ts';

/**
 * Vitrine's own mood lexicon (zh/en/es), written for this project: words a live-stream host uses
 * and the visual mood each one pulls toward, with a weight (1 = a clear cue, 0.5 = a hint). The
 * permissively licensed sentiment lists found score polarity, not the look of a show, and the
 * Chinese ones are machine-translated noise, so none is used.
 */
type Cues = Record<VisualMood, Record<string, number>>;

const cues = (list: string, weight = 1): Record<string, number> =>
  Object.fromEntries(
    list
      .split('|')
      .map((word) => word.trim())
      .filter(Boolean)
      .map((word) => [word, weight]),
  );

export const ZH_MOOD: Cues = {
  urgent: {
    ...cues(
      '手慢无|秒杀|限时|抢完|抢购|赶紧|冲冲冲|倒计时|错过|仅剩|库存不多|马上|立刻|快抢|拼手速|恢复原价|下架|全年最低|最低价|破价|亏本|史低',
    ),
    ...cues('上链接|扣1|抢|只有|最后|要的', 0.5),
  },
  premium: {
    ...cues(
      '高级|质感|奢华|轻奢|精致|优雅|高端|旗舰|专业|大牌|经典|匠心|工艺|品质|顶级|定制|手工|温润|典雅|气质|商务|晚宴|首发|臻|珍珠|专柜|质地',
    ),
    ...cues('科技|性能|处理器|芯片|算法|测评|安全|放心|稳|降噪|安静|简约|百搭|通勤|感谢|陪伴', 0.5),
  },
  festive: {
    ...cues(
      '快乐|节日|过节|走亲访友|过年|新年|春节|中秋|团圆|元旦|圣诞|国庆|双十一|双11|618|年货|喜庆|红红火火|抽奖|福利|狂欢|庆祝|恭喜|礼盒|送礼|祝|阖家|灯笼|大促|盛典|派对',
    ),
    ...cues('欢迎|晚上好|大家好|家人们|宝宝们|姐妹们|关注|点赞|评论区|开始|专场', 0.5),
  },
  cute: {
    ...cues(
      '玩具|可爱|萌|软萌|小熊|兔|小兔|宝宝|萌娃|小可爱|甜|少女|卡通|小耳朵|小尾巴|粉粉|奶呼呼|治愈|宝妈|儿童|童装|公主|萌宠|猫咪|狗狗',
    ),
    ...cues('心都化了|做个好梦|晚安|软软', 0.5),
  },
  fresh: {
    ...cues(
      '清爽|清新|清凉|夏日|夏天|透气|天然|自然|绿色|有机|新鲜|清甜|薄荷|森林|海边|阳光|水润|补水|轻薄|纯净|植物|原生态|凉凉|凉快|冰丝|茶汤|水果|果香|鲜美',
    ),
    ...cues('健康|轻盈|舒服|舒适|早安|活力', 0.5),
  },
};

export const EN_MOOD: Cues = {
  urgent: {
    ...cues(
      "hurry|limited|flash|last chance|left|gone|doorbuster|lowest|countdown|clock|rush|don't miss|don't wait|go go go",
    ),
    // Words every offer uses ("only $59", "grab two", "the deal"): a hint, not a rush.
    ...cues(
      'tonight only|today only|stock up|only|ends|ending|now|quick|fast|deal|deals|grab|final|sale',
      0.5,
    ),
  },
  premium: {
    ...cues(
      'luxurious|luxury|premium|elegant|exquisite|refined|crafted|craftsmanship|timeless|classic|sophisticated|signature|flagship|professional|ritual|spa|silky|beautiful|launch|tested|specs',
    ),
    ...cues('quiet|calm|gentle|quality|durable|aluminum|performance|tech|gadget', 0.5),
  },
  festive: {
    ...cues(
      'holiday|holidays|christmas|celebrate|celebration|party|festive|gift|gifts|giveaway|winners|congratulations|cheers|new year|thanksgiving|black friday|welcome|wrap',
    ),
    ...cues('welcome back|everyone|hanging out|love you|thanks', 0.5),
  },
  cute: {
    ...cues(
      'toy|toys|cute|adorable|cuddly|snuggly|sweet|little ones|kids|baby|bunny|puppy|kitten|dinosaur|pastel|pink|floppy|tiny|plush|cozy',
    ),
    ...cues('soft|fun|sweet dreams|little', 0.5),
  },
  fresh: {
    ...cues(
      'fresh|natural|organic|summer|breathable|light|lightweight|clean|green|pure|crisp|bright|brightens|glow|glowing|hydrates|hydrating|mint|lemon|jasmine|honey|morning|sunshine|garden|plant|cold|iced|refreshing|sustainable|upcycled|recycled|eco-friendly|plump',
    ),
    ...cues('healthy|easy|airy|cool', 0.5),
  },
};

export const ES_MOOD: Cues = {
  urgent: {
    ...cues('corre|corred|rápido|última oportunidad|últimas|quedan|no os lo perdáis|vuelan|date prisa'),
    ...cues('hoy|aprovecha|solo|acaba|termina|ya|ahora|oferta|ofertas|minutos|precios', 0.5),
  },
  premium: {
    ...cues(
      'lujo|exclusivo|exclusiva|elegante|premium|capricho|artesano|artesanal|calidad|maestros|curado|sedosa|sedoso|precioso|refinado|clásico',
    ),
    ...cues('intenso|tecnología|gadgets|probando', 0.5),
  },
  festive: {
    ...cues(
      'navidad|navideño|fiestas|felices|feliz|regalos|sorteo|ganadores|celebrar|año nuevo|luces|árbol|brindis|bienvenidos|bienvenidas',
    ),
    ...cues('gracias|familia|besazo|os quiero', 0.5),
  },
  cute: {
    ...cues(
      'juguete|juguetes|mono|mona|monísimo|adorable|tierno|tierna|peque|peques|bebé|niños|osito|conejito|dulce|rosa pastel',
    ),
    ...cues('suave', 0.5),
  },
  fresh: {
    ...cues(
      'fresco|fresca|frescos|verano|ligero|ligera|ligeros|natural|orgánico|transpirable|hidrata|limpio|verde|afrutado|recién|lino|sol|mañana|sostenible|reciclado',
    ),
    ...cues('saludable|pequeños productores', 0.5),
  },
};
