import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCatalog, shopperPhoto } from '../../../bench/assistant/eval-set.ts';
import type { Product } from '../../domain/product.ts';
import { normalizeShopperPhoto } from '../../imaging/shopper-photo.ts';
import { CatalogImages } from './catalog-images.ts';
import { GroundingService } from './grounding.service.ts';
import { DEFAULT_SIGNATURE_OPTIONS } from './visual-match.ts';

// Designs 1 and 9 are both T-shirts; design 2 is another cut.
const catalog = buildCatalog(9, 1);
const tee = catalog.find((entry) => entry.design.id === 1)!;
const otherTee = catalog.find((entry) => entry.design.id === 9)!;
const otherCut = catalog.find((entry) => entry.design.id === 2)!;
const pictures = new Map([
  ['tee.png', tee.image],
  ['other-tee.png', otherTee.image],
  ['other-cut.png', otherCut.image],
]);

function groundingFor(product: Product): GroundingService {
  const catalogImages = new CatalogImages({
    loadImage: async (reference) => pictures.get(reference)!,
    listProducts: async () => ({ data: [product], next_cursor: null }),
    signatureOptions: DEFAULT_SIGNATURE_OPTIONS,
    maxImages: 100,
  });
  return new GroundingService({
    products: {
      find: async (sku) => (sku === product.sku ? product : null),
      findMany: async () => [],
      findCustomer: async () => null,
      purchasesOf: async () => [],
    },
    catalogImages,
    embeddings: null,
    signatureOptions: DEFAULT_SIGNATURE_OPTIONS,
  });
}

function productWith(images: string[]): Product {
  return {
    sku: 'TEE-1',
    name: 'Tee',
    category: 'tops',
    attributes: {},
    images,
    size_chart: { M: { chest: 104 } },
    fit: 'regular',
    notes: '',
    price: null,
    currency: 'CNY',
    stock: null,
    version: 1,
    created_at: new Date(),
    updated_at: new Date(),
  };
}

test("a product's images are matched until one is decisively the photographed item", async () => {
  const photo = (
    await normalizeShopperPhoto((await shopperPhoto(tee, 'rotate', 5)).bytes, { maxPixels: 4e7 })
  ).jpeg;
  const ask = (images: string[]) =>
    groundingFor(productWith(images)).ground(
      { question: '是同款吗?', locale: 'zh', photo, sku: 'TEE-1', previousSku: null, customerId: null },
      AbortSignal.timeout(60_000),
    );

  const first = await ask(['tee.png', 'other-tee.png', 'other-cut.png']);
  assert.equal(first.sameItem?.verdict, 'same');
  assert.deepEqual(
    first.comparisons.map((comparison) => comparison.image),
    ['tee.png'],
  );

  const second = await ask(['other-tee.png', 'tee.png', 'other-cut.png']);
  assert.equal(second.sameItem?.verdict, 'same');
  assert.deepEqual(
    second.comparisons.map((comparison) => [comparison.image, comparison.verdict]),
    [
      ['other-tee.png', 'different'],
      ['tee.png', 'same'],
    ],
  );
});
