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
  test('ships at least 20 scripts in zh, en, es and mixed, across the four categories', () => {
    assert.ok(scripts.length >= 20, `${scripts.length} scripts`);
    assert.deepEqual(new Set(scripts.map((script) => script.language)), new Set(['zh', 'en', 'es', 'mixed']));
    assert.deepEqual(
      new Set(scripts.map((script) => script.category)),
      new Set(['apparel', 'beauty', 'food', 'electronics']),
    );
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

  // The held-out split was annotated with the rest but never used to tune: it shows how the
  // heuristics generalize. These floors guard against regressions, not targets.
  test('held-out split stays above its floors', () => {
    const summary = summarize(
      scripts
        .filter((script) => script.split === 'heldout')
        .map((script) => scoreScript(script, analyze(script.text))),
    );
    assert.ok(summary.sellingPointRecall >= 0.8, `selling-point recall ${summary.sellingPointRecall}`);
    assert.ok(summary.offerFactRecall >= 0.95, `offer fact recall ${summary.offerFactRecall}`);
    assert.ok(summary.boundaryF1 >= 0.95, `boundary F1 ${summary.boundaryF1}`);
    assert.ok(summary.moodAgreement >= 0.7, `mood agreement ${summary.moodAgreement}`);
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
