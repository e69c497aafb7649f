/**
 * Finds catalog products named in free text: an SKU written out (score 1), a product name the text
 * contains (0.9), or a name whose character bigrams mostly appear in the text (Dice-style overlap,
 * scaled below 0.9). Works for Chinese (no word boundaries) and English alike.
 */

export interface ProductMatch {
  sku: string;
  name: string;
  category: string;
  score: number;
  matched_by: 'sku' | 'name' | 'similar_name';
}

/** Lowercase, no whitespace or punctuation: "Linen Shirt," and "linenshirt" compare equal. */
export function normalizeForMatch(text: string): string {
  return text.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
}

function bigrams(text: string): Set<string> {
  const grams = new Set<string>();
  const chars = [...text];
  for (let index = 0; index < chars.length - 1; index += 1) grams.add(chars[index]! + chars[index + 1]!);
  if (chars.length === 1) grams.add(chars[0]!);
  return grams;
}

export function matchProducts(
  catalog: ReadonlyArray<{ sku: string; name: string; category: string }>,
  text: string,
  options: { limit?: number; minScore?: number } = {},
): ProductMatch[] {
  const limit = options.limit ?? 5;
  const minScore = options.minScore ?? 0.3;
  const upper = text.toUpperCase();
  const normalized = normalizeForMatch(text);
  const textGrams = bigrams(normalized);
  const matches: ProductMatch[] = [];
  for (const product of catalog) {
    const sku = product.sku.toUpperCase();
    const skuAt = upper.indexOf(sku);
    // The SKU as a token of its own: TS-2024-001 in "TS-2024-0012" is another product.
    if (
      skuAt >= 0 &&
      !/[\w-]/.test(upper[skuAt + sku.length] ?? ' ') &&
      !/[\w-]/.test(upper[skuAt - 1] ?? ' ')
    ) {
      matches.push({ ...product, score: 1, matched_by: 'sku' });
      continue;
    }
    const name = normalizeForMatch(product.name);
    if (name.length >= 2 && normalized.includes(name)) {
      matches.push({ ...product, score: 0.9, matched_by: 'name' });
      continue;
    }
    const nameGrams = bigrams(name);
    if (nameGrams.size === 0) continue;
    let shared = 0;
    for (const gram of nameGrams) if (textGrams.has(gram)) shared += 1;
    const score = 0.85 * (shared / nameGrams.size);
    if (score >= minScore)
      matches.push({ ...product, score: Math.round(score * 1000) / 1000, matched_by: 'similar_name' });
  }
  return matches.sort((a, b) => b.score - a.score || a.sku.localeCompare(b.sku)).slice(0, limit);
}
