import { isAppError } from '../../domain/errors.ts';
import { parseJsonAnswer } from '../../providers/chat/chat-json.ts';
import type { ChatCaller, ChatService, MeteredChatResult } from '../chat/chat.service.ts';
import { countRequestTokens } from '../chat/token-counter.ts';
import { type Memory, reconcileTokenRatio } from './conversation-memory.ts';
import type { Grounding } from './grounding.service.ts';
import {
  AnswerStreamExtractor,
  buildModelRequest,
  modelAnswerSchema,
  rejectModelAnswer,
} from './model-answer.ts';

export interface ModelOutcome {
  answer: string;
  usage: { input_tokens: number; output_tokens: number };
  costUsd: number;
  model: string | null;
  notes: Array<{ code: string; message: string }>;
  modelWantsHuman: boolean;
  /** The conversation's token ratio after reconciling with the model's usage. */
  tokenRatio: number;
}

type Emit = (
  event:
    | { type: 'delta'; data: { text: string } }
    | { type: 'replace'; data: { answer: string; reason: string } },
) => void;

/** What each model fault means to the shopper's answer, as a note on it. */
const FAULT_NOTES: Record<string, string> = {
  provider_unavailable:
    'The vision model failed or did not answer in time; this answer comes from the catalog alone.',
  rate_limited: 'The vision model is busy (rate limited); this answer comes from the catalog alone.',
  provider_rejected: 'The vision model declined to answer; this answer comes from the catalog alone.',
  provider_response_invalid:
    'The vision model answered in a form that could not be used; this answer comes from the catalog alone.',
  quota_exceeded: "The vision model's quota is used up; this answer comes from the catalog alone.",
  budget_exceeded:
    "This key's daily budget does not cover a model call; this answer comes from the catalog alone.",
  invalid_request: 'The vision model refused the request; this answer comes from the catalog alone.',
};

/**
 * One turn's model part. Without a usable model (none configured, circuit open, a question that
 * tries to steer the assistant) the grounded answer is the answer. With one, its answer replaces
 * the grounded one only when it passes every check; any fault leaves the grounded answer and a
 * note. With `onEvent`, the answer streams as it is written (the model's, or the grounded one
 * sentence by sentence) and a `replace` event corrects a streamed answer that did not pass.
 */
export async function askModel(
  parts: {
    chat: ChatService;
    grounding: Grounding;
    memory: Memory;
    question: string;
    photo: Uint8Array | null;
    caller: ChatCaller;
    maxTokens: number;
    secrets: readonly string[];
    tokenRatio: number;
  },
  options: { signal: AbortSignal; onEvent?: Emit },
): Promise<ModelOutcome> {
  const { grounding, chat } = parts;
  const grounded: ModelOutcome = {
    answer: grounding.composed.answer,
    usage: { input_tokens: 0, output_tokens: 0 },
    costUsd: 0,
    model: null,
    notes: [],
    modelWantsHuman: false,
    tokenRatio: parts.tokenRatio,
  };
  const model = chat.model;
  const offline = (note?: { code: string; message: string }) => {
    if (note) grounded.notes.push(note);
    streamSentences(grounded.answer, grounding.language, options.onEvent);
    return grounded;
  };
  if (!model) return offline();
  if (grounding.facts.injection) {
    return offline({
      code: 'question_not_sent',
      message: 'The question tried to change the instructions; it was answered from the catalog alone.',
    });
  }
  if (!model.isAvailable()) {
    return offline({ code: 'model_unavailable', message: FAULT_NOTES.provider_unavailable! });
  }
  const request = buildModelRequest({ ...parts, maxTokens: parts.maxTokens });
  let result: MeteredChatResult;
  let streamed = '';
  try {
    if (options.onEvent) {
      const extractor = new AnswerStreamExtractor();
      let done: MeteredChatResult | undefined;
      for await (const item of chat.stream(request, parts.caller, options.signal)) {
        if ('delta' in item) {
          const text = extractor.push(item.delta);
          if (text) {
            streamed += text;
            options.onEvent({ type: 'delta', data: { text } });
          }
        } else done = item.done;
      }
      if (!done) throw new Error('the stream ended without a result');
      result = done;
    } else {
      result = await chat.complete({ ...request, json: true }, parts.caller, options.signal);
    }
  } catch (error) {
    const code = isAppError(error) ? error.code : 'provider_unavailable';
    if (code === 'canceled') throw error;
    const message = FAULT_NOTES[code] ?? FAULT_NOTES.provider_unavailable!;
    const note = { code: `model_${code}`, message };
    if (streamed) {
      grounded.notes.push(note);
      options.onEvent?.({ type: 'replace', data: { answer: grounded.answer, reason: message } });
      return grounded;
    }
    return offline(note);
  }
  const metered: ModelOutcome = {
    ...grounded,
    usage: { input_tokens: result.usage.inputTokens, output_tokens: result.usage.outputTokens },
    costUsd: result.costUsd,
    model: result.model,
    tokenRatio: result.usage.reported
      ? reconcileTokenRatio(parts.tokenRatio, await countRequestTokens(request), result.usage.inputTokens)
      : parts.tokenRatio,
  };
  let why: string;
  try {
    const parsed = parseJsonAnswer(result, modelAnswerSchema);
    const rejected = rejectModelAnswer(parsed.answer, grounding, parts.secrets);
    if (!rejected) {
      if (options.onEvent && streamed.trim() !== parsed.answer) {
        options.onEvent({
          type: 'replace',
          data: { answer: parsed.answer, reason: 'the model’s final text' },
        });
      }
      return { ...metered, answer: parsed.answer, modelWantsHuman: parsed.needs_human === true };
    }
    why = rejected;
  } catch {
    why = 'it is not the JSON object asked for';
  }
  const note = {
    code: 'model_answer_rejected',
    message: `The model's answer was set aside (${why}); this answer comes from the catalog alone.`,
  };
  metered.notes.push(note);
  if (options.onEvent) {
    if (streamed)
      options.onEvent({ type: 'replace', data: { answer: grounded.answer, reason: note.message } });
    else streamSentences(grounded.answer, grounding.language, options.onEvent);
  }
  return metered;
}

/** The grounded answer as deltas, sentence by sentence, for a stream that has no model to wait for. */
function streamSentences(answer: string, language: 'zh' | 'en', emit: Emit | undefined): void {
  if (!emit) return;
  const segmenter = new Intl.Segmenter(language === 'zh' ? 'zh-CN' : 'en', { granularity: 'sentence' });
  for (const { segment } of segmenter.segment(answer)) emit({ type: 'delta', data: { text: segment } });
}
