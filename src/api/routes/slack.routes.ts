import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { SlackMessageRecord } from '../../db/slack.repository.ts';
import { notFound } from '../../domain/errors.ts';
import type { SlackService } from '../../services/integrations/slack.service.ts';
import { slackEventTypes } from '../../services/integrations/slack.service.ts';
import { requireScope } from '../auth.ts';
import type { ApiEnv } from '../context.ts';
import { errorResponses } from '../schemas/common.schema.ts';
import { validationHook } from '../validation.ts';

const SlackInputSchema = z
  .object({
    webhook_url: z.url({ protocol: /^https?$/ }).openapi({
      description:
        'A Slack incoming-webhook URL (https://hooks.slack.com/services/…); stored encrypted, never shown again',
    }),
    events: z
      .array(z.enum(slackEventTypes))
      .min(1)
      .default([...slackEventTypes]),
  })
  .strict()
  .openapi('SlackIntegrationInput');

const SlackSchema = z
  .object({
    webhook_url: z.string().openapi({ description: 'Masked: the path is the secret' }),
    events: z.array(z.string()),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('SlackIntegration');

const SlackMessageSchema = z
  .object({
    id: z.string(),
    event_type: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.number().int(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    body: z.string().openapi({ description: 'The Block Kit JSON sent' }),
    created_at: z.string(),
    delivered_at: z.string().nullable(),
  })
  .openapi('SlackMessage');

function presentMessage(message: SlackMessageRecord) {
  return {
    id: message.id,
    event_type: message.event_type,
    status: message.status,
    attempts: message.attempts,
    last_status_code: message.last_status_code,
    last_error: message.last_error,
    body: message.body,
    created_at: message.created_at.toISOString(),
    delivered_at: message.delivered_at?.toISOString() ?? null,
  };
}

const answer = <T>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});

/** `/v1/integrations/slack` (admin): the incoming webhook, a test message, the message log. */
export function slackRoutes(slack: SlackService) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const tags = ['Slack'];
  const present = async () => {
    const record = await slack.get();
    if (!record) throw notFound('Slack integration', 'slack');
    return {
      webhook_url: slack.maskedUrl(record),
      events: record.events,
      created_at: record.created_at.toISOString(),
      updated_at: record.updated_at.toISOString(),
    };
  };

  app.openapi(
    createRoute({
      method: 'put',
      path: '/integrations/slack',
      tags,
      summary: 'Send notifications to a Slack channel (incoming webhook)',
      middleware: [requireScope('admin')] as const,
      request: { body: { content: { 'application/json': { schema: SlackInputSchema } }, required: true } },
      responses: {
        200: answer('The integration, URL masked', SlackSchema),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      await slack.put(c.req.valid('json'));
      return c.json(await present(), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/integrations/slack',
      tags,
      summary: 'The Slack integration (URL masked)',
      middleware: [requireScope('admin')] as const,
      responses: { 200: answer('The integration', SlackSchema), ...errorResponses(401, 403, 404) },
    }),
    async (c) => c.json(await present(), 200),
  );
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/integrations/slack',
      tags,
      summary: 'Stop Slack notifications',
      middleware: [requireScope('admin')] as const,
      responses: { 204: { description: 'Removed' }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      await slack.delete();
      return c.body(null, 204);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/integrations/slack/test',
      tags,
      summary: 'Queue a test message',
      middleware: [requireScope('admin')] as const,
      responses: { 202: answer('The message', SlackMessageSchema), ...errorResponses(401, 403, 404) },
    }),
    async (c) => c.json(presentMessage(await slack.sendTest()), 202),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/integrations/slack/messages',
      tags,
      summary: 'Messages sent or being sent, newest first',
      middleware: [requireScope('admin')] as const,
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }) },
      responses: {
        200: answer('Messages', z.object({ data: z.array(SlackMessageSchema) })),
        ...errorResponses(401, 403),
      },
    }),
    async (c) =>
      c.json({ data: (await slack.messages(c.req.valid('query').limit)).map(presentMessage) }, 200),
  );
  return app;
}
