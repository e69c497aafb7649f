import type {
  PlannedVisual,
  ScriptLanguage,
  ScriptOffer,
  ScriptSegment,
  VisualRole,
} from './script-analysis.ts';

/**
 * The plan of visuals for a show: for each segment, which templates, sizes and texts. The title
 * comes from the segment, selling points become the bullets, the main offer the price/offer
 * element. Per segment: a 9:16 cover (every segment), the product hero and the offer card (when
 * it has them), "up next" (when a product follows) and a countdown (when the next product has a
 * time). Pure: the templates are named, their prompts are filled by the service.
 *
 * Layouts built around a product photo (live_cover, product_hero, story, flash_sale) are used when
 * the segment's product has one (from the catalog or the request); without one, the typographic
 * layouts carry the words instead of an empty product frame (offer_card, text_card).
 */

interface VisualLayout {
  template: string;
  width: number;
  height: number;
}
const VERTICAL = { width: 1080, height: 1920 };
const SQUARE = { width: 1080, height: 1080 };
export const VISUAL_TEMPLATES: Record<VisualRole, { photo: VisualLayout; words: VisualLayout }> = {
  cover: { photo: { template: 'live_cover', ...VERTICAL }, words: { template: 'offer_card', ...VERTICAL } },
  hero: { photo: { template: 'product_hero', ...SQUARE }, words: { template: 'text_card', ...SQUARE } },
  offer: { photo: { template: 'offer_card', ...VERTICAL }, words: { template: 'offer_card', ...VERTICAL } },
  up_next: { photo: { template: 'story', ...VERTICAL }, words: { template: 'text_card', ...VERTICAL } },
  countdown: {
    photo: { template: 'offer_card', ...VERTICAL },
    words: { template: 'offer_card', ...VERTICAL },
  },
};
/** A flash sale with a product photo is the flash-sale layout (the photo under the offer). */
const FLASH_OFFER_TEMPLATE = 'flash_sale';

export interface PlanOptions {
  /** Images per visual (options per prompt); 4 by default, as the source pipeline does. */
  n: number;
  /** The visuals to make; all by default. */
  roles?: readonly VisualRole[];
  /** A product photo per segment index (an asset id or URL), from the catalog or the request. */
  productImages?: ReadonlyMap<number, string>;
}

type Segment = Pick<
  ScriptSegment,
  | 'index'
  | 'kind'
  | 'title'
  | 'time'
  | 'language'
  | 'product'
  | 'selling_points'
  | 'offers'
  | 'emotion'
  | 'style_pack'
>;

const WORDS: Record<
  ScriptLanguage,
  {
    live: string;
    next: string;
    nextBadge: string;
    countdown: string;
    startsAt: (time: string) => string;
    code: string;
    was: string;
  }
> = {
  zh: {
    live: '直播中',
    next: '下一款',
    nextBadge: '下一款',
    countdown: '倒计时',
    startsAt: (time) => `${time} 开抢`,
    code: '券码',
    was: '原价',
  },
  en: {
    live: 'LIVE',
    next: 'Up next',
    nextBadge: 'UP NEXT',
    countdown: 'COUNTDOWN',
    startsAt: (time) => `Live at ${time}`,
    code: 'Code',
    was: 'Was',
  },
  es: {
    live: 'EN DIRECTO',
    next: 'A continuación',
    nextBadge: 'SIGUIENTE',
    countdown: 'CUENTA ATRÁS',
    startsAt: (time) => `A las ${time}`,
    code: 'Código',
    was: 'Antes',
  },
};

/** Template param limits (commonParams): longer texts are cut at a word or character boundary. */
const LIMITS = { title: 120, subtitle: 200, price: 24, badge: 12 } as const;

