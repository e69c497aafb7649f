import { useEffect, useState } from 'preact/hooks';
import type { Template } from './api.ts';
import { previewImage } from './batch-api.ts';
import type { Mapping } from './batch-mapping.tsx';
import type { CsvHead } from './csv-head.ts';
import { format } from './format.ts';
import { t } from './i18n.ts';

interface Props {
  template: Template;
  brand: string;
  head: CsvHead;
  mapping: Mapping;
}

/**
 * The first row that has every required field, drawn by `POST /v1/previews` (the studio engine: no
 * job, no cost) and shown from a blob: URL, so the user sees a real image before starting.
 */
export function BatchPreview({ template, brand, head, mapping }: Props) {
  const [image, setImage] = useState<{ url: string; line: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const candidate = head.rows
    .map((row) => ({
      line: row.line,
      params: Object.fromEntries(
        template.params
          .map((param) => [param.name, (row.values[mapping[param.name] ?? ''] ?? '').trim()] as const)
          .filter(([name, value]) => value !== '' && mapping[name]),
      ),
    }))
    .find((row) => template.params.every((param) => !param.required || row.params[param.name]));
  const key = candidate ? JSON.stringify([template.name, brand, candidate]) : '';

  useEffect(() => {
    setError(null);
    if (!candidate) {
      setImage(null);
      return;
    }
    const controller = new AbortController();
    let url: string | null = null;
    // A moment after the last change, so choosing columns does not flood the engine.
    const timer = setTimeout(() => {
      previewImage(
        { template: template.name, params: candidate.params, ...(brand ? { brand } : {}) },
        controller.signal,
      ).then(
        (blob) => {
          url = URL.createObjectURL(blob);
          setImage({ url, line: candidate.line });
        },
        (failure: Error) => {
          if (!controller.signal.aborted) setError(failure.message);
        },
      );
    }, 200);
    return () => {
      clearTimeout(timer);
      controller.abort();
      // The image element keeps showing the old picture until the new one arrives.
      if (url) setTimeout(() => URL.revokeObjectURL(url!), 5000);
    };
  }, [key]);

  if (!candidate) return <p class="hint">{t('batch.previewNone')}</p>;
  const label = format('batch.previewImage', { n: candidate.line });
  return (
    <figure class="batch-preview" aria-busy={image?.line !== candidate.line}>
      {image ? (
        <img src={image.url} alt={format('batch.previewImage', { n: image.line })} />
      ) : (
        <p class="hint" role="status">
          {t('batch.previewLoading')}
        </p>
      )}
      <figcaption>{label}</figcaption>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </figure>
  );
}
