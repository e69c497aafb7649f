import { useState } from 'preact/hooks';
import type { Job, JobImage } from './api.ts';
import { absoluteUrl, copyText } from './clipboard.ts';
import { t } from './i18n.ts';
import { BackgroundPath, JobWarnings, QualityBadge } from './quality-badge.tsx';
import { useJob } from './use-job.ts';

/** One generation: a tile per image with its progress, then the images with their actions. */
export function JobCard(props: {
  job: Job;
  selected: ReadonlySet<string>;
  onToggle(image: JobImage): void;
  onRegenerate(): void;
  onUseAsProduct(image: JobImage): void;
}) {
  const state = useJob(props.job);
  const n = props.job.n;
  const images = state.job?.images ?? [];
  return (
    <section class="job" data-job-id={props.job.id} data-status={state.status} aria-busy={!state.job}>
      <p class="job-status">
        {t(`job.${state.status}`)}
        {state.job?.cost_usd != null && ` · $${state.job.cost_usd.toFixed(3)}`}
        {state.job?.provider && ` · ${state.job.provider}`}
        <BackgroundPath warnings={state.job?.warnings} />
      </p>
      {state.job?.error && (
        <p class="error" role="alert">
          {state.job.error.message}
        </p>
      )}
      <JobWarnings warnings={state.job?.warnings} />
      <div class="grid">
        {images.length > 0
          ? images.map((image) => (
              <ImageTile
                key={image.id}
                image={image}
                index={images.indexOf(image)}
                selected={props.selected.has(image.id)}
                onToggle={() => props.onToggle(image)}
                onUseAsProduct={() => props.onUseAsProduct(image)}
              />
            ))
          : Array.from({ length: n }, (_, index) => (
              <ProgressTile key={index} index={index} fraction={clamp(state.progress * n - index)} />
            ))}
      </div>
      {state.job && state.status === 'succeeded' && (
        <button type="button" class="secondary" onClick={props.onRegenerate}>
          {t('gallery.regenerate')}
        </button>
      )}
    </section>
  );
}

function ProgressTile(props: { index: number; fraction: number }) {
  const percent = Math.round(props.fraction * 100);
  return (
    <figure class="tile pending">
      <progress max={100} value={percent} aria-label={`${t('job.image')} ${props.index + 1}`} />
      <figcaption>
        {t('job.image')} {props.index + 1} · {percent}%
      </figcaption>
    </figure>
  );
}

function ImageTile(props: {
  image: JobImage;
  index: number;
  selected: boolean;
  onToggle(): void;
  onUseAsProduct(): void;
}) {
  const [copied, setCopied] = useState(false);
  const { image } = props;
  const name = `${t('job.image')} ${props.index + 1}`;
  return (
    <figure class={props.selected ? 'tile selected' : 'tile'}>
      <label class="select">
        <input type="checkbox" checked={props.selected} onChange={props.onToggle} />
        {t('gallery.select')} <span class="visually-hidden">{name}</span>
      </label>
      <img src={image.url} width={image.width} height={image.height} alt={`${name} (seed ${image.seed})`} />
      <QualityBadge quality={image.quality} index={props.index} />
      <figcaption>
        <a href={image.url} download>
          {t('gallery.download')}
        </a>
        <button
          type="button"
          class="link"
          onClick={async () => {
            // Signed URLs work without a session until they expire, so they can be shared as they are.
            setCopied(await copyText(absoluteUrl(image.url), t('gallery.copy')));
          }}
        >
          {copied ? t('gallery.copied') : t('gallery.copy')}
        </button>
        <button type="button" class="link" onClick={props.onUseAsProduct}>
          {t('gallery.useAsProduct')}
        </button>
      </figcaption>
    </figure>
  );
}

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value));
}