export function planVisuals(segments: readonly Segment[], options: PlanOptions): PlannedVisual[][] {
  const roles = new Set<VisualRole>(options.roles ?? ['cover', 'hero', 'offer', 'up_next', 'countdown']);
  return segments.map((segment, position) => {
    const words = WORDS[segment.language];
    const visuals: PlannedVisual[] = [];
    const image = options.productImages?.get(segment.index);
    const mainOffer = segment.offers[0] ?? null;
    const livePrice = mainOffer?.price_text ?? null;
    const points = bullets(segment);
    const add = (
      role: VisualRole,
      params: Record<string, string | null | undefined>,
      style = segment.style_pack,
      template?: string,
    ) => {
      if (!roles.has(role)) return;
      const base = params.product_image ? VISUAL_TEMPLATES[role].photo : VISUAL_TEMPLATES[role].words;
      visuals.push({
        role,
        template: template ?? base.template,
        width: base.width,
        height: base.height,
        n: options.n,
        params: cleanParams(params),
        style_pack: style,
      });
    };

    add('cover', {
      title: segment.title,
      subtitle: segment.product ? points : coverLine(segment, segments),
      price: segment.product ? livePrice : null,
      badge: segment.time ?? words.live,
      product_image: image,
    });
    if (segment.product) {
      add('hero', {
        title: segment.product.name,
        subtitle: points,
        price: livePrice,
        badge: mainOffer?.badge ?? null,
        product_image: image,
      });
    }
    if (mainOffer && mainOffer.type !== 'none') {
      const flash = segment.offers.some((offer) => offer.type === 'flash_sale');
      add(
        'offer',
        {
          title: mainOffer.headline,
          subtitle: offerLine(mainOffer, words),
          price: mainOffer.type === 'price' ? null : livePrice,
          badge: mainOffer.badge,
          product_image: flash ? image : null,
        },
        segment.emotion.mood === 'urgent' || flash ? 'festive' : segment.style_pack,
        flash && image ? FLASH_OFFER_TEMPLATE : undefined,
      );
    }
    const next = segments.slice(position + 1).find((other) => other.kind === 'product');
    if (next?.product && segments[position + 1] === next) {
      add(
        'up_next',
        {
          title: `${words.next}: ${next.title}`,
          subtitle: [next.time ? words.startsAt(next.time) : null, bullets(next, 2)]
            .filter(Boolean)
            .join(' · '),
          price: next.offers[0]?.price_text ?? null,
          badge: words.nextBadge,
          product_image: options.productImages?.get(next.index),
        },
        next.style_pack,
      );
      if (next.time) {
        add(
          'countdown',
          {
            title: next.time,
            subtitle: `${next.title} · ${words.startsAt(next.time)}`,
            badge: words.countdown,
          },
          next.style_pack,
        );
      }
    }
    return visuals;
  });
}

/** The selling points a visual shows: the most confident few, short, joined as bullets. */
export function bullets(segment: Pick<Segment, 'selling_points'>, count = 3): string {
  return [...segment.selling_points]
    .filter((point) => point.text.length <= 18)
    .sort((a, b) => b.confidence - a.confidence)
    .slice(0, count)
    .map((point) => point.text)
    .join(' · ');
}

/** The line under a cover without a product: the offers, or on the opening the show's products. */
function coverLine(segment: Segment, segments: readonly Segment[]): string {
  if (segment.offers.length > 0) {
    return segment.offers
      .slice(0, 2)
      .map((offer) => offer.headline)
      .join(' · ');
  }
  if (segment.kind !== 'opening') return '';
  return segments
    .filter((other) => other.product)
    .map((other) => other.title)
    .slice(0, 5)
    .join(' · ');
}

function offerLine(offer: ScriptOffer, words: (typeof WORDS)[ScriptLanguage]): string {
  return [
    ...offer.sub_lines.slice(0, 2),
    offer.code ? `${words.code} ${offer.code}` : null,
    offer.dates?.text ?? null,
    offer.was_price_text ? `${words.was} ${offer.was_price_text}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

function cleanParams(params: Record<string, string | null | undefined>): Record<string, string> {
  const cleaned: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    const text = value?.trim();
    if (!text) continue;
    const limit = LIMITS[name as keyof typeof LIMITS];
    cleaned[name] = limit ? cut(text, limit) : text;
  }
  return cleaned;
}

function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const slice = text.slice(0, limit);
  const space = slice.lastIndexOf(' ');
  return (space > limit / 2 ? slice.slice(0, space) : slice).trim();
}
