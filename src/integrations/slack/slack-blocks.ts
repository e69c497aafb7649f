/**
 * Slack messages (Block Kit) for the events Vitrine notifies: a section with the news, a context
 * line with counts and cost, and a button to open it. `text` is the fallback Slack shows in
 * notifications. Built from the same payloads webhooks carry.
 */

export interface SlackMessage {
  text: string;
  blocks: unknown[];
}

type Loose = Record<string, unknown>;

const money = (value: unknown) => `$${Number(value ?? 0).toFixed(2)}`;
/** Slack mrkdwn treats &, < and > as control characters. */
const mrkdwn = (value: unknown) =>
  String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');

function message(
  title: string,
  lines: string[],
  context: string[],
  link: { label: string; url: string } | null,
): SlackMessage {
  const blocks: unknown[] = [
    { type: 'section', text: { type: 'mrkdwn', text: [`*${title}*`, ...lines].join('\n') } },
  ];
  if (context.length > 0)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: context.join(' · ') }] });
  if (link)
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: link.label }, url: link.url }],
    });
  return { text: [title, ...lines].join(' — ').replaceAll('*', ''), blocks };
}

function duration(from: unknown, to: unknown): string | null {
  const ms = Date.parse(String(to)) - Date.parse(String(from));
  if (!Number.isFinite(ms) || ms < 0) return null;
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
}

export function batchMessage(
  type: 'batch.finished' | 'batch.failed',
  batch: Loose,
  publicUrl: string,
): SlackMessage {
  const counts = (batch.counts ?? {}) as Loose;
  const failed = Number(counts.failed ?? 0);
  const title =
    type === 'batch.failed' || batch.status === 'failed'
      ? 'Batch failed'
      : batch.status === 'canceled'
        ? 'Batch canceled'
        : 'Batch finished';
  const invalid = Number(batch.error_count ?? 0);
  const lines = [
    `\`${mrkdwn(batch.template)}\` for ${mrkdwn(batch.brand)}: *${counts.succeeded ?? 0}* succeeded · *${failed}* failed · ${counts.canceled ?? 0} canceled${invalid > 0 ? ` · ${invalid} invalid rows` : ''} (of ${batch.total ?? 0})`,
  ];
  const errors = Array.isArray(batch.errors) ? (batch.errors as Array<{ row: number; message: string }>) : [];
  if (errors.length > 0)
    lines.push(...errors.slice(0, 3).map((error) => `> line ${error.row}: ${mrkdwn(error.message)}`));
  const took = duration(batch.created_at, batch.finished_at);
  const context = [
    `Cost ${money(batch.cost_usd)} (estimate ${money(batch.cost_estimate_usd)})`,
    ...(took ? [took] : []),
    `batch ${mrkdwn(batch.id)}`,
  ];
  return message(title, lines, context, {
    label: 'Open batch',
    url: `${publicUrl}/batches?batch=${encodeURIComponent(String(batch.id))}`,
  });
}

export function budgetMessage(warning: Loose, publicUrl: string): SlackMessage {
  const percent = Math.round(Number(warning.used_ratio ?? 0) * 100);
  return message(
    `API key “${mrkdwn(warning.key_name)}” has used ${percent}% of its daily budget`,
    [
      `${money(warning.committed_today_usd)} spent or committed of ${money(warning.daily_budget_usd)} today (UTC); requests past the budget are refused.`,
    ],
    [`key ${mrkdwn(warning.api_key_id)}`, `${mrkdwn(warning.day)}`],
    { label: 'Costs', url: `${publicUrl}/history` },
  );
}

export function handoffMessage(handoff: Loose, publicUrl: string): SlackMessage {
  const conversation = String(handoff.conversation_id ?? handoff.id ?? '');
  const question = handoff.question ?? handoff.last_message ?? handoff.summary;
  const lines = [`Reason: ${mrkdwn(handoff.reason ?? 'the assistant is not sure')}`];
  if (question) lines.push(`> ${mrkdwn(question).slice(0, 300)}`);
  const context = [
    ...(handoff.sku ? [`SKU ${mrkdwn(handoff.sku)}`] : []),
    ...(handoff.cost_usd !== undefined ? [`cost so far ${money(handoff.cost_usd)}`] : []),
    `conversation ${mrkdwn(conversation)}`,
  ];
  const url =
    typeof handoff.url === 'string'
      ? handoff.url
      : `${publicUrl}/v1/assistant/conversations/${encodeURIComponent(conversation)}`;
  return message('A shopper needs a person', lines, context, { label: 'Open conversation', url });
}

export function testMessage(publicUrl: string): SlackMessage {
  return message(
    'Vitrine is connected',
    ['Notifications for the chosen events will arrive here.'],
    [publicUrl],
    null,
  );
}
