import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILTIN_TEMPLATES } from '../../src/domain/builtin-templates.ts';
import { encodeCanvas } from '../../src/render/layout-renderer.ts';
import { compact, readPosterText, tesseractAvailable } from '../support/ocr.ts';
import { renderSample } from '../support/sample-renders.ts';

// Every text every built-in template draws, in Chinese and in English, read back by Tesseract from
// the rendered image (with the product photo, in the minimal pack: Montserrat and Noto Sans SC, so
// a miss is a text not drawn whole rather than a stylised display face — ZCOOL QingKe, the festive
// headline face, reads badly to Tesseract though well to people): what the renderer reports as
// drawn must be on the pixels. Small pill texts (the badge, the discount) on a coloured fill do not
// survive ocr.ts's light/dark-ink binarisation reliably; their reads are reported, not asserted. OCR needs Debian's tesseract-ocr and tesseract-ocr-chi-sim; .ci/run
// installs them and sets VITRINE_REQUIRE_OCR=1 so that there a missing engine fails.
const ocrReady = tesseractAvailable();
const skip =
  !ocrReady && process.env.VITRINE_REQUIRE_OCR !== '1'
    ? 'tesseract-ocr with chi_sim is not installed (.ci/run installs it)'
    : false;

const CONTENT = {
  zh: {
    title: '夏季清仓 满200减50',
    subtitle: '全场包邮 七天无理由退换',
    price: '¥199',
    price_was: '¥299',
    discount: '7折',
    badge: '限时',
    code: 'SUMMER50',
    compare_left: '普通棉 洗十次起球',
    compare_right: '长绒棉 洗百次依然柔软',
  },
  en: {
    title: 'Summer Sale 20% OFF',
    subtitle: 'Linen shirts and dresses',
    price: '$39.99',
    price_was: '$59.99',
    discount: '-30%',
    badge: 'NEW',
    code: 'SUMMER50',
    compare_left: 'Ordinary cotton pills fast',
    compare_right: 'Long staple cotton stays soft',
  },
} as const;

// The struck-through price is crossed out on purpose: its digits are not expected to read back.
const NOT_READ = new Set(['price_was']);
const REPORTED_ONLY = new Set(['badge', 'discount']);
/**
 * Texts tesseract misreads on this sample although they are drawn whole and large (measured in the
 * full run of 2026-12-03): huge display numerals on a coloured plate (the price of live_cover,
 * promo_poster and blog_hero), the coupon's code on its white chip, sale_square's service line over
 * the sunburst. Reported, not asserted; every other text of every template must read back.
 */
const KNOWN_MISREADS = new Set([
  'live_cover/zh/price',
  'promo_poster/zh/price',
  'promo_poster/en/price',
  'blog_hero/en/price',
  'coupon/zh/code',
  'sale_square/zh/subtitle',
]);

/** Smallest edit distance between `needle` and any substring of `hay` (Sellers' algorithm). */
export function substringDistance(needle: string, hay: string): number {
  let previous = new Array<number>(hay.length + 1).fill(0);
  for (let i = 1; i <= needle.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= hay.length; j += 1) {
      const cost = needle[i - 1] === hay[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return Math.min(...previous);
}

/** What OCR is held to: the text without spaces and punctuation, a price without its sign. */
function expected(param: string, text: string): string {
  const letters = compact(text).replace(/[·•…,.，。:：!！?？'"“”]/g, '');
  // A price's integer digits: its small sign and decimals sit on the digits' shoulder, where
  // Tesseract misreads them (39.99 as 39.00); the big numerals are what a shopper reads.
  return param === 'price' ? (/\d+/.exec(letters)?.[0] ?? letters) : letters;
}

test('substringDistance finds a text inside a longer read, with a misread letter', () => {
  assert.equal(substringDistance('SUMMER', 'XXSUMMERYY'), 0);
  assert.equal(substringDistance('SUMMER', 'XXSUMNERYY'), 1);
  assert.equal(substringDistance('满200减50', '夏季清仓满200减50'), 0);
});

for (const template of BUILTIN_TEMPLATES) {
  for (const language of ['zh', 'en'] as const) {
    test(`OCR reads back every text of ${template.name} in ${language === 'zh' ? 'Chinese' : 'English'}`, {
      skip,
    }, async (t) => {
      const sample = await renderSample(template, 'minimal', true, { params: { ...CONTENT[language] } });
      const drawn = sample.texts.filter((text) => !NOT_READ.has(text.param) && text.text.trim() !== '');
      if (template.name.startsWith('product_white_')) {
        assert.deepEqual(drawn, [], 'the marketplace main image carries no text');
        return;
      }
      assert.ok(
        drawn.some((text) => text.param === 'title'),
        'the title is drawn',
      );
      const png = await encodeCanvas(sample.canvas, 'png');
      const read = compact(
        await readPosterText(png, language === 'zh' ? 'chi_sim+eng' : 'eng', [
          [1, ['11']],
          [0.5, ['3']],
          // Display-size numerals read best small.
          [0.25, ['11']],
        ]),
      );
      const misses: string[] = [];
      for (const text of drawn) {
        const want = expected(text.param, text.text);
        if (want.length === 0) continue;
        const distance = substringDistance(want, read);
        // A quarter of the characters may be misread (display faces, ligatures), not more.
        const found = distance <= Math.floor(want.length / 4);
        if (
          REPORTED_ONLY.has(text.param) ||
          KNOWN_MISREADS.has(`${template.name}/${language}/${text.param}`)
        ) {
          t.diagnostic(`${text.param} "${want}": ${found ? 'read' : `not read (distance ${distance})`}`);
        } else if (!found) misses.push(`${text.param} "${want}" (distance ${distance})`);
      }
      assert.deepEqual(misses, [], `not read back: ${misses.join('; ')}\nOCR: ${read.slice(0, 600)}`);
    });
  }
}
