import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chineseGrammar, latinGrammar, tastingNotes } from './selling-point-grammar.ts';
import { extractSellingPoints } from './selling-points.ts';

const zh = (clause: string) => chineseGrammar(clause).map((point) => point.text);
const latin = (clause: string) => latinGrammar(clause).map((point) => point.text);
const points = (text: string, language: 'zh' | 'en' | 'es') =>
  extractSellingPoints(text, language).map((point) => point.text);

describe('selling points by shape, Chinese', () => {
  test('a part with what makes it special, and what the product supports or can do', () => {
    assert.ok(zh('袖口有防风罗纹').includes('防风罗纹'));
    assert.ok(zh('支持手写笔').includes('手写笔'));
    assert.ok(zh('帽子可以拆卸').includes('帽子可以拆卸'));
    assert.ok(zh('袖口有拇指扣').includes('拇指扣'));
    assert.ok(zh('基站自动集尘').includes('自动集尘'));
    assert.ok(zh('扫拖一体').includes('扫拖一体'));
  });

  test('measured values: reached, screens, a spec with its part, ranges, shares and counts', () => {
    assert.ok(zh('蓬松度达到700+').includes('蓬松度达到700+'));
    assert.deepEqual(
      zh('6.7英寸2K曲面屏').filter((text) => text.endsWith('屏')),
      ['2K曲面屏'],
    );
    assert.ok(zh('11英寸护眼屏').includes('护眼屏'), 'the screen apart from its size');
    assert.ok(zh('8核处理器').includes('8核处理器'));
    assert.ok(zh('尺码从73到130都有').includes('73到130'));
    assert.ok(zh('少油80%').includes('少油80%'));
    assert.ok(zh('每分钟42000次震动').includes('42000次震动'));
    assert.deepEqual(zh('一次'), [], 'a single count is how people talk');
  });

  test('benefits as verbs, paired and growing, and lasting ones', () => {
    assert.ok(zh('锁住肉汁').includes('锁住肉汁'));
    assert.ok(zh('外焦里嫩').includes('外焦里嫩'));
    assert.ok(zh('越用越不粘').includes('越用越不粘'));
    assert.ok(zh('啃起来耐咬').includes('耐咬'));
    assert.ok(zh('日本VG10钢芯').includes('VG10钢'));
  });

  test('what is not a feature stays out: 赶紧扣1, 零下, 这个面料', () => {
    assert.deepEqual(zh('赶紧扣1'), []);
    assert.ok(!zh('零钱包').some((text) => text.startsWith('零')));
    assert.deepEqual(zh('这个面料'), []);
  });
});

describe('selling points by shape, English and Spanish', () => {
  test('a part noun with its modifiers, not with an article or a verb', () => {
    assert.ok(latin('4000 Pa suction, lidar navigation that maps your home').includes('lidar navigation'));
    assert.ok(latin('Snap buttons at the shoulder').includes('Snap buttons'));
    assert.ok(latin('premium memory-foam ear cushions').includes('premium memory-foam ear cushions'));
    assert.deepEqual(latin('it has the buttons'), [], 'no modifier, no feature');
    assert.ok(latin('bolsillos laterales').includes('bolsillos laterales'));
  });

  test('self-acting, hyphenated, rated-to, ranges and ages', () => {
    assert.ok(latin('it empties itself into the base').includes('empties itself'));
    assert.ok(latin('a two-person tent').includes('two-person'));
    assert.ok(latin('it is splash-proof').includes('splash-proof'));
    assert.ok(latin('comfort rated to -5°C').includes('comfort rated to -5°C'));
    assert.ok(latin('oven safe up to 260°C').includes('oven safe up to 260°C'));
    assert.ok(latin('adjustable from 16 to 18 inches').includes('from 16 to 18 inches'));
    assert.ok(latin('recomendados a partir de 3 años').includes('a partir de 3 años'));
    assert.ok(latin('twice-baked biscotti').includes('twice-baked'));
    assert.deepEqual(latin('first-come, first-served'), []);
  });

  test('Spanish what-it-does: -able adjectives and se + verb, not posible or disponible', () => {
    assert.ok(latin('es abrazable').includes('abrazable'));
    assert.ok(latin('se pliega en un segundo').includes('se pliega en un segundo'));
    assert.deepEqual(latin('es posible y está disponible'), []);
  });

  test('tasting notes over a whole sentence', () => {
    assert.deepEqual(
      tastingNotes('light roast, with notes of jasmine, lemon and honey').map((note) => note.text),
      ['jasmine', 'lemon', 'honey'],
    );
  });
});

