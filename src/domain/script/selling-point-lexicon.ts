/**
 * Vitrine's own word lists of what sells a product on a live stream, in Chinese, English and
 * Spanish: materials and ingredients, functions, benefits. Written for this project (MIT with the
 * rest); general shop vocabulary, not any one script's. Matching is by substring for Chinese and by
 * whole words for English and Spanish (a trailing s/es is allowed).
 */

export type SellingPointKind = 'material' | 'function' | 'benefit' | 'spec';

const words = (list: string) =>
  list
    .split('|')
    .map((word) => word.trim())
    .filter(Boolean);

export const ZH_LEXICON: Record<Exclude<SellingPointKind, 'spec'>, string[]> = {
  material: words(
    '亚麻|纯棉|天然乳胶|乳胶|记忆棉|全棉|精梳棉|长绒棉|新疆棉|有机棉|冰丝|真丝|桑蚕丝|丝绒|羊绒|山羊绒|羊毛|美利奴|莫代尔|天丝|雪纺|蕾丝|牛仔布|灯芯绒|真皮|头层牛皮|牛皮|羊皮|皮革|帆布|涤纶|锦纶|尼龙|氨纶|摇粒绒|加绒|白鹅绒|鹅绒|白鸭绒|鸭绒|竹纤维|醋酸|针织|不锈钢|铝合金|钛合金|陶瓷|硅胶|实木|' +
      '烟酰胺|玻尿酸|透明质酸|神经酰胺|视黄醇|A醇|维C|维生素C|维E|维生素E|积雪草|角鲨烷|乳木果油|胶原蛋白|水杨酸|果酸|胜肽|多肽|二裂酵母|虾青素|氨基酸|芦荟|茶树|精油|' +
      '巴旦木|腰果|核桃|蔓越莓|原产|产区|有机|非转基因|红枣|坚果|果干|' +
      // Nutrition, for food and pet food alike.
      '益生菌|益生元|牛磺酸|卵磷脂|膳食纤维|鲜肉|冻干',
  ),
  function: words(
    '防水|防泼水|防风|防晒|防紫外线|防蓝光|护眼|低蓝光|降噪|主动降噪|快充|闪充|无线充|磁吸|蓝牙|防抖|夜景|高刷|续航|语音控制|心率|血氧|睡眠监测|GPS|定位|过充保护|温度监控|防滑|防臭|抗菌|抑菌|速干|吸汗|排汗|保暖|锁温|抗皱|免烫|防静电|可拆卸|可调节|可折叠|折叠|收纳|便携|大容量|立体剪裁|' +
      '补水|保湿|锁水|美白|提亮|淡斑|祛痘|控油|遮瑕|持妆|定妆|修护|舒缓|抗老|抗衰|紧致|清洁|卸妆|滋润|防脱|防汗|' +
      '真空包装|充氮|密封|防潮|保鲜|独立包装|低温烘焙|洗碗机|' +
      // Sound, speed and shape: how a device sounds and runs, how a tool is cut.
      '重低音|低音澎湃|环绕音|立体声|空间音频|无损音质|满帧|高帧率|不卡顿|低延迟|斜切|圆角|弧形|人体工学|一体成型|无缝',
  ),
  benefit: words(
    '回弹|顺滑|显瘦|显高|显白|显腿长|显腿直|显脸小|遮肉|遮胯|修身|百搭|透气|轻薄|轻盈|亲肤|柔软|软糯|舒适|凉感|凉快|垂感|挺括|有型|耐磨|耐穿|耐脏|好打理|易清洗|机洗|清爽|服帖|水润|细腻|丝滑|质感|光泽|光泽感|温润|精致|手工|酥脆|劲道|爽滑|有嚼劲|紧实|回甘|鲜香|新鲜|低糖|无糖|低脂|高弹|松紧|高腰|宽松|贴身|吸收|' +
      '环绕|哑光|雾面|持久|贴身穿|加厚|蓬松|隔层|' +
      // How food is made and what is inside it.
      '流心|冰皮|爆浆|夹心|手撕|现烤|现磨|现做|现炒|手打',
  ),
};

