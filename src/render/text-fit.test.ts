import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type FittedText, fitText, splitIntoWrapUnits, type TextFitRequest } from './text-fit.ts';

/** Deterministic stand-in for canvas measureText: CJK and emoji 1 em, everything else 0.55 em. */
const WIDE = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef\p{Extended_Pictographic}]/u;
function fakeMeasure(text: string, fontSize: number): number {
  let ems = 0;
  for (const char of text) ems += WIDE.test(char) ? 1 : 0.55;
  return ems * fontSize;
}

function fit(text: string, overrides: Partial<TextFitRequest> = {}): FittedText {
  return fitText({
    text,
    width: 600,
    height: 300,
    minSize: 20,
    maxSize: 80,
    maxLines: 3,
    lineHeight: 1.2,
    measure: fakeMeasure,
    ...overrides,
  });
}

function assertInsideBox(fitted: FittedText, width: number, height: number) {
  for (const line of fitted.lines) {
    assert.ok(fakeMeasure(line, fitted.fontSize) <= width + 0.01, `line "${line}" is wider than ${width}`);
  }
  assert.ok(fitted.lines.length * fitted.lineHeightPx <= height + 0.01, 'lines are taller than the box');
}

test('a short title stays at the maximum size on one line', () => {
  const fitted = fit('Linen shirt');
  assert.equal(fitted.fontSize, 80);
  assert.deepEqual(fitted.lines, ['Linen shirt']);
  assert.equal(fitted.lineHeightPx, 96);
  assert.equal(fitted.overflow, false);
});

test('a long English sentence wraps by words and shrinks', () => {
  const text = 'Breathable linen shirt for hot summer days, cut loose and light';
  const fitted = fit(text);
  assert.ok(fitted.fontSize < 80 && fitted.fontSize >= 20, `size ${fitted.fontSize}`);
  assert.ok(fitted.lines.length > 1 && fitted.lines.length <= 3);
  assert.equal(fitted.overflow, false);
  assert.equal(fitted.lines.join(' '), text, 'words are kept whole and in order');
  assertInsideBox(fitted, 600, 300);
  // The largest size: one pixel more would not fit.
  const largest = fit(text, { fewerLinesRatio: 1 });
  const bigger = fit(text, { minSize: largest.fontSize + 1, maxSize: largest.fontSize + 1 });
  assert.equal(bigger.overflow, true);
});

test('fewer lines are preferred when they cost little size', () => {
  // Two lines "夏季清 / 仓促销" would allow 100 px and split the word 清仓; one line gets 83 px.
  const chinese = fit('夏季清仓促销', { width: 500, maxSize: 100 });
  assert.deepEqual(chinese.lines, ['夏季清仓促销']);
  assert.equal(chinese.fontSize, 83);
  // A break between Latin words splits nothing, so two lines at 100 px beat one line at 89 px.
  const english = fit('Summer Sale 20% OFF', { width: 940, maxSize: 100 });
  assert.deepEqual(english.lines, ['Summer Sale', '20% OFF']);
  assert.equal(english.fontSize, 100);
  // The same text in a wider box costs only 5%, so it goes on one line.
  const wide = fit('Summer Sale 20% OFF', { width: 1000, maxSize: 100 });
  assert.deepEqual(wide.lines, ['Summer Sale 20% OFF']);
  assert.equal(wide.fontSize, 95);
});

test('balanced wrapping avoids an orphan word', () => {
  const fitted = fit('Summer Sale 20% OFF', { width: 500, minSize: 60, maxSize: 60 });
  assert.deepEqual(fitted.lines, ['Summer Sale', '20% OFF']);
});

test('a very long single word is broken by characters only at the minimum size', () => {
  const word = 'Supercalifragilisticexpialidocious'.repeat(2);
  const fitted = fit(word, { width: 400 });
  assert.equal(fitted.fontSize, 20);
  assert.ok(fitted.lines.length > 1);
  assert.equal(fitted.lines.join(''), word);
  assert.equal(fitted.overflow, false);
  assertInsideBox(fitted, 400, 300);

  // A word that fits once shrunk is shrunk, not broken.
  const shrunk = fit('Supercalifragilisticexpialidocious', { width: 600 });
  assert.deepEqual(shrunk.lines, ['Supercalifragilisticexpialidocious']);
  assert.ok(shrunk.fontSize > 20 && shrunk.fontSize < 80);
});

test('a long Chinese run breaks between its words', () => {
  const text = '夏季清仓促销全场商品一律五折起限时三天欢迎选购';
  const fitted = fit(text, { width: 500 });
  assert.equal(fitted.overflow, false);
  assert.ok(fitted.lines.length >= 2);
  assert.equal(fitted.lines.join(''), text);
  assertInsideBox(fitted, 500, 300);
});

test('kinsoku: no line starts with closing punctuation or ends with an opening one', () => {
  const text = '全场包邮，满两件再减，限时（三天）抢购。好物「推荐」不停，速来！';
  for (let width = 120; width <= 900; width += 37) {
    for (const balance of [true, false]) {
      const fitted = fit(text, { width, height: 2000, maxLines: 20, minSize: 30, maxSize: 30, balance });
      assert.equal(fitted.lines.join(''), text);
      for (const line of fitted.lines.slice(1)) {
        assert.ok(!/^[，。）」！]/.test(line), `line starts with punctuation at width ${width}: ${line}`);
      }
      for (const line of fitted.lines) {
        assert.ok(!/[（「]$/.test(line), `line ends with an opening bracket at width ${width}: ${line}`);
      }
    }
  }
});

