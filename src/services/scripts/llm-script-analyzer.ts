import { z } from 'zod';
import { isAppError } from '../../domain/errors.ts';
import { offerTypes } from '../../domain/offer.ts';
import type { AnalysisWithoutPlan } from '../../domain/script/heuristic-analyzer.ts';
import { leadingMood, styleForMood } from '../../domain/script/mood.ts';
import {
  type AnalysisNote,
  PRODUCT_CATEGORIES,
  type ProductCategory,
  SEGMENT_KINDS,
  segmentInputSchema,
  VISUAL_MOODS,
} from '../../domain/script/script-analysis.ts';
import { languagesOf, mainLanguage } from '../../domain/script/script-text.ts';
import type { ChatModel, ChatUsage } from '../../providers/chat/spec.ts';

/**
 * The script analysis by a chat model (any OpenAI-compatible endpoint or Bedrock Converse, through
 * the ChatModel port): one JSON object asked for, checked against the same segment schema the
 * heuristic analyzer, the API and the editor use. Any failure (the call, the JSON, the schema, a
 * segment that does not start where the model says) is returned as a note; the caller falls back
 * to the heuristic analysis and shows the note.
 */

/** What the model must answer: the analysis segments, each with the words it starts with. */
const answerSchema = z.object({
  title: z.string().max(80).optional(),
  segments: z
    .array(segmentInputSchema.extend({ start_text: z.string().min(1).max(200) }))
    .min(1)
    .max(200),
});

export type LlmAnalysis =
  | { ok: true; analysis: AnalysisWithoutPlan; usage: ChatUsage; model: string }
  | { ok: false; note: AnalysisNote; usage: ChatUsage | null };

const SYSTEM = `You analyse live-stream shopping scripts (Chinese, English, Spanish or mixed) for a visual content tool.
Answer with ONE JSON object and nothing else, of this shape:
{"title": "the show's name",
 "segments": [{
   "start_text": "the first 10 to 30 characters of the segment, copied exactly from the script",
   "label": "the segment's own marker or heading, e.g. 【第一款】, Next up, [8:05] (may be empty)",
   "kind": one of ${JSON.stringify(SEGMENT_KINDS)},
   "title": "a short title for the segment's visuals: the product name, or the show's name for the opening",
   "time": "HH:MM when the script gives the segment a time, else null",
   "product": {"name": "product name as said"} or null,
   "category": one of ${JSON.stringify(PRODUCT_CATEGORIES)},
   "keywords": [{"text": "keyword", "weight": 0..1}],
   "selling_points": [{"text": "a short phrase from the script: material, function, benefit or a number with its unit", "kind": "material"|"function"|"benefit"|"spec", "confidence": 0..1}],
   "offers": [{"type": one of ${JSON.stringify(offerTypes)}, "headline": "the offer as a poster line, e.g. 满300减40, 20% OFF, 2x1",
               "amounts": {"threshold"?: number, "discount"?: number, "percent_off"?: number, "quantity"?: number, "free_quantity"?: number, "price"?: number},
               "price_text": "live price as written, e.g. ¥199" or null, "code": "coupon code" or null, "stock": number or null,
               "dates": {"text": "...", "start": "MM-DD" or null, "end": "MM-DD" or null} or null}],
   "emotion": {"mood": one of ${JSON.stringify(VISUAL_MOODS)}, "confidence": 0..1, "cues": ["words that show the mood"]}
 }]}
Rules: segments follow the script's order and cover all of it; split at the script's markers (【开场】, 第一款, 下面这款, times such as 20:05, "Next up", headings) and where the product changes; a script with no such change is one segment. Use only facts the script states. Moods: urgent = promotion pressure (限时, 秒杀, hurry), premium = quality, luxury or calm, festive = celebration or giveaways, cute = children, pets, pastel, fresh = natural, summer, clean.`;