// Issue 15, v3's misses by category: each shape with a case that must stay out.
describe('selling points by shape, the categories held-out v3 missed', () => {
  test('Chinese spans with a comparison, yarn counts, long-modified parts, 能X, degrees, parts one has', () => {
    assert.ok(zh('比普通凉席低3到5度').includes('低3到5度'));
    assert.ok(zh('60支长绒棉').includes('60支'));
    assert.deepEqual(zh('两支口红'), [], 'a count of items is no yarn count');
    assert.ok(zh('进口高分子吸收颗粒').some((text) => text.includes('高分子吸收颗粒')));
    assert.ok(zh('腰围是弹力腰贴').includes('弹力腰贴'));
    assert.ok(zh('能折叠').includes('能折叠'));
    assert.ok(zh('可以单独拆下来洗').includes('可以单独拆下来洗'));
    assert.ok(zh('吸收特别快').includes('吸收特别快'));
    assert.ok(zh('透气性特别好').includes('透气性特别好'), 'the whole of what, not 气性');
    assert.deepEqual(zh('大家特别好'), [], 'the audience is no quality');
    assert.ok(zh('带密封盖').includes('密封盖'));
    assert.ok(zh('托住颈椎').includes('托住颈椎'));
  });

  test('Chinese negations of a defect (不侧漏, 不掉屑, 不会起坨, 脖子不酸), not 不要错过', () => {
    for (const [text, want] of [
      ['不会起坨也不侧漏', '不侧漏'],
      ['擦完不掉屑', '不掉屑'],
      ['倒过来摇都不漏水', '不漏水'],
      ['早上起来脖子不酸', '不酸'],
    ] as const)
      assert.ok(
        points(text, 'zh').some((point) => point.includes(want)),
        text,
      );
    assert.ok(points('不会起坨', 'zh').includes('不会起坨'));
    assert.deepEqual(points('不要错过', 'zh'), []);
  });

  test('折 of a fold is a feature; 折 of a discount keeps the clause out', () => {
    assert.ok(points('能折叠,能水洗', 'zh').includes('能折叠'));
    assert.deepEqual(points('今天8折', 'zh'), []);
  });

  test('dimensions, a measure with its side, bounds on a measure, counted kinds', () => {
    assert.ok(latin("It's 183 by 68 cm").includes('183 by 68 cm'));
    assert.ok(latin('55 x 40 x 20 cm').includes('55 x 40 x 20 cm'));
    assert.ok(latin('6 mm thick natural rubber').includes('6 mm thick'));
    assert.ok(latin('Pesa menos de 1 kg').includes('menos de 1 kg'));
    assert.ok(latin('ramas de hasta 2 cm').includes('hasta 2 cm'));
    assert.ok(latin('by up to 30%').includes('up to 30%'));
    assert.ok(latin('una pistola con 7 modos de riego').includes('7 modos de riego'));
    assert.deepEqual(latin('solo hasta el domingo'), [], 'a bound on a day is no measure');
  });

  test('a scent told as it unfolds, each stage apart; not a shop that opens', () => {
    assert.deepEqual(
      tastingNotes('The scent opens with bergamot and settles into cedarwood and vanilla').map(
        (note) => note.text,
      ),
      ['bergamot', 'cedarwood', 'vanilla'],
    );
    assert.deepEqual(tastingNotes('The shop opens at nine'), []);
  });

  test('negations in general (sin esfuerzo, without any flame, no se pudra), not sin duda', () => {
    assert.ok(points('cortan ramas sin esfuerzo', 'es').includes('sin esfuerzo'));
    assert.ok(points('para que no se pudra', 'es').includes('no se pudra'));
    assert.ok(points('It lasts three months without any flame', 'en').includes('without any flame'));
    const duda = extractSellingPoints('Es, sin duda, el mejor', 'es');
    assert.ok(!duda.some((point) => point.confidence >= 0.6), 'at most a loose fragment');
    const doubt = extractSellingPoints('It is, without a doubt, great', 'en');
    assert.ok(!doubt.some((point) => point.confidence >= 0.6), 'at most a loose fragment');
  });

  test('materials with their kind and what they do: madera de pino tratada, memory foam that supports', () => {
    assert.ok(
      points('Mesa de madera de pino tratada.', 'es').some((point) =>
        point.includes('madera de pino tratada'),
      ),
    );
    const pillow = points('Memory foam that supports your chin.', 'en');
    assert.ok(
      pillow.some((point) => /memory foam/i.test(point)),
      pillow.join(' | '),
    );
    assert.ok(
      pillow.some((point) => point.startsWith('supports your chin')),
      pillow.join(' | '),
    );
  });

  test('what it does in place, what never happens, finishes; not "nothing else", not an approximate count', () => {
    assert.ok(latin('the plates lock in place').includes('lock in place'));
    const dumbbell = points('The handle is knurled, and nothing rattles.', 'en');
    assert.ok(dumbbell.includes('knurled') && dumbbell.includes('nothing rattles'), dumbbell.join(' | '));
    const nothingElse = extractSellingPoints('Nothing else comes close.', 'en');
    assert.ok(!nothingElse.some((point) => point.confidence >= 0.6), 'at most a loose fragment');
    assert.ok(points('a fine mist that won’t stain', 'en').includes('fine mist'));
    assert.ok(!points('上千个透气孔', 'zh').some((point) => point.includes('千个')), 'an approximate count');
    assert.ok(points('1000个透气孔', 'zh').includes('1000个'));
  });

  test('the deal\'s own words are not points: 两包到手169, "la segunda al 50%"', () => {
    assert.deepEqual(points('今天直播间两包到手169', 'zh'), []);
    assert.deepEqual(points('si os lleváis dos, la segunda al 50%', 'es'), []);
  });
});

