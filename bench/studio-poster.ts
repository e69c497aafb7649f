import type { Layout } from '../src/domain/layout.ts';

/**
 * The benchmark's poster, three times: as a Vitrine layout, as HTML/CSS for Chromium and as a
 * satori element tree. Same boxes, colors, fonts (Noto Sans SC 400/700) and texts in each.
 */

const TITLES = ['夏季清仓 满200减50', 'Summer Sale 20% OFF'];

export const BENCH_POSTER = {
  params: (index: number) => ({
    title: TITLES[index % 2]!,
    subtitle: '全场包邮 · 7天无理由退换',
    price: `¥${99 + (index % 50)}`,
    badge: '限时',
  }),
  layout: {
    version: 1,
    referenceWidth: 1080,
    layers: [
      { type: 'background', style: 'linear-gradient', colors: ['#1f3a5f', '#4f7cac'], angle: 90 },
      { type: 'product', param: 'product_image', box: { x: 0.14, y: 0.42, w: 0.72, h: 0.36 } },
      {
        type: 'text',
        param: 'title',
        box: { x: 0.07, y: 0.1, w: 0.86, h: 0.22 },
        color: '#ffffff',
        align: 'center',
        valign: 'middle',
        maxSize: 150,
        minSize: 48,
        maxLines: 2,
        lineHeight: 1.1,
      },
      {
        type: 'text',
        param: 'subtitle',
        box: { x: 0.1, y: 0.33, w: 0.8, h: 0.05 },
        font: 'body',
        weight: 400,
        color: '#ffffff',
        align: 'center',
        valign: 'middle',
        maxSize: 56,
        minSize: 24,
        maxLines: 1,
      },
      {
        type: 'text',
        param: 'price',
        box: { x: 0.2, y: 0.8, w: 0.6, h: 0.08 },
        color: '#ffd166',
        align: 'center',
        valign: 'middle',
        maxSize: 110,
        minSize: 40,
        maxLines: 1,
      },
      {
        type: 'badge',
        param: 'badge',
        box: { x: 0.68, y: 0.05, w: 0.26, h: 0.045 },
        fill: '#e4572e',
        maxSize: 48,
        minSize: 20,
      },
    ],
  } as unknown as Layout,
};

type Params = ReturnType<typeof BENCH_POSTER.params>;

const escapeHtml = (text: string) => text.replace(/[&<>]/g, (char) => `&#${char.charCodeAt(0)};`);

