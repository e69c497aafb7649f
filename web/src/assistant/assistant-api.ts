/**
 * The assistant's calls to Vitrine, shared by <vitrine-assistant> (a bearer token on another
 * origin) and the studio (its session cookie and CSRF header). Answers stream as server-sent events
 * read from fetch: EventSource cannot send the Authorization header a token needs.
 */

export interface AssistantConnection {
  server: string;
  token: string | null;
}

export interface AssistantMessageView {
  id: string;
  question: string;
  image_url: string | null;
  answer: string;
  intent: string;
  language: 'zh' | 'en';
  same_item: {
    sku: string;
    name: string;
    score: number;
    verdict: 'same' | 'other_color' | 'different' | 'unsure';
    confidence: number;
    against: string;
  } | null;
  size: {
    recommended: string | null;
    reason: string;
    chart_row: { size: string; measurements: Record<string, number> } | null;
    basis: string;
    runs: string | null;
  } | null;
  confidence: number;
  needs_human: boolean;
  sources: Array<{ type: string; sku?: string; size?: string; image?: string; inliers?: number }>;
  usage: { input_tokens: number; output_tokens: number };
  cost_usd: number;
  model: string | null;
  notes: Array<{ code: string; message: string }>;
  grounding: {
    comparisons: Array<{
      sku: string;
      image: string;
      role: string;
      inliers: number;
      colour_residual: number | null;
      verdict: string;
      score: number;
    }>;
    timings_ms: Record<string, number>;
  };
  created_at: string;
}

export interface ConversationView {
  id: string;
  customer_id: string | null;
  sku: string | null;
  locale: 'zh' | 'en';
  messages: AssistantMessageView[];
}

export class AssistantApiError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function headersOf(connection: AssistantConnection): Record<string, string> {
  return connection.token ? { Authorization: `Bearer ${connection.token}` } : { 'X-Vitrine-Studio': '1' };
}

async function failure(response: Response): Promise<AssistantApiError> {
  const payload = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  return new AssistantApiError(response.status, payload?.error?.message ?? response.statusText);
}

export async function startConversation(
  connection: AssistantConnection,
  body: { sku?: string | null; customer_id?: string | null; locale: 'zh' | 'en' },
): Promise<ConversationView> {
  const response = await fetch(new URL('/v1/assistant/conversations', connection.server), {
    method: 'POST',
    headers: { ...headersOf(connection), 'Content-Type': 'application/json' },
    credentials: connection.token ? 'omit' : 'same-origin',
    body: JSON.stringify(Object.fromEntries(Object.entries(body).filter(([, value]) => value))),
  });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as ConversationView;
}

export type AnswerEvent =
  | { type: 'grounding'; data: Partial<AssistantMessageView> }
  | { type: 'delta'; text: string }
  | { type: 'replace'; answer: string };

/** Asks and streams the answer; resolves with the stored message. */
export async function askAssistant(
  connection: AssistantConnection,
  conversationId: string,
  input: { question: string; image: File | null; sku?: string | null },
  onEvent: (event: AnswerEvent) => void,
): Promise<AssistantMessageView> {
  const form = new FormData();
  form.append('question', input.question);
  if (input.image) form.append('image', input.image, input.image.name);
  if (input.sku) form.append('sku', input.sku);
  const response = await fetch(
    new URL(`/v1/assistant/conversations/${encodeURIComponent(conversationId)}/messages`, connection.server),
    {
      method: 'POST',
      headers: { ...headersOf(connection), Accept: 'text/event-stream' },
      credentials: connection.token ? 'omit' : 'same-origin',
      body: form,
    },
  );
  if (!response.ok || !response.body) throw await failure(response);
  let buffer = '';
  let done: AssistantMessageView | null = null;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done: finished } = await reader.read();
    if (finished) break;
    buffer += value.replaceAll('\r\n', '\n');
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      const event = /^event: ?(.*)$/m.exec(block)?.[1] ?? 'message';
      const data = JSON.parse(
        block
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).replace(/^ /, ''))
          .join('\n') || 'null',
      );
      if (event === 'grounding') onEvent({ type: 'grounding', data });
      else if (event === 'delta') onEvent({ type: 'delta', text: data.text });
      else if (event === 'replace') onEvent({ type: 'replace', answer: data.answer });
      else if (event === 'done') done = data as AssistantMessageView;
      else if (event === 'error') throw new AssistantApiError(500, data?.error?.message ?? 'error');
    }
  }
  if (!done) throw new AssistantApiError(502, 'The answer stream ended early');
  return done;
}

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