test('prices and percentages are never split', () => {
  const text = '全场满200减50 会员价¥199 低至20% OFF 仅需$19.99 秒杀￥88';
  for (let width = 150; width <= 700; width += 23) {
    const fitted = fit(text, { width, height: 3000, maxLines: 20, minSize: 30, maxSize: 30 });
    assert.equal(fitted.overflow, false);
    const joined = fitted.lines.join('\n');
    for (const whole of ['200', '¥199', '20%', '$19.99', '￥88']) {
      assert.ok(
        joined.includes(whole),
        `"${whole}" was split at width ${width}: ${JSON.stringify(fitted.lines)}`,
      );
    }
  }
});

test('maxLines is respected even when the box is tall', () => {
  const text = 'one two three four five six seven eight nine ten eleven twelve';
  const fitted = fit(text, { width: 300, height: 5000, maxLines: 2, minSize: 10, maxSize: 80 });
  assert.ok(fitted.lines.length <= 2);
  assert.equal(fitted.overflow, false);
  assertInsideBox(fitted, 300, 5000);
});

test('text that cannot fit at the minimum size is cut with an ellipsis and flagged', () => {
  const text = 'This product description is far too long to ever fit into such a small box at all';
  const fitted = fit(text, { width: 200, height: 60, maxLines: 2, minSize: 20, maxSize: 40 });
  assert.equal(fitted.overflow, true);
  assert.equal(fitted.fontSize, 20);
  assert.equal(fitted.lines.length, 2);
  assert.ok(fitted.lines[1]?.endsWith('…'));
  assertInsideBox(fitted, 200, 60);
});

test('a box shorter than one line is reported as overflowing', () => {
  const fitted = fit('Hi', { height: 10 });
  assert.equal(fitted.overflow, true);
  assert.deepEqual(fitted.lines, ['Hi']);
});

test('mixed scripts, emoji and newlines do not crash', () => {
  const fitted = fit('🔥 新品 iPhone手机壳 👩‍👩‍👧 only $9\nSecond line 第二行', {
    width: 400,
    height: 400,
    maxLines: 6,
  });
  assert.equal(fitted.overflow, false);
  assert.ok(
    fitted.lines.some((line) => line.includes('👩‍👩‍👧')),
    'the ZWJ emoji stays one grapheme',
  );
  assert.ok(fitted.lines.at(-1)?.endsWith('第二行'));
  assertInsideBox(fitted, 400, 400);
});

test('empty text gives no lines', () => {
  assert.deepEqual(fit('   ').lines, []);
});

test('wrap units glue currency and closing punctuation', () => {
  const units = splitIntoWrapUnits('满200减50，￥199 (new)').map((unit) => unit.text);
  assert.deepEqual(units, ['满200减50，', '￥199', '(new)']);
});

test('Chinese breaks between words, never inside an offer token', () => {
  const units = (text: string) => splitIntoWrapUnits(text).map((unit) => unit.text);
  // 清仓 is not in the dictionary: its two single characters stay together.
  assert.deepEqual(units('夏季清仓 满200减50'), ['夏季', '清仓', '满200减50']);
  assert.deepEqual(units('买一送一 第2件半价'), ['买一送一', '第2件半价']);
  assert.deepEqual(units('双十一 每满300减40'), ['双十一', '每满300减40']);
  assert.deepEqual(units('低至5折 Summer Sale 20% OFF'), ['低至', '5折', 'Summer', 'Sale', '20% OFF']);
  const offers = ['满200减50', '¥199', '5折', '买一送一', '第2件半价', '20% OFF', '$39.99', '前100名'];
  const text = '夏季清仓满200减50 会员价¥199 全场5折 买一送一 第2件半价 低至20% OFF 仅$39.99 前100名';
  for (let width = 150; width <= 900; width += 17) {
    for (const balance of [true, false]) {
      const fitted = fit(text, { width, height: 5000, maxLines: 40, minSize: 30, maxSize: 30, balance });
      assert.equal(fitted.overflow, false);
      const joined = fitted.lines.join('\n');
      for (const whole of offers) {
        assert.ok(
          joined.includes(whole),
          `"${whole}" split at width ${width}: ${JSON.stringify(fitted.lines)}`,
        );
      }
      for (const line of fitted.lines) {
        assert.ok(
          !/^[\p{Script=Han}]$/u.test(line),
          `a one-character line at width ${width}: ${fitted.lines}`,
        );
      }
      assert.ok(!joined.includes('清\n仓') && !joined.includes('夏\n季'), JSON.stringify(fitted.lines));
    }
  }
});

test('a poster title breaks at its space into balanced lines', () => {
  // One line would need 8.85 em; the break falls at the space, not before 200.
  const fitted = fit('夏季清仓 满200减50', { width: 600, height: 400, maxSize: 120, minSize: 20 });
  assert.deepEqual(fitted.lines, ['夏季清仓', '满200减50']);
});
