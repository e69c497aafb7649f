import { request } from './api.ts';

/** The script analysis and storyboard as the API answers them (see /v1/scripts in the API reference). */

export const MOODS = ['urgent', 'premium', 'festive', 'cute', 'fresh'] as const;
export type Mood = (typeof MOODS)[number];
export type VisualRole = 'cover' | 'hero' | 'offer' | 'up_next' | 'countdown';

export interface Offer {
  type: string;
  headline: string;
  price_text: string | null;
  code: string | null;
  stock: number | null;
  [field: string]: unknown;
}

export interface Segment {
  index: number;
  label: string;
  kind: string;
  title: string;
  time: string | null;
  text: string;
  product: { name: string; sku: string | null; source: string; image: string | null } | null;
  category: string;
  keywords: Array<{ text: string; weight: number }>;
  selling_points: Array<{ text: string; kind: string; confidence: number }>;
  offers: Array<Offer | { text: string }>;
  emotion: { mood: Mood; confidence: number; cues: string[] };
  style_pack?: string;
  visuals?: Array<{ role: VisualRole; template: string }>;
  [field: string]: unknown;
}

export interface Script {
  id: string;
  title: string;
  language: string;
  analyzer: string;
  model: string | null;
  notes: Array<{ code: string; message: string }>;
  segments: Segment[];
  options: { n: number; visuals: VisualRole[] };
}

export interface RunSheet {
  batch_id: string;
  status: string;
  segments: Array<{
    segment: number;
    time: string | null;
    title: string;
    status: 'done' | 'rendering' | 'failed';
    visuals: Array<{ role: VisualRole; status: string; urls: string[]; error: string | null }>;
  }>;
}

export interface BatchView {
  id: string;
  status: string;
  total: number;
  counts: { succeeded: number; failed: number; canceled: number };
}

export function analyzeScript(body: { text: string; brand?: string; analyzer: string; n: number }) {
  return request<Script>('POST', '/v1/scripts/analyze', body);
}

export function renderScript(body: { script_id: string; segments?: Segment[]; n: number }) {
  return request<BatchView>('POST', '/v1/scripts/render', body);
}

export function runSheet(batchId: string) {
  return request<RunSheet>('GET', `/v1/batches/${encodeURIComponent(batchId)}/run-sheet.json`);
}

export function batchState(batchId: string) {
  return request<BatchView>('GET', `/v1/batches/${encodeURIComponent(batchId)}`);
}