describe('selling points by shape, the round that studied held-out v4', () => {
  test('a range of sizes, in English, Chinese and Spanish; not a lone size or a plain word', () => {
    assert.ok(latin('Sizes XS to XXL.').includes('XS to XXL'));
    assert.ok(zh('尺码S到3XL都有').includes('S到3XL'));
    assert.ok(latin('tallas de la S a la XL').includes('S a la XL'));
    assert.deepEqual(
      latin('Size M is sold out, so I wear a L.').filter((text) => /\b[SML]\b/.test(text)),
      [],
    );
  });

  test('零糖零卡 and 可以泡也可以煮; not 零售 or a single 可以', () => {
    assert.ok(zh('不苦不涩,零糖零卡').includes('零糖零卡'));
    assert.ok(zh('可以泡也可以煮').includes('可以泡也可以煮'));
    assert.deepEqual(
      zh('零售价不变').filter((text) => text.startsWith('零')),
      [],
    );
    assert.ok(!zh('可以机洗').some((text) => text.includes('也')));
  });

  test('negated benefits: 跑起来不晃, 不磨皮肤, 不藏污纳垢, "no resbala"; not 不好说', () => {
    assert.ok(points('跑起来不晃,贴身不磨皮肤', 'zh').some((text) => text.includes('不晃')));
    assert.ok(points('跑起来不晃,贴身不磨皮肤', 'zh').some((text) => text.includes('不磨皮肤')));
    assert.ok(points('刷头不藏污纳垢', 'zh').some((text) => text.includes('不藏污纳垢')));
    assert.ok(points('Mango de pakkawood que no resbala.', 'es').some((text) => text.includes('no resbala')));
    assert.ok(!points('这个不好说。', 'zh').some((text) => text.startsWith('不')));
  });

  test('a deal\'s clock and a marker are not selling points: "only until Sunday", "don\'t wait", "un 10% menos", "Last one"', () => {
    const found = points(
      'Last one, the mini pump. $29, only until Sunday, May 18. So don’t wait. It weighs 95 grams.',
      'en',
    );
    assert.ok(found.includes('95 grams'), found.join(' | '));
    assert.ok(!found.some((text) => /last one|until|wait/i.test(text)), found.join(' | '));
    assert.ok(!points('Con el código AFILA10, un 10% menos.', 'es').some((text) => text.includes('menos')));
  });

  test('the variants named before their count: 有桃子乌龙和白桃茉莉两个口味; not 有两个口味', () => {
    const found = zh('有桃子乌龙和白桃茉莉两个口味');
    assert.ok(found.includes('桃子乌龙') && found.includes('白桃茉莉'), found.join(' | '));
    assert.ok(zh('有奶白、雾蓝三种颜色').includes('雾蓝'));
    assert.ok(!zh('今天有两个口味').some((text) => text.includes('今天')));
  });
});
