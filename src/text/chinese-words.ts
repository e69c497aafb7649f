import { Jieba, TfIdf } from '@node-rs/jieba';
import { dict, idf } from '@node-rs/jieba/dict.js';
import type { ChineseWords } from '../domain/script/keywords.ts';

/**
 * Chinese words through jieba (@node-rs/jieba, its dictionaries ship in the npm package): the only
 * importer of the library. The default dictionary splits live-commerce words (家人们 → 家人 们,
 * 手慢无 → 手慢 无), so a user dictionary of them is loaded on top. Loading takes ~0.3 s, so one
 * segmenter is built on first use and shared.
 */

/** Live-commerce and product words the default dictionary lacks: word, frequency, tag. */
const LIVE_COMMERCE_WORDS = `家人们 2000 n
宝宝们 2000 n
宝子们 2000 n
姐妹们 2000 n
直播间 2000 n
手慢无 2000 v
上链接 2000 v
扣1 1000 v
显瘦 2000 a
显高 2000 a
显白 2000 a
显腿长 2000 a
遮肉 2000 v
百搭 2000 a
亲肤 2000 a
软糯 2000 a
垂感 2000 n
冰丝 2000 n
天丝 2000 n
摇粒绒 2000 n
防泼水 2000 v
不闷汗 2000 a
不起球 2000 a
不搓泥 2000 a
不拔干 2000 a
不沾杯 2000 a
持妆 2000 v
控油 2000 v
玻尿酸 2000 n
烟酰胺 2000 n
神经酰胺 2000 n
积雪草 2000 n
乳木果油 2000 n
气垫 2000 n
阔腿裤 2000 n
防晒衣 2000 n
打底裤 2000 n
托特包 2000 n
螺蛳粉 2000 n
牛肉干 2000 n
充电宝 2000 n
降噪 2000 v
快充 2000 v
磁吸 2000 v
高刷 2000 v
满减 2000 n
秒杀 2000 v
包邮 2000 v
到手价 2000 n
`;

let shared: ChineseWords | null = null;

export function chineseWords(): ChineseWords {
  if (shared) return shared;
  const jieba = Jieba.withDict(dict);
  jieba.loadDict(Buffer.from(LIVE_COMMERCE_WORDS));
  const tfidf = TfIdf.withDict(idf);
  shared = {
    // setConfig({stopWords}) throws in @node-rs/jieba 2.0.3: stop words are filtered by the caller.
    keywords: (text, topK, allowedTags) =>
      tfidf.extractKeywords(jieba, text, topK, [...allowedTags]).map((keyword) => ({
        keyword: keyword.keyword,
        weight: keyword.weight,
      })),
    tag: (text) => jieba.tag(text),
  };
  return shared;
}
