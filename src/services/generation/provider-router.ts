import type { Brand } from '../../domain/brand.ts';
import { AppError, invalidRequest } from '../../domain/errors.ts';
import type { Priority } from '../../domain/job.ts';
import { roundUsd } from '../../domain/pricing.ts';
import { matchRoute, type RouteTarget } from '../../domain/routing.ts';
import type { ProviderRegistry } from '../../providers/registry.ts';

export interface RouteRequest {
  /** A provider the caller named: used as asked, never re-routed. */
  provider?: string;
  model?: string;
  template: string | null;
  brand: Brand;
  priority: Priority;
  n: number;
  width: number;
  height: number;
  /** The most the caller will pay for this job; candidates above it are skipped. */
  maxCostUsd?: number;
}

export interface ResolvedTarget {
  provider: string;
  model: string;
}

export interface RouteDecision extends ResolvedTarget {
  /** Where the job may move, in order, when `provider` is failing. */
  fallback: ResolvedTarget[];
  /** The rule that chose it, or how it was chosen. */
  reason: string;
  estimatedCostUsd: number;
}

/**
 * Chooses provider and model for a job: the caller's choice, else the first routing rule that
 * matches (its fallbacks after it), then the brand's default provider, then the deployment default.
 * A candidate with an open circuit goes to the back; one over the caller's budget is dropped.
 */
export function routeGeneration(registry: ProviderRegistry, request: RouteRequest): RouteDecision {
  if (!request.provider && request.model) {
    // A model without a provider: the provider offering it (the default first, for a shared name).
    const owner = [registry.defaultId, ...registry.ids()].find((id) =>
      registry.get(id).models.includes(request.model ?? ''),
    );
    if (!owner) {
      throw invalidRequest(`No configured provider offers model '${request.model}'`, [
        { field: 'model', message: `configured providers: ${registry.ids().join(', ')}` },
      ]);
    }
    return routeGeneration(registry, { ...request, provider: owner });
  }
  if (request.provider) {
    const target = resolveTarget(registry, { provider: request.provider, model: request.model }, 'provider');
    const decision = {
      ...target,
      fallback: [],
      reason: 'requested',
      estimatedCostUsd: estimate(registry, target, request),
    };
    assertWithinBudget(decision.estimatedCostUsd, request);
    return decision;
  }
  const match = matchRoute(registry.routing, {
    template: request.template,
    brand: request.brand.slug,
    priority: request.priority,
    maxCostUsd: request.maxCostUsd,
  });
  // A plain prompt goes to an image model by default; a template to the deployment default (studio).
  const promptDefault = request.template === null ? registry.defaultImageModelId : null;
  const targets: RouteTarget[] = [
    ...(match?.targets ?? []),
    ...(request.brand.default_provider ? [{ provider: request.brand.default_provider }] : []),
    ...(promptDefault ? [{ provider: promptDefault }] : []),
    { provider: registry.defaultId },
  ];
  const seen = new Set<string>();
  const candidates: (ResolvedTarget & { cost: number })[] = [];
  for (const target of targets) {
    const resolved = resolveTarget(registry, target, 'provider');
    const key = `${resolved.provider}\u0000${resolved.model}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // A plain prompt cannot fall back to a layout-only engine: it has no template to render.
    const provider = registry.get(resolved.provider);
    if (candidates.length > 0 && request.template === null && provider.capabilities.layouts) continue;
    candidates.push({ ...resolved, cost: estimate(registry, resolved, request) });
  }
  const affordable = candidates.filter(
    (candidate) => request.maxCostUsd === undefined || candidate.cost <= request.maxCostUsd,
  );
  if (affordable.length === 0) assertWithinBudget(Math.min(...candidates.map((c) => c.cost)), request);
  const ordered = [
    ...affordable.filter((candidate) => registry.get(candidate.provider).isAvailable()),
    ...affordable.filter((candidate) => !registry.get(candidate.provider).isAvailable()),
  ];
  const [chosen, ...fallback] = ordered;
  if (!chosen) throw new AppError('internal', 'No provider candidate');
  return {
    provider: chosen.provider,
    model: chosen.model,
    fallback: fallback.map(({ provider, model }) => ({ provider, model })),
    reason:
      match && chosen === candidates[0]
        ? `routing rule ${match.rule}`
        : match
          ? `fallback of ${match.rule}`
          : request.brand.default_provider && chosen.provider === request.brand.default_provider
            ? 'brand default'
            : 'default',
    estimatedCostUsd: chosen.cost,
  };
}

function resolveTarget(registry: ProviderRegistry, target: RouteTarget, field: string): ResolvedTarget {
  const provider = registry.find(target.provider);
  if (!provider) {
    throw invalidRequest(`Provider '${target.provider}' is not configured`, [
      { field, message: `configured providers: ${registry.ids().join(', ')}` },
    ]);
  }
  const model = target.model ?? provider.defaultModel;
  if (!provider.models.includes(model)) {
    throw invalidRequest(`Model '${model}' is not offered by provider '${provider.id}'`, [
      { field: 'model', message: `models of ${provider.id}: ${provider.models.join(', ')}` },
    ]);
  }
  return { provider: provider.id, model };
}

function estimate(registry: ProviderRegistry, target: ResolvedTarget, request: RouteRequest): number {
  const perImage = registry.pricePerImage(target.provider, {
    model: target.model,
    width: request.width,
    height: request.height,
  });
  return roundUsd(perImage * request.n);
}

function assertWithinBudget(cost: number, request: RouteRequest): void {
  if (request.maxCostUsd === undefined || cost <= request.maxCostUsd) return;
  throw new AppError(
    'budget_exceeded',
    `The job would cost $${cost} but max_cost_usd is $${request.maxCostUsd}`,
    { retryable: false, details: { estimated_cost_usd: cost, max_cost_usd: request.maxCostUsd } },
  );
}
