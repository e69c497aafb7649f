import type { AssistantIntent, Locale } from './assistant-intent.ts';
import type { Fit } from './product.ts';
import type { SameItemVerdict } from './same-item.ts';
import type { SizeAdvice } from './size-advice.ts';

/**
 * The grounded answer: what the catalog, the size chart, the purchases and the photo say, composed
 * in the shopper's language without a model — short, specific, in numbers. A model (when one is
 * configured) may phrase it better; these facts stay authoritative either way.
 */

export interface GroundedProduct {
  sku: string;
  name: string;
  category: string;
  fit: Fit;
  attributes: Record<string, string>;
  price: number | null;
  currency: string;
  stock: number | null;
}

export interface SameItemFacts {
  sku: string;
  name: string;
  verdict: SameItemVerdict;
  score: number;
  confidence: number;
  /** What the photo was compared with: the purchase the shopper mentioned, the product asked about, or the best catalog match. */
  against: 'previous_purchase' | 'product' | 'catalog_search';
}

export interface GroundedFacts {
  locale: Locale;
  intents: AssistantIntent[];
  product: GroundedProduct | null;
  /** Null when no photo came with the question. */
  sameItem: SameItemFacts | null;
  size: SizeAdvice | null;
  hasPhoto: boolean;
  /** The question tried to steer the assistant (ignored). */
  injection: boolean;
}

export interface ComposedAnswer {
  answer: string;
  /** 0–1: the least sure part of the answer. */
  confidence: number;
  /** Why a person should look, when one should. */
  handoffReasons: string[];
}

/** Below this confidence the answer goes to a person too (`needs_human`, `assistant.handoff`). */
export const HANDOFF_BELOW = 0.5;

export function composeAnswer(facts: GroundedFacts): ComposedAnswer {
  const t = TEXTS[facts.locale];
  const parts: string[] = [];
  const confidences: number[] = [];
  const reasons: string[] = [];
  if (facts.injection) parts.push(t.onlyProduct);
  const intents = new Set(facts.intents);
  // A photo always gets its verdict, whatever else was asked.
  if (intents.has('same_item') || (facts.hasPhoto && facts.sameItem)) {
    if (!facts.sameItem) {
      parts.push(facts.hasPhoto ? t.nothingToCompare : t.sendPhoto);
      confidences.push(facts.hasPhoto ? 0.3 : 0.6);
      if (facts.hasPhoto) reasons.push('no catalog image to compare the photo with');
    } else {
      parts.push(t.sameItem(facts.sameItem));
      confidences.push(facts.sameItem.confidence);
      if (facts.sameItem.confidence < HANDOFF_BELOW) reasons.push(`same item: ${facts.sameItem.verdict}`);
    }
  }
  if (intents.has('size') || intents.has('fit')) {
    if (facts.size) {
      parts.push(facts.size.reason);
      confidences.push(facts.size.confidence);
      if (facts.size.confidence < HANDOFF_BELOW) reasons.push('size: no size chart');
    } else {
      parts.push(t.whichProduct);
      confidences.push(0.4);
      reasons.push('size: no product named');
    }
  }
  if (intents.has('fit') && facts.product) parts.push(t.bodyType(facts.product.fit));
  if (intents.has('material')) {
    const material = facts.product?.attributes.material ?? facts.product?.attributes.fabric;
    const care = facts.product?.attributes.care;
    if (material || care) {
      parts.push(t.material(material ?? null, care ?? null));
      confidences.push(0.85);
    } else {
      parts.push(t.noMaterial);
      confidences.push(0.4);
      reasons.push('material: not in the catalog');
    }
  }
  if (intents.has('price')) {
    if (facts.product?.price != null) {
      parts.push(t.price(facts.product.price, facts.product.currency));
      confidences.push(0.9);
    } else {
      parts.push(t.noPrice);
      confidences.push(0.4);
      reasons.push('price: not in the catalog');
    }
  }
  if (intents.has('stock')) {
    const stock = facts.product?.stock;
    if (stock != null) {
      parts.push(t.stock(stock));
      confidences.push(0.9);
    } else {
      parts.push(t.noStock);
      confidences.push(0.4);
      reasons.push('stock: not tracked');
    }
  }
  if (parts.length === 0 || (parts.length === 1 && facts.injection)) {
    parts.push(t.canHelpWith);
    confidences.push(facts.injection ? 0.7 : 0.45);
    if (!facts.injection) reasons.push('question outside what the catalog answers');
  }
  return {
    answer: parts.join(facts.locale === 'zh' ? '' : ' '),
    confidence: Math.min(...confidences, 1),
    handoffReasons: reasons,
  };
}

