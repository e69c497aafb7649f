import type { ImageQuality, JobWarning } from './api.ts';
import { t } from './i18n.ts';
import { WarningList } from './warning-list.tsx';

/** The image's quality score, green when every check passed, red naming the failed checks. */
export function QualityBadge(props: { quality: ImageQuality | null | undefined; index: number }) {
  const { quality } = props;
  if (!quality) return <span class="quality unknown">{t('quality.unknown')}</span>;
  const failed = quality.checks.filter((check) => !check.passed);
  const score = quality.score.toFixed(2);
  return (
    <details class={failed.length > 0 ? 'quality failed' : 'quality passed'} data-score={score}>
      <summary>
        {t('quality.score').replace('{score}', score)}
        {failed.length > 0 &&
          ` · ${t('quality.failed').replace('{checks}', failed.map((c) => c.name).join(', '))}`}
      </summary>
      <ul aria-label={t('quality.detailsOf').replace('{index}', String(props.index + 1))}>
        {quality.checks.map((check) => (
          <li key={check.name} class={check.passed ? 'ok' : 'bad'}>
            <strong>{check.name}</strong>: {check.detail}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** The job's warnings that ask for attention. */
export function JobWarnings(props: { warnings: readonly JobWarning[] | undefined }) {
  return (
    <WarningList
      warnings={props.warnings}
      heading={<strong>{t('quality.warnings')}</strong>}
      wrapper={{ class: 'job-warnings', role: 'status' }}
    />
  );
}

/**
 * The score and every check of one image, passed and failed, as a list named by the element
 * `labelId` (the live previews show it open, where the badge hides it behind a click).
 */
export function QualityChecks(props: { quality: ImageQuality; labelId: string }) {
  const { quality } = props;
  const failed = quality.checks.filter((check) => !check.passed).length;
  return (
    <div class="quality-checks">
      <p class={failed > 0 ? 'quality-score failed' : 'quality-score passed'} data-score={quality.score}>
        {t('quality.score').replace('{score}', quality.score.toFixed(2))} ·{' '}
        {failed > 0 ? t('quality.someFailed').replace('{n}', String(failed)) : t('quality.passed')}
      </p>
      <ul aria-labelledby={props.labelId}>
        {quality.checks.map((check) => (
          <li key={check.name} class={check.passed ? 'ok' : 'bad'} data-check={check.name}>
            <span aria-hidden="true">{check.passed ? '✓ ' : '✗ '}</span>
            <strong>{check.name}</strong>
            <span class="visually-hidden"> ({check.passed ? t('quality.ok') : t('quality.bad')})</span>:{' '}
            {check.detail}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * How the job's `generated` background was made (docs/product-photos.md): painted around the
 * product through a mask, from the prompt alone, or procedural; nothing when it had none.
 */
export function BackgroundPath(props: { warnings: readonly JobWarning[] | undefined }) {
  const warnings = props.warnings ?? [];
  const call = warnings.find(
    (warning) => warning.data?.provider && typeof warning.data?.background_path === 'string',
  );
  const path = (call ?? warnings.find((warning) => typeof warning.data?.background_path === 'string'))?.data
    ?.background_path;
  if (path !== 'masked_edit' && path !== 'generated' && path !== 'procedural') return null;
  const model = call ? `${String(call.data?.provider)}/${String(call.data?.model)}` : '';
  return (
    <span class="background-path" data-background-path={path}>
      {' · '}
      {t(`background.${path}` as const).replace('{model}', model)}
    </span>
  );
}
