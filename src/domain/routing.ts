import { z } from 'zod';
import { priorities } from './job.ts';

/**
 * Routing rules (the `routing:` section of VITRINE_CONFIG): which provider and model serve a job,
 * and where it goes when that provider is failing. The first rule whose `when` matches wins; a
 * rule without `when` matches everything. A request that names its provider is never re-routed.
 */

/** `openai` or `{provider: openai, model: gpt-image-1}`. */
export const routeTargetSchema = z.union([
  z
    .string()
    .min(1)
    .transform((provider) => ({ provider, model: undefined as string | undefined })),
  z.object({ provider: z.string().min(1), model: z.string().min(1).optional() }).strict(),
]);
export type RouteTarget = { provider: string; model?: string | undefined };

const oneOrMany = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .transform((value) => (Array.isArray(value) ? value : [value]));

export const routeConditionSchema = z
  .object({
    template: oneOrMany.optional(),
    brand: oneOrMany.optional(),
    priority: z
      .union([z.enum(priorities), z.array(z.enum(priorities)).min(1)])
      .transform((value) => (Array.isArray(value) ? value : [value]))
      .optional(),
    /** Matches requests without a template (a plain prompt). */
    prompt_only: z.boolean().optional(),
    /** Matches requests whose `max_cost_usd` is below this: send thrifty callers to cheap models. */
    budget_below_usd: z.number().positive().optional(),
  })
  .strict();

export const routeRuleSchema = z
  .object({
    name: z.string().optional(),
    when: routeConditionSchema.default({}),
    use: routeTargetSchema,
    /** Tried in order when `use` is unhealthy (open circuit) or over the request's budget. */
    fallback: z.array(routeTargetSchema).default([]),
  })
  .strict();

export const routingSchema = z
  .object({
    rules: z.array(routeRuleSchema).default([]),
  })
  .strict();

export type Routing = z.infer<typeof routingSchema>;
export type RouteRule = z.infer<typeof routeRuleSchema>;

export interface RouteQuery {
  template: string | null;
  brand: string;
  priority: (typeof priorities)[number];
  maxCostUsd?: number;
}

export interface RouteMatch {
  rule: string;
  targets: RouteTarget[];
}

/** The first matching rule's targets (its `use`, then its fallbacks), or null when none matches. */
export function matchRoute(routing: Routing, query: RouteQuery): RouteMatch | null {
  for (const [index, rule] of routing.rules.entries()) {
    if (!ruleMatches(rule, query)) continue;
    return { rule: rule.name ?? `rules.${index}`, targets: [rule.use, ...rule.fallback] };
  }
  return null;
}

function ruleMatches(rule: RouteRule, query: RouteQuery): boolean {
  const when = rule.when;
  if (when.template && (!query.template || !when.template.includes(query.template))) return false;
  if (when.brand && !when.brand.includes(query.brand)) return false;
  if (when.priority && !when.priority.includes(query.priority)) return false;
  if (when.prompt_only !== undefined && when.prompt_only !== (query.template === null)) return false;
  if (when.budget_below_usd !== undefined) {
    if (query.maxCostUsd === undefined || query.maxCostUsd >= when.budget_below_usd) return false;
  }
  return true;
}

/** Every provider id the rules name, to check them against the configured providers at start. */
export function routedProviderIds(routing: Routing): string[] {
  return [
    ...new Set(
      routing.rules.flatMap((rule) => [rule.use, ...rule.fallback].map((target) => target.provider)),
    ),
  ];
}
