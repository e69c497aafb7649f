import { type ShopperPhoto, shopperPhoto } from '../../bench/assistant/eval-set.ts';
import { COLOURWAYS, catalogImage, makeDesign } from '../../bench/assistant/garments.ts';
import type { HttpClient, Loose } from './http.ts';

/**
 * A small clothing shop for the assistant's end-to-end tests, drawn by the repo: a printed T-shirt
 * (TS-2024-001, navy, loose) with its red colourway (TS-2024-002), a basic tee of another design
 * (TS-2023-010, regular), and shoppers u1 (bought TS-2023-010 in M, "fits well") and u2 (bought the
 * red one in M, "偏小").
 */

const printedTee = makeDesign(1, 'tshirt');
const basicTee = makeDesign(9, 'tshirt');
const navy = COLOURWAYS[0]!;
const red = COLOURWAYS[1]!;
const green = COLOURWAYS[2]!;

export const SHOP_PRODUCTS = [
  {
    sku: 'TS-2024-001',
    name: '纯棉印花T恤',
    category: 'tops',
    fit: 'loose',
    attributes: { color: 'navy', material: '100% cotton', care: '30°C 机洗' },
    size_chart: {
      S: { chest: 104, length: 68 },
      M: { chest: 110, length: 70 },
      L: { chest: 116, length: 72 },
    },
    price: 129,
    stock: 42,
    draw: () => catalogImage(printedTee, navy),
  },
  {
    sku: 'TS-2024-002',
    name: '纯棉印花T恤 红色',
    category: 'tops',
    fit: 'loose',
    attributes: { color: 'red', material: '100% cotton' },
    size_chart: {
      S: { chest: 104, length: 68 },
      M: { chest: 110, length: 70 },
      L: { chest: 116, length: 72 },
    },
    price: 129,
    stock: 3,
    draw: () => catalogImage(printedTee, red),
  },
  {
    sku: 'TS-2023-010',
    name: '基础款T恤',
    category: 'tops',
    fit: 'regular',
    attributes: { color: 'green' },
    size_chart: {
      S: { chest: 98, length: 66 },
      M: { chest: 104, length: 68 },
      L: { chest: 110, length: 70 },
    },
    price: 79,
    stock: 0,
    draw: () => catalogImage(basicTee, green),
  },
] as const;

/** A shopper's photo (busy background, tilted, JPEG) of the navy printed tee, or of another colourway. */
export function photoOf(
  sku: 'TS-2024-001' | 'TS-2024-002' | 'TS-2023-010',
  variant: 'busy' | 'everything' | 'rotate' = 'busy',
): Promise<ShopperPhoto> {
  const entry =
    sku === 'TS-2024-001'
      ? { sku, design: printedTee, colourway: navy }
      : sku === 'TS-2024-002'
        ? { sku, design: printedTee, colourway: red }
        : { sku, design: basicTee, colourway: green };
  return shopperPhoto({ ...entry, image: new Uint8Array() }, variant, 4242);
}

/** Uploads the pictures and creates the products, customers and purchases through the API. */
export async function seedShop(api: HttpClient): Promise<void> {
  for (const { draw, ...product } of SHOP_PRODUCTS) {
    const upload = await fetch(api.url('/v1/assets'), {
      method: 'POST',
      headers: { authorization: `Bearer ${api.key}`, 'content-type': 'image/png' },
      body: draw(),
    });
    const asset = (await upload.json()) as { id: string };
    if (!upload.ok) throw new Error(`upload failed: ${JSON.stringify(asset)}`);
    const created = await api.post('/v1/products', { ...product, images: [asset.id] });
    if (created.status !== 201) throw new Error(`product ${product.sku}: ${created.text}`);
  }
  for (const [customer, purchase] of [
    ['u1', { sku: 'TS-2023-010', size: 'M', purchased_at: '2026-10-02', feedback: '合适' }],
    ['u2', { sku: 'TS-2024-002', size: 'M', purchased_at: '2026-11-11', feedback: '偏小' }],
  ] as const) {
    const recorded = await api.post(`/v1/customers/${customer}/purchases`, purchase);
    if (recorded.status !== 201) throw new Error(`purchase: ${recorded.text}`);
  }
}

/** POSTs a question (and a photo) as multipart, the way a shop page or the studio sends it. */
export async function ask(
  api: HttpClient,
  conversationId: string,
  fields: { question?: string; image?: Uint8Array; type?: string; sku?: string; previous_sku?: string },
  headers: Record<string, string> = {},
) {
  const form = new FormData();
  if (fields.image)
    form.append('image', new Blob([fields.image], { type: fields.type ?? 'image/jpeg' }), 'photo.jpg');
  for (const name of ['question', 'sku', 'previous_sku'] as const) {
    if (fields[name] !== undefined) form.append(name, fields[name]!);
  }
  const response = await fetch(api.url(`/v1/assistant/conversations/${conversationId}/messages`), {
    method: 'POST',
    headers: { authorization: `Bearer ${api.key}`, ...headers },
    body: form,
  });
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: contentType.includes('json') ? (JSON.parse(text) as Loose) : text,
  };
}

export function parseEvents(text: string): Array<{ event: string; data: Loose }> {
  return text
    .replaceAll('\r\n', '\n')
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const event = /^event: ?(.*)$/m.exec(block)?.[1] ?? 'message';
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      return { event, data: JSON.parse(data) as Loose };
    });
}
