import assert from 'node:assert/strict';
import { test } from 'node:test';
import { promptShingles, promptSimilarity } from './request-cache.ts';
import { SimilarPromptIndex } from './similar-prompt-index.ts';

test('near-duplicate prompts match in English and Chinese; different ones and other scopes do not', () => {
  const index = new SimilarPromptIndex();
  index.add(
    'en',
    'scope-a',
    'Professional product photo of a red linen shirt on a wooden hanger, soft light',
  );
  index.add('zh', 'scope-a', '夏季清仓促销,满200减50,红色连衣裙模特街拍,柔和自然光');
  index.add(
    'other',
    'scope-b',
    'Professional product photo of a red linen shirt on a wooden hanger, soft light.',
  );
  for (let filler = 0; filler < 500; filler++)
    index.add(`f${filler}`, 'scope-a', `A ${filler} ceramic mug number ${filler * 7}`);

  const en = index.find(
    'scope-a',
    'professional product photo of a red linen shirt on a wooden hanger, soft light!',
    0.9,
  );
  assert.equal(en?.id, 'en');
  assert.ok(en!.similarity >= 0.9 && en!.similarity < 1);
  assert.equal(index.find('scope-a', '夏季清仓促销,满200减50,红色连衣裙模特街拍,柔和自然光!', 0.9)?.id, 'zh');
  assert.equal(index.find('scope-a', '冬季新品上市,羊毛大衣,温暖舒适', 0.9), null);
  assert.equal(index.find('scope-a', 'a blue wool coat in the snow', 0.9), null);
  assert.equal(
    index.find(
      'scope-c',
      'Professional product photo of a red linen shirt on a wooden hanger, soft light',
      0.9,
    ),
    null,
  );
});

test('similarity counts characters, not bytes, and ignores case and spacing', () => {
  assert.equal(promptSimilarity(promptShingles('Red  Shirt'), promptShingles('red shirt')), 1);
  assert.equal(promptShingles('茶杯🍵').size, 2);
  assert.ok(promptSimilarity(promptShingles('红色连衣裙'), promptShingles('蓝色牛仔裤')) < 0.2);
});