export const EN_LEXICON: Record<Exclude<SellingPointKind, 'spec'>, string[]> = {
  material: words(
    'natural rubber|rubber|memory foam|foam|cork|linen|cotton|organic cotton|silk|cashmere|merino wool|merino|wool|leather|suede|denim|fleece|polyester|nylon|spandex|bamboo|modal|lyocell|tencel|goose down|down|canvas|corduroy|stainless steel|aluminum|aluminium|titanium|ceramic|glass|silicone|' +
      'vitamin c|vitamin e|retinol|hyaluronic acid|niacinamide|ceramides|peptides|collagen|salicylic acid|squalane|shea butter|aloe|' +
      'arabica|single-origin|grass-fed|almonds|dark chocolate|organic|' +
      // Metals, gems and fabrics of accessories and tools.
      'solid gold|gold|rose gold|white gold|sterling silver|silver|steel|damascus steel|pearl|freshwater pearl|diamond|cubic zirconia|zirconia|velvet|satin',
  ),
  function: words(
    'waterproof|water resistant|water-resistant|windproof|breathable|noise-cancelling|noise cancelling|active noise cancellation|fast charging|wireless charging|magnetic|bluetooth|built-in gps|gps|heart rate|blood oxygen|sleep tracking|sleep|always-on|stabilization|dishwasher safe|machine washable|foldable|packable|adjustable|detachable|overheat protection|non-slip|anti-bacterial|uv protection|moisture-wicking|quick-dry|insulated|voice control|self-emptying|seam-sealed|regulates temperature|' +
      'hydrates|hydrating|brightens|brightening|exfoliates|tagless|glow-in-the-dark|reduces wrinkles|' +
      'low latency|lag-free|ergonomic|seamless|' +
      // Finishes of metal and tools.
      'knurled|textured|brushed|polished|anodized|forged|powder-coated',
  ),
  benefit: words(
    'lightweight|hypoallergenic|thin|ultra-thin|soft|super soft|comfortable|flattering|slimming|stretchy|durable|long-lasting|smooth|smoother|plumper|plump|glowing|fragrance-free|vegan|cruelty-free|gentle|dermatologist tested|clinically proven|crispy|rich|low-acid|no preservatives|gluten-free|sugar-free|handmade|hand-made|unique|luxurious|silky|itch-free|relaxed|roomy|cozy|snug fit|softens|pre-washed|upcycled|travel-size|small batches|light roast|deep bass|surround sound|memory-foam',
  ),
};

export const ES_LEXICON: Record<Exclude<SellingPointKind, 'spec'>, string[]> = {
  material: words(
    'acero al carbono|madera|goma|caucho|espuma|lino|algodón|algodón orgánico|seda|lana|lana merino|cachemir|piel|piel natural|cuero|ante|poliéster|vidrio|cristal|acero inoxidable|aluminio|mimbre|almendra|chocolate negro|' +
      'ácido hialurónico|retinol|vitamina c|vitamina e|colágeno|niacinamida|aloe vera|' +
      'aceite de oliva',
  ),
  function: words(
    'impermeable|resistente al agua|resistentes al agua|sumergible|transpirable|cancelación de ruido|cancelación activa|carga rápida|inalámbrico|inalámbricos|antideslizante|bluetooth|lavable|plegable|ajustable|bolsillos|' +
      'hidrata|ilumina|reduce las arrugas|antiarrugas|curado|' +
      'baja latencia|sin latencia|ergonómico|ergonómica|graves profundos|sonido envolvente|lavar a máquina|lavable a máquina',
  ),
  benefit: words(
    'ligero|ligera|ligeros|ligeras|suave|suaves|cómodo|cómoda|fresco|fresca|frescos|sedosa|sedoso|sin parabenos|sin pasteurizar|sin filtrar|sin conservantes|hecho a mano|hechas a mano|hechos a mano|artesano|artesanal|natural|ecológico|certificado|probado clínicamente|probados clínicamente|pieles sensibles|estiliza|oversize|afrutado|intenso',
  ),
};

/** Units that make a number a specification: 150克, 5000mAh, 45分贝, "30 hours", "500 ml". */
export const ZH_SPEC_UNITS =
  'kg|g|mg|毫克|克|千克|公斤|斤|毫升|ml|mL|ML|L|升|mAh|毫安|Wh|瓦时|W|瓦|千瓦|V|伏|℃|°C|流明|lm|帕|Pa|kPa|转|rpm|克拉|微米|小时|分钟|天|年|个月|英寸|寸|厘米|cm|毫米|mm|米|分贝|dB|Hz|赫兹|fps|帧|像素|万像素|核|层|片|小包|包|袋|种|姆米|安|度|倍|档|nm|GB|TB|个|色|毫秒|万|抽';
