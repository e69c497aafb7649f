import type { Layout } from '../domain/layout.ts';
import { applicableLayers } from '../domain/layout-conditions.ts';
import { findStylePack } from '../domain/style-packs.ts';
import type { TextPlans } from './layout-geometry.ts';
import type { RenderLayoutInput } from './layout-renderer.ts';
import { type LayoutScore, scoreLayout } from './layout-score.ts';

/**
 * One design the engine may draw for a request: a composition of the layout (its base layers or
 * one of `layout.compositions`) in one palette arrangement of the style pack. The layers whose
 * `when` does not hold for the request's values are already dropped.
 */
export interface Candidate {
  /** `base` or the composition's name. */
  composition: string;
  /** The pack's palette arrangement (0 or 1). */
  arrangement: number;
  /** What to render: the request with this candidate's layers and arrangement. */
  input: RenderLayoutInput;
}

/**
 * Every candidate of a request, in the layout's own order: base first, then each composition, each
 * in arrangement 0 then 1. A layout without a style pack (and a request naming none) has one
 * arrangement. Line breaking is not a candidate axis: the text fitter already tries every line count.
 */
export function expandCandidates(input: RenderLayoutInput): Candidate[] {
  const compositions = [{ name: 'base', layers: input.layout.layers }, ...(input.layout.compositions ?? [])];
  const pack = findStylePack(input.stylePack ?? input.layout.stylePack);
  const arrangements = pack ? pack.arrangements.map((_, index) => index) : [0];
  const candidates: Candidate[] = [];
  for (const composition of compositions) {
    const layers = applicableLayers(composition.layers, input.params, input.images);
    // A composition with nothing left to draw is no design; the renderer needs one layer.
    if (layers.length === 0) continue;
    const layout: Layout = { ...input.layout, layers, compositions: undefined };
    for (const arrangement of arrangements) {
      candidates.push({
        composition: composition.name,
        arrangement,
        input: { ...input, layout, arrangement },
      });
    }
  }
  // Every layer conditioned away: draw the base as written rather than nothing.
  if (candidates.length === 0) candidates.push({ composition: 'base', arrangement: 0, input });
  return candidates;
}

export interface ChosenCandidate extends Candidate {
  scored: LayoutScore;
  /** How many candidates the image was chosen from. */
  of: number;
}

/**
 * The designs of a request's `n` images. With the scorer, image 0 is the best candidate and each
 * further image the best one of a composition not used yet, else of a composition and arrangement
 * pair not used yet (so variants are different designs), among candidates scoring at least
 * DIVERSITY_FLOOR of the best; when none is left, the best again. Without the scorer (`scorer:
 * false`, for tests and comparison) the candidates are taken in order.
 */
export function chooseCandidates(
  input: RenderLayoutInput,
  n: number,
  options: { scorer?: boolean } = {},
): ChosenCandidate[] {
  const candidates = expandCandidates(input);
  const plans: TextPlans = new Map();
  if (options.scorer === false) {
    return Array.from({ length: n }, (_, k) => {
      const candidate = candidates[k % candidates.length]!;
      return { ...candidate, scored: scoreLayout(candidate.input, plans), of: candidates.length };
    });
  }
  const scored = candidates
    .map((candidate, order) => ({ ...candidate, scored: scoreLayout(candidate.input, plans), order }))
    .sort((a, b) => b.scored.score - a.scored.score || a.order - b.order);
  const best = scored[0]!;
  const eligible = scored.filter((c) => c.scored.score >= best.scored.score * DIVERSITY_FLOOR);
  const chosen: typeof scored = [];
  for (let k = 0; k < n; k += 1) {
    const usedCompositions = new Set(chosen.map((c) => c.composition));
    const usedPairs = new Set(chosen.map((c) => `${c.composition}\u0000${c.arrangement}`));
    const previous = chosen.at(-1)?.arrangement;
    const pick =
      eligible.find((c) => !usedCompositions.has(c.composition) && c.arrangement !== previous) ??
      eligible.find((c) => !usedCompositions.has(c.composition)) ??
      eligible.find((c) => !usedPairs.has(`${c.composition}\u0000${c.arrangement}`)) ??
      best;
    chosen.push(pick);
  }
  return chosen.map(({ order: _order, ...candidate }) => ({ ...candidate, of: candidates.length }));
}

/** A variant may be a less good design than the best, but not much: at least this share of its score. */
const DIVERSITY_FLOOR = 0.75;