const percent = (score: number) => `${Math.round(score * 100)}%`;
const money = (price: number, currency: string) =>
  currency === 'CNY' ? `¥${price}` : currency === 'USD' ? `$${price}` : `${price} ${currency}`;

const TEXTS = {
  zh: {
    onlyProduct: '我只能回答和商品有关的问题。',
    sendPhoto: '发一张照片给我,我帮你比对是不是同款。',
    nothingToCompare: '这件商品还没有商品图,我没法比对照片,已请同事帮你看。',
    whichProduct: '告诉我是哪件商品(货号),我按尺码表帮你选。',
    sameItem: (facts: SameItemFacts) => {
      const what =
        facts.against === 'previous_purchase'
          ? `你上次买的「${facts.name}」(${facts.sku})`
          : `「${facts.name}」(${facts.sku})`;
      switch (facts.verdict) {
        case 'same':
          return `这件和${what}是同款(匹配度 ${percent(facts.score)})。`;
        case 'other_color':
          return `这件和${what}是同一款式,但颜色不一样。`;
        case 'different':
          return `这件和${what}不是同款:图案和细节都对不上。`;
        case 'unsure':
          return `单凭这张照片还不能确定是不是${what},已请同事帮你确认;可以再拍一张正面、光线充足的照片。`;
      }
    },
    bodyType: (fit: Fit) =>
      fit === 'loose'
        ? '宽松版型遮肉显随性,偏瘦的身材穿会更宽松。'
        : fit === 'slim'
          ? '修身版型贴合身形,肩背或腰腹丰满的话建议大一码。'
          : '常规版型,大多数身材按平时尺码穿都合适。',
    material: (material: string | null, care: string | null) =>
      `${material ? `面料:${material}。` : ''}${care ? `洗护:${care}。` : ''}`,
    noMaterial: '商品资料里没有写面料,已请同事补充。',
    price: (price: number, currency: string) => `价格 ${money(price, currency)}。`,
    noPrice: '商品资料里没有价格,已请同事确认。',
    stock: (stock: number) =>
      stock === 0 ? '这款暂时缺货。' : stock <= 5 ? `只剩 ${stock} 件了。` : '有现货。',
    noStock: '库存我这里查不到,已请同事确认。',
    canHelpWith: '我可以帮你比对照片是不是同款、按尺码表推荐尺码,或介绍面料、价格和库存。',
  },
  en: {
    onlyProduct: 'I can only help with questions about the product.',
    sendPhoto: 'Send me a photo and I will check whether it is the same item.',
    nothingToCompare:
      'This product has no catalog picture to compare your photo with; a colleague will take a look.',
    whichProduct: 'Tell me which product (its SKU) and I will pick a size from its chart.',
    sameItem: (facts: SameItemFacts) => {
      const what =
        facts.against === 'previous_purchase'
          ? `the "${facts.name}" (${facts.sku}) you bought`
          : `"${facts.name}" (${facts.sku})`;
      switch (facts.verdict) {
        case 'same':
          return `This is the same item as ${what} (match ${percent(facts.score)}).`;
        case 'other_color':
          return `This is the same style as ${what}, in another colour.`;
        case 'different':
          return `This is not ${what}: the print and details do not match.`;
        case 'unsure':
          return `I cannot tell from this photo whether it is ${what}; a colleague will confirm. A front view in good light helps.`;
      }
    },
    bodyType: (fit: Fit) =>
      fit === 'loose'
        ? 'The loose cut skims the body and hangs more freely on slim frames.'
        : fit === 'slim'
          ? 'The slim cut follows the body; with broad shoulders or a fuller waist, size up.'
          : 'A regular cut: most body types take their usual size.',
    material: (material: string | null, care: string | null) =>
      `${material ? `Fabric: ${material}.` : ''}${material && care ? ' ' : ''}${care ? `Care: ${care}.` : ''}`,
    noMaterial: 'The catalog does not say what it is made of; a colleague will add it.',
    price: (price: number, currency: string) => `It costs ${money(price, currency)}.`,
    noPrice: 'The catalog has no price for it; a colleague will confirm.',
    stock: (stock: number) =>
      stock === 0 ? 'It is out of stock right now.' : stock <= 5 ? `Only ${stock} left.` : 'It is in stock.',
    noStock: 'I cannot see the stock; a colleague will confirm.',
    canHelpWith:
      'I can check whether a photo shows the same item, pick a size from the size chart, or tell you the fabric, price and stock.',
  },
};