export const LATIN_SPEC_UNITS =
  'mm|cm|m|km|g|kg|mg|oz|fl\\.?\\s?oz|lb|lbs|ml|cl|l|L|liters?|litres?|litros?|gallons?|mAh|Wh|kWh|W|kW|V|Hz|kHz|rpm|dB|fps|MB|GB|TB|Mbps|Gbps|nm|Pa|kPa|bar|psi|nits|lux|lumens?|lm|°C|°F|℃|MP|megapixels?|carats?|ct|karats?|feet|ft|yards?|meters?|metres?|metros?|centímetros?|kilos?|kilómetros?|hours?|hrs?|horas?|days?|días?|weeks?|semanas?|months?|meses|minutes?|minutos?|seconds?|segundos?|inch(?:es)?|pulgadas?|grams?|gramos?|points|puntos|grados|degrees|layers?|capas?|pieces|piezas|years?|años|HRC|modes|modos|speeds|velocidades|levels|niveles|settings|alturas|posiciones';

/** Chinese benefits said as a negation: 不闷汗, 不起球, 不侧漏, 不掉屑, 脖子不酸, 无酒精, 不加糖. */
export const ZH_NEGATED_BENEFIT =
  /(?:(?:没有(?:任何)?)(?:添加剂|防腐剂|香精|色素|异味)|不(?:会|易|容易)?(?:侧漏|漏(?:水|气|油|液|尿|奶)?|掉(?:屑|毛|渣|粉)|起(?:坨|球|皱|毛)|硌|酸|疼|痛|烫(?:伤|手)?|生锈|开裂|结块|打滑|跑偏|吵|闷汗|闷痘|闷|变形|起球|勒腿|勒肚子|勒|泛白|搓泥|拔干|掉色|褪色|沾杯|发烫|扎脖子|扎|坨|烂|粘牙|粘|伤眼|伤|黏腻|油腻|卡粉|脱妆|缩水|起皱|透|晕染|磨(?:脚|皮肤|腿|手)?|晃|藏污纳垢|累|臭|刺激|过敏|掉渣|上火|腻)|无(?:酒精|香精|色素|防腐剂|荧光剂|添加|硅油|矿物油|蔗糖)|零添加|0添加|不加(?:糖|盐|防腐剂|香精|色素))/g;

/**
 * English and Spanish benefits said as a negation: "no shrinking", "fragrance-free", "no se arruga",
 * "no se pudra", "sin esfuerzo", "without any flame" (not "sin duda", "without a doubt").
 */
export const LATIN_NEGATED_BENEFIT =
  /\b(?:no\s+(?:more\s+)?(?:[a-z]+ing\b|sticky(?:\s+feel)?|preservatives|added\s+sugar|artificial\s+\w+|parabens|fragrance|alcohol|sugar)|[a-z]+-free\b|nothing\s+(?!else\b)[a-z]+s\b|(?:won't|wont|doesn't|don't|never|will\s+not|does\s+not)\s+(?!be\b|have\b|get\b|need\b|want\b|regret\b|wait\b|miss\b|know\b|believe\b|forget\b|worry\b|last\b)[a-z]+(?:\s+(?:off|out|up|in|down|away))?|(?:won't|doesn't|don't|never)\s+(?:dig\s+in|shrink|fade|pill|crease|wrinkle|smudge|budge|irritate|stain)\w*|no\s+se\s+(?!puede\b|pueden\b|sabe\b|olvid|pierd|preocup)[a-záéíóúñ]{4,}|que\s+no\s+pica|no\s+(?:pica|resbala|resbalan|mancha|manchan|destiñe|destiñen|encoge|encogen|gotea|gotean|quema|se\s+oxida)\b|no\s+deja\s+(?:sensación\s+grasa|marcas|residuos)|sin\s+(?:parabenos|pasteurizar|filtrar|conservantes|azúcar|aditivos|gluten|sulfatos|(?-i:[A-Z]{2,5})\b)|sin\s+(?!duda|problema|prisa|embargo|nada|parar|querer|pensar|perder|esperar)[a-záéíóúñ]{5,}|without\s+(?:any\s+)?(?!doubt|question|waiting|thinking|worrying|breaking\s+the\s+bank)[a-z]{4,})/gi;