export function posterHtml(params: Params): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>
@font-face { font-family: 'Noto Sans SC'; src: url('/regular.ttf'); font-weight: 400; }
@font-face { font-family: 'Noto Sans SC'; src: url('/bold.ttf'); font-weight: 700; }
html, body { margin: 0; }
body { width: 1080px; height: 1920px; position: relative; overflow: hidden;
  background: linear-gradient(180deg, #1f3a5f, #4f7cac); font-family: 'Noto Sans SC'; }
.box { position: absolute; display: flex; align-items: center; justify-content: center; text-align: center; }
.title { left: 76px; top: 192px; width: 929px; height: 422px; color: #fff; font-weight: 700; font-size: 140px; line-height: 1.1; }
.subtitle { left: 108px; top: 634px; width: 864px; height: 96px; color: #fff; font-weight: 400; font-size: 52px; }
.price { left: 216px; top: 1536px; width: 648px; height: 154px; color: #ffd166; font-weight: 700; font-size: 110px; }
.badge { left: 860px; top: 96px; height: 86px; padding: 0 36px; border-radius: 43px; background: #e4572e;
  color: #fff; font-weight: 700; font-size: 44px; }
.product { position: absolute; left: 151px; top: 806px; width: 778px; height: 691px; object-fit: contain;
  object-position: bottom; filter: drop-shadow(0 16px 30px rgba(0, 0, 0, 0.25)); }
</style></head><body>
<img class="product" src="/product.png">
<div class="box title">${escapeHtml(params.title)}</div>
<div class="box subtitle">${escapeHtml(params.subtitle)}</div>
<div class="box price">${escapeHtml(params.price)}</div>
<div class="box badge">${escapeHtml(params.badge)}</div>
</body></html>`;
}

type Node = { type: string; props: Record<string, unknown> };
const div = (style: Record<string, unknown>, children: unknown): Node => ({
  type: 'div',
  props: {
    style: {
      position: 'absolute',
      display: 'flex',
      alignItems: 'center',
      justifyContent: 'center',
      textAlign: 'center',
      ...style,
    },
    children,
  },
});

export function posterSatoriTree(params: Params, productUrl: string): Node {
  return {
    type: 'div',
    props: {
      style: {
        width: 1080,
        height: 1920,
        display: 'flex',
        position: 'relative',
        backgroundImage: 'linear-gradient(180deg, #1f3a5f, #4f7cac)',
        fontFamily: 'Noto Sans SC',
      },
      children: [
        {
          type: 'img',
          props: {
            src: productUrl,
            style: {
              position: 'absolute',
              left: 151,
              top: 806,
              width: 778,
              height: 691,
              objectFit: 'contain',
            },
          },
        },
        div(
          {
            left: 76,
            top: 192,
            width: 929,
            height: 422,
            color: '#fff',
            fontWeight: 700,
            fontSize: 140,
            lineHeight: 1.1,
          },
          params.title,
        ),
        div(
          { left: 108, top: 634, width: 864, height: 96, color: '#fff', fontWeight: 400, fontSize: 52 },
          params.subtitle,
        ),
        div(
          { left: 216, top: 1536, width: 648, height: 154, color: '#ffd166', fontWeight: 700, fontSize: 110 },
          params.price,
        ),
        div(
          {
            left: 860,
            top: 96,
            height: 86,
            paddingLeft: 36,
            paddingRight: 36,
            borderRadius: 43,
            background: '#e4572e',
            color: '#fff',
            fontWeight: 700,
            fontSize: 44,
          },
          params.badge,
        ),
      ],
    },
  };
}

type PosterLayer = { type: string; box?: { x: number; y: number; w: number; h: number } } & Record<
  string,
  unknown
>;

/** The bench poster's layers with some boxes moved: `boxes` maps a param (or `product`) to its new box. */
function recomposed(boxes: Record<string, { x: number; y: number; w: number; h: number }>) {
  const layers = (BENCH_POSTER.layout as unknown as { layers: PosterLayer[] }).layers;
  return layers.map((layer) => {
    const key = layer.type === 'product' ? 'product' : String(layer.param ?? '');
    return boxes[key] ? { ...layer, box: boxes[key] } : layer;
  });
}

/**
 * The bench poster with three more compositions and a style pack (two palette arrangements): the
 * scorer lays out and scores 4 × 2 = 8 candidates per poster.
 */
export const BENCH_SCORED_LAYOUT = {
  ...(BENCH_POSTER.layout as unknown as Record<string, unknown>),
  stylePack: 'tech',
  compositions: [
    {
      name: 'product-top',
      layers: recomposed({
        product: { x: 0.14, y: 0.1, w: 0.72, h: 0.36 },
        title: { x: 0.07, y: 0.5, w: 0.86, h: 0.22 },
        subtitle: { x: 0.1, y: 0.73, w: 0.8, h: 0.05 },
      }),
    },
    {
      name: 'big-product',
      layers: recomposed({
        product: { x: 0.06, y: 0.36, w: 0.88, h: 0.44 },
        title: { x: 0.07, y: 0.08, w: 0.86, h: 0.2 },
        subtitle: { x: 0.1, y: 0.29, w: 0.8, h: 0.05 },
      }),
    },
    {
      name: 'price-top',
      layers: recomposed({
        price: { x: 0.2, y: 0.33, w: 0.6, h: 0.08 },
        subtitle: { x: 0.1, y: 0.82, w: 0.8, h: 0.05 },
        product: { x: 0.14, y: 0.43, w: 0.72, h: 0.36 },
      }),
    },
  ],
} as unknown as Layout;
