import type { JobWarning } from './quality.ts';

/**
 * Job warnings in one shape, `{code, message, image?, level?, data?}` (the contract's `warnings`).
 * Providers report theirs in the provider contract's shapes, and rows written before issue 11 hold
 * those shapes too; both are read into JobWarning here, keeping everything they said.
 */

/** The provider contract's warning (see providers/spec.ts), structurally, so the domain needs no import. */
type ProviderWarningLike =
  | { type: 'unsupported'; feature: string; details?: string }
  | { type: 'other'; message: string }
  | { type: 'note'; topic: string; message: string; attention: boolean; data?: Record<string, unknown> };

/** A provider's warning as a job warning. */
export function fromProviderWarning(warning: ProviderWarningLike): JobWarning {
  if (warning.type === 'unsupported') {
    return {
      code: 'unsupported_option',
      message: `${warning.feature} is not supported by this provider${warning.details ? `: ${warning.details}` : ''}`,
      data: { feature: warning.feature },
    };
  }
  if (warning.type === 'other') return { code: 'provider_warning', message: warning.message };
  const image = imageOf(warning);
  return {
    code: noteCode(warning),
    message: warning.message,
    ...(image === undefined ? {} : { image }),
    level: warning.attention ? 'warning' : 'info',
    ...(warning.data ? { data: warning.data } : {}),
  };
}

/** Stored warnings, whatever their age, as JobWarning. Unknown shapes keep their text. */
export function normalizeJobWarnings(stored: readonly unknown[] | null | undefined): JobWarning[] {
  return (stored ?? []).map((entry) => {
    if (!entry || typeof entry !== 'object') return { code: 'warning', message: String(entry) };
    const value = entry as Record<string, unknown>;
    if (typeof value.code === 'string' && typeof value.message === 'string')
      return value as unknown as JobWarning;
    if (value.type === 'unsupported' || value.type === 'other' || value.type === 'note') {
      return fromProviderWarning(value as ProviderWarningLike);
    }
    return { code: 'warning', message: JSON.stringify(value) };
  });
}

/** The warnings a person should look at (not the `info` records). */
export function attentionWarnings(warnings: readonly JobWarning[]): JobWarning[] {
  return warnings.filter((warning) => (warning.level ?? 'warning') === 'warning');
}

function noteCode(note: { topic: string; attention: boolean; data?: Record<string, unknown> }): string {
  if (note.topic === 'layout_checks') return note.attention ? 'layout_check_failed' : 'layout_checks';
  if (note.topic === 'background')
    return note.data?.source === 'provider' ? 'background_provider' : 'background_procedural';
  if (note.topic === 'cutout') return note.attention ? 'cutout_needs_review' : 'cutout';
  return note.topic;
}

function imageOf(note: { message: string; data?: Record<string, unknown> }): number | undefined {
  if (typeof note.data?.image === 'number') return note.data.image;
  const match = /^image (\d+):/.exec(note.message);
  return match ? Number(match[1]) - 1 : undefined;
}
