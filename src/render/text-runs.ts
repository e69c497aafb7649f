import type { SKRSContext2D } from '@napi-rs/canvas';
import type { Layout } from '../domain/layout.ts';
import { backdropRows, sampleRows } from './backdrop-sampling.ts';
import type { Rgba } from './colors.ts';
import { type LayoutTextInput, linePositions, type PlannedText, planText } from './text-layers.ts';

// Runs of consecutive text and badge layers, planned together so their backdrops are read at once.

/**
 * Samples the backdrop under several text plans with a single canvas read. Reads are what cost:
 * @napi-rs/canvas records drawing and replays it on every pixel read, so one read for a run of
 * text layers instead of one per text saves a full replay of the canvas per text.
 */
export function sampleBackdrops(ctx: SKRSContext2D, plans: readonly PlannedText[]): Rgba[][] {
  return sampleRows(
    ctx,
    plans.map((plan) => backdropRows(ctx, linePositions(plan), plan.fontSize)),
  );
}

export type TextRuns = Map<number, { plan: PlannedText; backdrop: Rgba[] | undefined } | null>;

/**
 * Plans the run of consecutive text and badge layers starting at `first` and reads the backdrop
 * under all its texts at once (see sampleBackdrops): texts of one run sit on the same layers.
 */
export function planTextRun(
  ctx: SKRSContext2D,
  layers: Layout['layers'],
  first: number,
  input: LayoutTextInput,
  runs: TextRuns,
  applies: readonly boolean[] = [],
) {
  const planned: Array<{ index: number; plan: PlannedText; reads: boolean }> = [];
  for (let index = first; index < layers.length; index += 1) {
    const layer = layers[index]!;
    if (applies[index] === false) continue; // skipped by its `when`: not drawn, not in the run's way
    if (layer.type !== 'text' && layer.type !== 'badge') break;
    const plan = planText(layer, index, input);
    if (plan) planned.push({ index, plan, reads: layer.type === 'text' });
    else runs.set(index, null);
  }
  const reading = planned.filter((entry) => entry.reads);
  const backdrops = sampleBackdrops(
    ctx,
    reading.map((entry) => entry.plan),
  );
  for (const entry of planned) {
    const at = reading.indexOf(entry);
    runs.set(entry.index, { plan: entry.plan, backdrop: at >= 0 ? backdrops[at] : undefined });
  }
}
