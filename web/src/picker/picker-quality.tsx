import { WarningList } from '../warning-list.tsx';
import type { PickerJob, PickerJobImage } from './picker-api.ts';
import type { Translate } from './picker-form.tsx';

// What the picker shows of each image's quality check and of the job's warnings, as the studio does.

/** The image's quality score, and the checks it failed with their details (as in the studio). */
export function ImageQuality(props: { t: Translate; id: string; quality: PickerJobImage['quality'] }) {
  const { t, quality } = props;
  if (!quality) {
    return (
      <span id={props.id} class="quality unknown">
        {t('picker.qualityUnknown')}
      </span>
    );
  }
  const failed = quality.checks.filter((check) => !check.passed);
  const score = quality.score.toFixed(2);
  return (
    <span
      id={props.id}
      class={failed.length > 0 ? 'quality failed' : 'quality passed'}
      data-score={score}
      title={failed.map((check) => `${check.name}: ${check.detail}`).join('\n') || undefined}
    >
      {failed.length > 0
        ? t('picker.qualityFailed', { score, checks: failed.map((check) => check.name).join(', ') })
        : t('picker.quality', { score })}
    </span>
  );
}

/** The job's warnings (a text cut, a check failed, the model used): read before inserting. */
export function PickerWarnings(props: { t: Translate; warnings: PickerJob['warnings'] }) {
  return (
    <WarningList
      warnings={props.warnings}
      heading={<strong id="vp-warnings">{props.t('picker.warnings')}</strong>}
      wrapper={{ class: 'warnings', role: 'note', 'aria-labelledby': 'vp-warnings' }}
    />
  );
}
