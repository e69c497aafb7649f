import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../domain/errors.ts';
import type { ChatModel, ChatRequest, ChatResult } from '../../providers/chat/spec.ts';
import { analyzeWithChatModel } from './llm-script-analyzer.ts';

const SCRIPT = `【开场】20:00
家人们晚上好,欢迎来到夏日清凉专场!

【第一款】20:05 亚麻衬衫
100%亚麻,透气显瘦。到手价199元,满300减40,限量500件!`;

/** A ChatModel that answers what the test says and records the requests it got. */
function fakeChat(answer: string | Error, finishReason: ChatResult['finishReason'] = 'stop') {
  const requests: ChatRequest[] = [];
  const model: ChatModel = {
    id: 'chat',
    kind: 'fake',
    model: 'fake-model-1',
    async complete(request) {
      requests.push(request);
      if (answer instanceof Error) throw answer;
      return {
        text: answer,
        usage: { inputTokens: 900, outputTokens: 300 },
        model: 'fake-model-1',
        finishReason,
      };
    },
  };
  return { model, requests };
}

const goodAnswer = {
  title: '夏日清凉专场',
  segments: [
    {
      start_text: '【开场】20:00',
      label: '开场',
      kind: 'opening',
      title: '夏日清凉专场',
      time: '20:00',
      product: null,
      category: 'apparel',
      keywords: [{ text: '清凉', weight: 0.8 }],
      selling_points: [],
      offers: [],
      emotion: { mood: 'festive', confidence: 0.9, cues: ['晚上好'] },
    },
    {
      start_text: '【第一款】20:05 亚麻衬衫',
      label: '第一款',
      kind: 'product',
      title: '亚麻衬衫',
      time: '20:05',
      product: { name: '亚麻衬衫' },
      category: 'apparel',
      keywords: [{ text: '亚麻', weight: 1 }],
      selling_points: [{ text: '100%亚麻', kind: 'material', confidence: 0.95 }],
      offers: [
        {
          type: 'spend_threshold',
          headline: '满300减40',
          amounts: { threshold: 300, discount: 40 },
          price_text: '¥199',
          stock: 500,
        },
      ],
      emotion: { mood: 'fresh', confidence: 0.7, cues: ['透气'] },
    },
  ],
};

describe('script analysis by a chat model', () => {
  test('asks for one JSON object with the script, and reads a valid answer into an analysis', async () => {
    const { model, requests } = fakeChat(JSON.stringify(goodAnswer));
    const outcome = await analyzeWithChatModel(SCRIPT, model, new AbortController().signal);
    assert.ok(outcome.ok);
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.json, true);
    assert.match(requests[0]!.system ?? '', /ONE JSON object/);
    assert.match(String(requests[0]!.messages[0]!.content), /亚麻衬衫/);
    const { analysis } = outcome;
    assert.equal(analysis.analyzer, 'llm');
    assert.equal(analysis.model, 'fake-model-1');
    assert.deepEqual(
      analysis.segments.map((segment) => [segment.start, segment.kind, segment.style_pack]),
      [
        [0, 'opening', 'festive'],
        [SCRIPT.indexOf('【第一款】'), 'product', 'fresh'],
      ],
    );
    assert.ok(analysis.segments[1]!.text.startsWith('【第一款】'));
    assert.equal(analysis.segments[1]!.offers[0]!.stock, 500);
    assert.deepEqual(outcome.usage, { inputTokens: 900, outputTokens: 300 });
  });

  test('a fenced answer and a loosely quoted segment start are accepted', async () => {
    const answer = structuredClone(goodAnswer);
    answer.segments[1]!.start_text = '【第一款】 20:05亚麻';
    const { model } = fakeChat(`\`\`\`json\n${JSON.stringify(answer)}\n\`\`\``);
    const outcome = await analyzeWithChatModel(SCRIPT, model, new AbortController().signal);
    assert.ok(outcome.ok);
    assert.equal(outcome.analysis.segments[1]!.start, SCRIPT.indexOf('【第一款】'));
  });

  const failures: Array<[string, string | Error, RegExp, ChatResult['finishReason']?]> = [
    ['not JSON', 'Sure! Here is the analysis: segments…', /llm_invalid_json|did not answer valid JSON/],
    [
      'cut off at the token limit',
      JSON.stringify(goodAnswer).slice(0, 200),
      /cut off at the token limit/,
      'length',
    ],
    [
      'JSON that is not an analysis',
      JSON.stringify({ segments: [{ start_text: '【开场】', title: '开场', emotion: { mood: 'angry' } }] }),
      /segments\.0\.emotion\.mood/,
    ],
    [
      'a segment that is not in the script',
      JSON.stringify({
        ...goodAnswer,
        segments: [goodAnswer.segments[0], { ...goodAnswer.segments[1], start_text: 'Next up: the jacket' }],
      }),
      /not in the script/,
    ],
    ['a failing call', new AppError('rate_limited', 'Rate limited by the chat provider'), /Rate limited/],
  ];
  for (const [name, answer, message, finishReason] of failures) {
    test(`${name}: a note for the fallback to the heuristics`, async () => {
      const { model } = fakeChat(answer, finishReason);
      const outcome = await analyzeWithChatModel(SCRIPT, model, new AbortController().signal);
      assert.equal(outcome.ok, false);
      if (outcome.ok) return;
      assert.match(outcome.note.code, /^llm_/);
      assert.match(outcome.note.message, message);
      assert.match(outcome.note.message, /the heuristic analysis is shown instead/);
    });
  }
});
