import { randomUUID } from 'node:crypto';
import type {
  SlackIntegrationRecord,
  SlackMessageRecord,
  SlackRepository,
} from '../../db/slack.repository.ts';
import { invalidRequest, notFound } from '../../domain/errors.ts';
import { retryDelayMs } from '../../domain/retry.ts';
import { outboundFetch } from '../../integrations/outbound-fetch.ts';
import { isPublishError, retryAfterMs } from '../../integrations/publish-error.ts';
import {
  batchMessage,
  budgetMessage,
  handoffMessage,
  type SlackMessage,
  testMessage,
} from '../../integrations/slack/slack-blocks.ts';
import { assertFetchableUrl } from '../../net/url-guard.ts';
import { SLACK_QUEUE } from '../../queue/jobs.ts';
import type { ServiceDeps } from '../deps.ts';
import type { SecretBox } from './secret-box.ts';

type Deps = Pick<ServiceDeps, 'db' | 'queue' | 'limits' | 'logger'> & {
  slack: SlackRepository;
  secrets: SecretBox;
};

export const slackEventTypes = [
  'batch.finished',
  'batch.failed',
  'budget.warning',
  'assistant.handoff',
] as const;
export type SlackEventType = (typeof slackEventTypes)[number];

const URL_PURPOSE = 'slack.webhook_url';
const TIMEOUT_MS = 10_000;
/** Like other webhooks: 1 s, 2 s, 4 s … capped at ten minutes, 12 attempts. */
const MAX_ATTEMPTS = 12;
/** Slack's answers that no retry will change: a revoked hook, an archived channel, a bad payload. */
const FINAL_STATUSES = new Set([400, 403, 404, 410]);

/**
 * Slack notifications through an incoming-webhook URL (Block Kit): a batch that finished or
 * failed, a key near its daily budget, a conversation the assistant hands to a person. Each
 * message is a row and a queue job, retried with backoff (429: after Retry-After). The URL is the
 * secret: stored sealed, shown masked, never logged.
 */
export class SlackService {
  readonly #deps: Deps;
  readonly #publicUrl: () => string;

  constructor(deps: Deps, publicUrl: () => string) {
    this.#deps = deps;
    this.#publicUrl = publicUrl;
  }

