import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadAnnotatedScripts, scoreScript, summarize } from '../../../test/support/live-scripts.ts';
import { chineseWords } from '../../text/chinese-words.ts';
import { analyzeHeuristically } from './heuristic-analyzer.ts';
import { scriptAnalysisSchema } from './script-analysis.ts';

const chinese = chineseWords();
const scripts = loadAnnotatedScripts();
const analyze = (text: string) => analyzeHeuristically(text, { chinese });

describe('the annotated script set', () => {
  test('ships at least 20 scripts in zh, en, es and mixed, across the four categories and more', () => {
    assert.ok(scripts.length >= 20, `${scripts.length} scripts`);
    assert.deepEqual(new Set(scripts.map((script) => script.language)), new Set(['zh', 'en', 'es', 'mixed']));
    const categories = new Set(scripts.map((script) => script.category));
    for (const category of ['apparel', 'beauty', 'food', 'electronics'])
      assert.ok(categories.has(category), category);
    // The later held-out splits are other products on purpose (home appliances, pets, toys, garden…).
    for (const split of ['heldout2', 'heldout3', 'heldout4', 'heldout5']) {
      const chosen = scripts.filter((script) => script.split === split);
      assert.ok(chosen.length >= 6, `${split}: ${chosen.length} scripts`);
      assert.ok(chosen.reduce((count, script) => count + script.segments.length, 0) >= 25, split);
    }
  });

  test('every analysis is valid against the analysis schema (with an empty plan)', () => {
    for (const script of scripts) {
      const analysis = analyze(script.text);
      const withPlan = {
        ...analysis,
        segments: analysis.segments.map((segment) => ({ ...segment, prompts: [], visuals: [] })),
      };
      const parsed = scriptAnalysisSchema.safeParse(withPlan);
      assert.ok(parsed.success, `${script.id}: ${parsed.error?.message}`);
    }
  });

  // The development split is what the analyzer was written against; its targets are the issue's.
  test('development split: selling-point recall ≥ 0.9, every offer, segment boundaries, products', () => {
    const summary = summarize(
      scripts
        .filter((script) => script.split === 'dev')
        .map((script) => scoreScript(script, analyze(script.text))),
    );
    assert.ok(summary.sellingPointRecall >= 0.9, `selling-point recall ${summary.sellingPointRecall}`);
    assert.equal(summary.offerSegmentAccuracy, 1, 'every segment’s offers exactly');
    assert.equal(summary.boundaryF1, 1, 'segment boundaries');
    assert.equal(summary.productAccuracy, 1, 'products');
    assert.ok(summary.moodAgreement >= 0.85, `mood agreement ${summary.moodAgreement}`);
  });

  // Held-out v1, v2 and v3 were used for development in issue 15's generalization rounds (their
  // misses, by category, led the rules): they are development data now and must keep the targets.
  const versions: Record<string, string> = { heldout: 'v1', heldout2: 'v2', heldout3: 'v3' };
  for (const split of ['heldout', 'heldout2', 'heldout3']) {
    test(`held-out ${versions[split]} (development data since issue 15) keeps the targets`, () => {
      const summary = summarize(
        scripts
          .filter((script) => script.split === split)
          .map((script) => scoreScript(script, analyze(script.text))),
      );
      assert.ok(summary.sellingPointRecall >= 0.9, `selling-point recall ${summary.sellingPointRecall}`);
      assert.ok(
        summary.sellingPointPrecision >= 0.7,
        `selling-point precision ${summary.sellingPointPrecision}`,
      );
      assert.equal(summary.offerSegmentAccuracy, 1, 'every segment’s offers exactly');
      assert.equal(summary.boundaryF1, 1, 'segment boundaries');
      assert.ok(summary.moodAgreement >= 0.55, `mood agreement ${summary.moodAgreement}`);
    });
  }

  // Held-out v4 was written before the round that studied v3, measured once never tuned on (0.475
  // selling-point recall, 53 % of segments' offers exact), then studied in the next round: it is
  // development data now. Its segments and offers are right; its selling points are still short of
  // the target, and these floors only hold what that round reached.
  test('held-out v4 (development data since the round that studied it): boundaries and offers, selling-point floors', () => {
    const summary = summarize(
      scripts
        .filter((script) => script.split === 'heldout4')
        .map((script) => scoreScript(script, analyze(script.text))),
    );
    assert.equal(summary.boundaryF1, 1, 'segment boundaries');
    assert.equal(summary.offerSegmentAccuracy, 1, 'every segment’s offers exactly');
    assert.ok(summary.productAccuracy >= 0.95, `products ${summary.productAccuracy}`);
    assert.ok(summary.sellingPointRecall >= 0.7, `selling-point recall ${summary.sellingPointRecall}`);
    assert.ok(
      summary.sellingPointPrecision >= 0.75,
      `selling-point precision ${summary.sellingPointPrecision}`,
    );
  });

  // Held-out v5 was written before the round that studied v4 and never tuned on: measured once
  // (docs/benchmarks.md), it is far below the targets. These floors, under what was measured, only
  // guard against regressions; they are not the targets and say nothing good about them.
  test('held-out v5 (never tuned on) stays above its regression floors', () => {
    const summary = summarize(
      scripts
        .filter((script) => script.split === 'heldout5')
        .map((script) => scoreScript(script, analyze(script.text))),
    );
    assert.ok(summary.sellingPointRecall >= 0.22, `selling-point recall ${summary.sellingPointRecall}`);
    assert.ok(
      summary.sellingPointPrecision >= 0.3,
      `selling-point precision ${summary.sellingPointPrecision}`,
    );
    assert.ok(summary.offerFactRecall >= 0.65, `offer fact recall ${summary.offerFactRecall}`);
    assert.ok(summary.boundaryF1 >= 0.7, `boundary F1 ${summary.boundaryF1}`);
  });
});

