import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chineseGrammar, latinGrammar, tastingNotes } from './selling-point-grammar.ts';

const zh = (clause: string) => chineseGrammar(clause).map((point) => point.text);
const latin = (clause: string) => latinGrammar(clause).map((point) => point.text);

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