  async put(input: {
    webhook_url: string;
    events: readonly SlackEventType[];
  }): Promise<SlackIntegrationRecord> {
    const url = new URL(input.webhook_url);
    if (url.protocol !== 'https:' && !(this.#deps.limits.allowPrivateUrls && url.protocol === 'http:'))
      throw invalidRequest('A Slack webhook URL is https', [
        { field: 'webhook_url', message: 'must be https' },
      ]);
    assertFetchableUrl(input.webhook_url, 'webhook_url', this.#deps.limits.allowPrivateUrls);
    return this.#deps.slack.save(this.#deps.db, this.#deps.secrets.seal(input.webhook_url, URL_PURPOSE), [
      ...new Set(input.events),
    ]);
  }

  get(): Promise<SlackIntegrationRecord | null> {
    return this.#deps.slack.get(this.#deps.db);
  }

  async delete(): Promise<void> {
    if (!(await this.#deps.slack.delete(this.#deps.db))) throw notFound('Slack integration', 'slack');
  }

  /** The URL with its secret path hidden: `https://hooks.slack.com/services/T…/…`. */
  maskedUrl(record: SlackIntegrationRecord): string {
    const url = new URL(this.#deps.secrets.open(record.webhook_url, URL_PURPOSE));
    const [first] = url.pathname.split('/').filter(Boolean);
    return `${url.origin}/${first ?? ''}/…`;
  }

  messages(limit: number): Promise<SlackMessageRecord[]> {
    return this.#deps.slack.listMessages(this.#deps.db, limit);
  }

  /** An event, as webhooks carry it: queued as a message when the integration subscribes to it. */
  async notify(type: string, data: unknown): Promise<boolean> {
    const integration = await this.get();
    if (!integration) return false;
    const body = this.#render(type, data as Record<string, unknown>, integration.events);
    if (!body) return false;
    await this.#enqueue(type, body);
    return true;
  }

  /** A message to check the connection (`POST /v1/integrations/slack/test`). */
  async sendTest(): Promise<SlackMessageRecord> {
    if (!(await this.get())) throw notFound('Slack integration', 'slack');
    const id = await this.#enqueue('test', testMessage(this.#publicUrl()));
    return (await this.#deps.slack.findMessage(this.#deps.db, id))!;
  }

  #render(type: string, data: Record<string, unknown>, events: readonly string[]): SlackMessage | null {
    const base = this.#publicUrl();
    if (type === 'batch.finished') {
      // A failed batch is announced by batch.failed when that is subscribed: one message, not two.
      if (!events.includes('batch.finished')) return null;
      if (data.status === 'failed' && events.includes('batch.failed')) return null;
      return batchMessage('batch.finished', data, base);
    }
    if (!events.includes(type)) return null;
    if (type === 'batch.failed') return batchMessage('batch.failed', data, base);
    if (type === 'budget.warning') return budgetMessage(data, base);
    if (type === 'assistant.handoff') return handoffMessage(data, base);
    return null;
  }

  async #enqueue(type: string, message: SlackMessage): Promise<string> {
    const { db, slack, queue } = this.#deps;
    const id = randomUUID();
    await db.transaction(async (tx) => {
      await slack.insertMessage(tx, { id, event_type: type, body: JSON.stringify(message) });
      await queue.send(SLACK_QUEUE, { messageId: id }, { priority: 0, sql: tx });
    });
    queue.wake(SLACK_QUEUE);
    return id;
  }

  /** The queue handler: one attempt; `ok` (200, body "ok") ends it, a refusal fails it, the rest retries. */
  async deliver(messageId: string): Promise<void> {
    const { db, slack, secrets, queue, limits, logger } = this.#deps;
    const message = await slack.findMessage(db, messageId);
    if (message?.status !== 'pending') return;
    const integration = await slack.get(db);
    if (!integration) {
      await slack.recordAttempt(db, messageId, {
        ok: false,
        final: true,
        statusCode: null,
        error: 'Slack was disconnected',
      });
      return;
    }
    const url = secrets.open(integration.webhook_url, URL_PURPOSE);
    let statusCode: number | null = null;
    let error: string | null = null;
    let retryAfter: number | undefined;
    try {
      const response = await outboundFetch(
        url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'Vitrine-Slack/1' },
          body: message.body,
        },
        { allowPrivateUrls: limits.allowPrivateUrls, timeoutMs: TIMEOUT_MS, errorPrefix: 'slack' },
      );
      statusCode = response.status;
      const text = (await response.text()).slice(0, 200);
      if (response.status !== 200 || text.trim() !== 'ok')
        error = `HTTP ${response.status}: ${text || '(empty)'}`;
      retryAfter = retryAfterMs(response.headers.get('retry-after'));
    } catch (failure) {
      error = isPublishError(failure) ? failure.message : 'Slack could not be reached';
    }
    const ok = error === null;
    const attempt = message.attempts + 1;
    const final = ok || attempt >= MAX_ATTEMPTS || (statusCode !== null && FINAL_STATUSES.has(statusCode));
    const recorded = await slack.recordAttempt(db, messageId, { ok, final, statusCode, error });
    if (!recorded) return;
    if (recorded.status === 'failed') {
      // Never the URL: it is the secret.
      logger.warn(
        { messageId, event: message.event_type, status: statusCode, error },
        'slack message failed',
      );
      return;
    }
    if (recorded.status === 'pending') {
      await queue.send(
        SLACK_QUEUE,
        { messageId },
        {
          priority: 0,
          startAfterMs: retryDelayMs(attempt, { baseMs: 1000, maxMs: 600_000, retryAfterMs: retryAfter }),
        },
      );
    }
  }
}