describe('heuristic analysis', () => {
  test('a script with no markers is one segment, and the analysis says so', () => {
    const analysis = analyze('这是今年的明前龙井,茶汤清澈,回甘明显。一罐250克,今天168元。');
    assert.equal(analysis.segments.length, 1);
    assert.equal(analysis.segments[0]!.kind, 'product');
    assert.ok(analysis.notes.some((note) => note.code === 'one_segment'));
  });

  test('a mixed zh/en script is read in both languages and noted', () => {
    const analysis = analyze(
      '大家好, hi everyone!\n\n【第一款】Cushion compact 气垫\n轻薄 lightweight coverage, SPF50, 今天只要129元, or $19!',
    );
    assert.equal(analysis.language, 'mixed');
    assert.deepEqual(new Set(analysis.languages), new Set(['zh', 'en']));
    assert.ok(analysis.notes.some((note) => note.code === 'mixed_languages'));
    const product = analysis.segments.find((segment) => segment.kind === 'product')!;
    assert.deepEqual(
      product.offers.filter((offer) => offer.type === 'price').map((offer) => offer.amounts.price),
      [129, 19],
    );
  });

  test('第二件半价 is an offer of the segment, not the next product', () => {
    const analysis = analyze(
      '下面这款是加绒打底裤,300克的加厚绒。第二件半价,下单还包邮!\n\n好了,今天就到这里,拜拜!',
    );
    const product = analysis.segments.find((segment) => segment.kind === 'product')!;
    assert.equal(analysis.segments.filter((segment) => segment.kind === 'product').length, 1);
    assert.deepEqual(
      product.offers.map((offer) => offer.type),
      ['second_item', 'free_shipping'],
    );
  });

  test('a header names a product of any category when its body talks about it; a show moment names none', () => {
    const analysis = analyze(
      '[7:30] Hello\nWelcome, everyone.\n\n[7:35] Pearl pendant\nThe freshwater pearl pendant, 9 mm, on a solid gold chain.\n\n' +
        '[7:45] Q&A\nAsk me anything about sizing.',
    );
    assert.equal(analysis.segments[1]!.product?.name, 'Pearl pendant');
    assert.ok(analysis.segments[1]!.selling_points.some((point) => point.text.includes('9 mm')));
    assert.equal(analysis.segments[2]!.product, null);
    const moment = analyze(
      '接下来第一个,丝绒雾面口红,显白。\n\n接下来最后的福利时间,今天所有彩妆都是满300减50。',
    );
    assert.equal(moment.segments[0]!.product?.name, '丝绒雾面口红');
    assert.equal(moment.segments[1]!.kind, 'talk');
  });

  test('a header the body talks about names the product before a product word of the body does', () => {
    const analysis = analyze(
      '[8:00] Hello\nWelcome, riders.\n\nMINI PUMP (8:05)\nLast one, the mini pump. It fits in a jersey pocket.\n\n' +
        '[8:15] Spare kit\nA cycling jersey with three pockets.',
    );
    assert.equal(analysis.segments[1]!.product?.name, 'MINI PUMP');
    // A header the body never mentions leaves the naming to the body's product word.
    assert.equal(analysis.segments[2]!.product?.name, 'cycling jersey');
  });

  test('a bilingual header (腰包 Running belt) names the product by the half the body talks about', () => {
    const analysis = analyze(
      '20:30 Opening\n大家好, hi all!\n\n20:35 腰包 Running belt\n最后是跑步腰包, the running belt. 能放下6.7寸手机.\n\n' +
        '20:45 Closing\n拜拜, bye!',
    );
    assert.equal(analysis.segments[1]!.product?.name, '腰包');
    // Neither half in the body: the body's own product word names it.
    const other = analyze(
      '20:30 Opening\n大家好!\n\n20:35 好物 Good stuff\n这款手机壳很薄。\n\n20:45 Closing\n拜拜!',
    );
    assert.equal(other.segments[1]!.product?.name, '手机');
  });

  test('a closing that addresses the audience first (好了家人们,今天就到这里) is its own segment', () => {
    const analysis = analyze('首先来看这款乳胶枕,回弹特别好。今天199。\n\n好了家人们,今天就到这里,拜拜!');
    assert.equal(analysis.segments.length, 2);
    assert.equal(analysis.segments[1]!.kind, 'closing');
    assert.equal(analysis.segments[1]!.product, null);
    // Addressed the same way, a paragraph that goes on selling is no closing.
    const going = analyze('首先来看这款乳胶枕,回弹特别好。\n\n好了家人们,再说一下这个枕头的枕套,可以机洗。');
    assert.ok(going.segments.every((segment) => segment.kind !== 'closing'));
  });

  test('the five-product show: segments with times, products, offers, moods and style packs', () => {
    const script = scripts.find((item) => item.id === 'zh-five-products')!;
    const analysis = analyze(script.text);
    assert.equal(analysis.title, '夏日清凉专场');
    assert.deepEqual(
      analysis.segments.map((segment) => segment.time),
      ['20:00', '20:05', '20:20', '20:35', '20:50', '21:05', '21:15', '21:25'],
    );
    assert.deepEqual(
      analysis.segments
        .filter((segment) => segment.kind === 'product')
        .map((segment) => segment.product?.name),
      ['亚麻衬衫', '冰丝阔腿裤', '防晒衣', '真丝连衣裙', '帆布托特包'],
    );
    const shirt = analysis.segments[1]!;
    assert.equal(shirt.offers[0]!.headline, '满300减40');
    assert.equal(shirt.offers[0]!.price_text, '¥199');
    assert.equal(shirt.offers[0]!.stock, 500);
    assert.equal(shirt.offers[0]!.was_price_text, '¥399');
    const jacket = analysis.segments[3]!;
    assert.equal(jacket.offers[0]!.code, 'SUN2024');
    const dress = analysis.segments[4]!;
    assert.equal(dress.emotion.mood, 'premium');
    assert.equal(dress.style_pack, 'luxury');
    assert.ok(dress.selling_points.every((point) => point.confidence > 0 && point.confidence <= 1));
    assert.ok(analysis.segments[0]!.keywords.length > 0);
  });

  test('a 3,000-character script is analysed (the benchmark times it)', () => {
    const long = scripts
      .filter((script) => script.language === 'zh')
      .map((script) => script.text)
      .join('\n\n')
      .slice(0, 3000);
    const analysis = analyze(long);
    assert.ok(analysis.segments.length >= 10);
    assert.equal(analysis.characters, 3000);
  });
});