export async function analyzeWithChatModel(
  text: string,
  chat: ChatModel,
  signal: AbortSignal,
): Promise<LlmAnalysis> {
  const started = performance.now();
  let answer: Awaited<ReturnType<ChatModel['complete']>>;
  try {
    answer = await chat.complete(
      {
        system: SYSTEM,
        messages: [{ role: 'user', content: `The script:\n\n${text}` }],
        json: true,
        temperature: 0.2,
        maxTokens: 8000,
      },
      signal,
    );
  } catch (error) {
    const why = isAppError(error) ? error.message : 'the call failed';
    return fail('llm_failed', `The chat model ${chat.model} failed (${why})`, null);
  }
  const usage = answer.usage;
  const truncated = answer.finishReason === 'length' ? ' (its answer was cut off at the token limit)' : '';
  let json: unknown;
  try {
    json = JSON.parse(stripFences(answer.text));
  } catch {
    return fail(
      'llm_invalid_json',
      `The chat model ${answer.model} did not answer valid JSON${truncated}`,
      usage,
    );
  }
  const parsed = answerSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return fail(
      'llm_invalid_answer',
      `The chat model ${answer.model} answered JSON that is not an analysis: ${issue.path.join('.') || 'answer'} ${issue.message}${truncated}`,
      usage,
    );
  }
  const located = locate(
    text,
    parsed.data.segments.map((segment) => segment.start_text),
  );
  if (typeof located === 'string') {
    return fail('llm_invalid_answer', `The chat model ${answer.model} answered ${located}`, usage);
  }
  const segments = parsed.data.segments.map((segment, index) => {
    const start = located[index]!;
    const end = located[index + 1] ?? text.length;
    const body = text.slice(start, end).trim();
    const { start_text: _start, ...rest } = segment;
    const style = styleForMood(rest.emotion.mood, rest.category, body);
    return {
      ...rest,
      index,
      start,
      end,
      text: body,
      language: mainLanguage(body),
      style_pack: rest.style_pack ?? style.style_pack,
    };
  });
  const languages = languagesOf(text);
  const mood = leadingMood(segments.map((segment) => segment.emotion));
  const category = majorityCategory(segments.map((segment) => segment.category));
  return {
    ok: true,
    usage,
    model: answer.model,
    analysis: {
      language: languages.length > 1 ? 'mixed' : languages[0]!,
      languages,
      analyzer: 'llm',
      model: answer.model,
      title: parsed.data.title?.trim() || segments[0]!.title,
      characters: text.length,
      category,
      mood,
      style_pack: styleForMood(mood, category, text).style_pack,
      segments,
      notes: [],
      elapsed_ms: Math.round(performance.now() - started),
    },
  };
}

function fail(code: string, message: string, usage: ChatUsage | null): LlmAnalysis {
  return { ok: false, note: { code, message: `${message}; the heuristic analysis is shown instead` }, usage };
}

/** ```json … ``` around the object is tolerated (a model that ignores the JSON mode). */
function stripFences(text: string): string {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/i.exec(text);
  return (fenced ? fenced[1]! : text).trim();
}

/**
 * Where each segment starts: its start_text, found in order (spaces and full-width forms aside).
 * The first segment starts at the script's start. A description of the problem when one is missing.
 */
function locate(text: string, starts: readonly string[]): number[] | string {
  const positions: number[] = [];
  let from = 0;
  for (const [index, startText] of starts.entries()) {
    const at = findLoosely(text, startText, from);
    if (at < 0)
      return `a segment ${index + 1} starting with "${startText.slice(0, 30)}" that is not in the script`;
    positions.push(index === 0 ? text.length - text.trimStart().length : at);
    from = at + 1;
  }
  return positions;
}

function findLoosely(text: string, needle: string, from: number): number {
  const exact = text.indexOf(needle, from);
  if (exact >= 0) return exact;
  // Models often trim, re-space or shorten the quote: try its first characters without spaces.
  const compact = needle.replace(/\s+/g, '').slice(0, 8);
  if (compact.length < 2) return -1;
  const pattern = new RegExp(
    compact
      .split('')
      .map((char) => char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('\\s*'),
  );
  const match = pattern.exec(text.slice(from));
  return match ? from + match.index : -1;
}

function majorityCategory(categories: readonly ProductCategory[]): ProductCategory {
  const counts = new Map<ProductCategory, number>();
  for (const category of categories) {
    if (category !== 'other') counts.set(category, (counts.get(category) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'other';
}
