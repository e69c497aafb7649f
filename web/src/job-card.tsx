import { useState } from 'preact/hooks';
import type { Job, JobImage } from './api.ts';
import { t } from './i18n.ts';
import { useJob } from './use-job.ts';

/** One generation: a tile per image with its progress, then the images with their actions. */
export function JobCard(props: { job: Job; onRegenerate(): void; onUseAsProduct(image: JobImage): void }) {
  const state = useJob(props.job);
  const n = props.job.n;
  const images = state.job?.images ?? [];
  return (
    <section class="job" data-job-id={props.job.id} data-status={state.status} aria-busy={!state.job}>
      <p class="job-status">
        {t(`job.${state.status}`)}
        {state.job?.cost_usd != null && ` · $${state.job.cost_usd.toFixed(3)}`}
        {state.job?.provider && ` · ${state.job.provider}`}
      </p>
      {state.job?.error && (
        <p class="error" role="alert">
          {state.job.error.message}
        </p>
      )}
      <div class="grid">
        {images.length > 0
          ? images.map((image) => (
              <ImageTile key={image.id} image={image} onUseAsProduct={() => props.onUseAsProduct(image)} />
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

function ImageTile(props: { image: JobImage; onUseAsProduct(): void }) {
  const [copied, setCopied] = useState(false);
  const { image } = props;
  // Signed URLs: they work without a session until they expire, so they can be shared as they are.
  const absolute = new URL(image.url, location.origin).toString();
  return (
    <figure class="tile">
      <img src={image.url} width={image.width} height={image.height} alt={`seed ${image.seed}`} />
      <figcaption>
        <a href={image.url} download>
          {t('gallery.download')}
        </a>
        <button
          type="button"
          class="link"
          onClick={async () => {
            // The clipboard API exists only in secure contexts (HTTPS or localhost); elsewhere, e.g.
            // http:// on a LAN address, the browser's prompt shows the link selected for copying.
            if (!navigator.clipboard) {
              window.prompt(t('gallery.copy'), absolute);
              return;
            }
            await navigator.clipboard.writeText(absolute);
            setCopied(true);
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
