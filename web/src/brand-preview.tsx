import { useEffect, useRef, useState } from 'preact/hooks';
import type { Template } from './api.ts';
import { type BrandChanges, type PreviewImage, renderPreview } from './brand-api.ts';
import { type MessageId, t } from './i18n.ts';
import { QualityChecks } from './quality-badge.tsx';

/** How long the preview waits after the last edit, so dragging a color does not flood the engine. */
const PREVIEW_DEBOUNCE_MS = 300;
/** Templates tried first as the preview's default: they show the palette, fonts and logo well. */
const PREFERRED_TEMPLATES = ['social_post', 'promo_poster'];
const SAMPLE_PARAMS = ['title', 'subtitle', 'price', 'badge'] as const;

interface Props {
  templates: Template[];
  brand: string;
  changes: BrandChanges;
}

/** The selected template drawn in the brand with its unsaved changes, redrawn as they are typed. */
export function BrandPreview({ templates, brand, changes }: Props) {
  const [templateName, setTemplateName] = useState('');
  // Only what the user typed is kept; untouched fields show the sample text of the current language.
  const [typed, setTyped] = useState<Record<string, string>>({});
  const sample = (name: string) => typed[name] ?? t(`brands.sample.${name}Value` as MessageId);
  const [image, setImage] = useState<{
    url: string;
    notes: string[];
    quality: PreviewImage['quality'];
  } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const urlRef = useRef<string | null>(null);

  useEffect(() => {
    if (templateName || !templates.length) return;
    const preferred = PREFERRED_TEMPLATES.find((name) =>
      templates.some((candidate) => candidate.name === name),
    );
    setTemplateName(preferred ?? templates[0]!.name);
  }, [templates]);
  // The last blob URL is released when the screen goes away.
  useEffect(
    () => () => {
      if (urlRef.current) URL.revokeObjectURL(urlRef.current);
    },
    [],
  );

  const template = templates.find((candidate) => candidate.name === templateName);
  const textParams = (template?.params ?? []).filter(
    (param) => param.kind === 'text' && (SAMPLE_PARAMS as readonly string[]).includes(param.name),
  );
  const params = Object.fromEntries(
    textParams.map((param) => [param.name, sample(param.name)]).filter(([, value]) => value !== ''),
  );
  const requestKey = JSON.stringify({ templateName, brand, changes, params });

  useEffect(() => {
    if (!template || !brand) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setBusy(true);
      renderPreview(
        { template: template.name, params, brand, brand_changes: changes },
        controller.signal,
      ).then(
        (preview) => {
          const url = URL.createObjectURL(preview.blob);
          if (urlRef.current) URL.revokeObjectURL(urlRef.current);
          urlRef.current = url;
          setImage({ url, notes: preview.notes, quality: preview.quality });
          setError(null);
          setBusy(false);
        },
        (failure: Error) => {
          if (controller.signal.aborted) return;
          setError(failure.message);
          setBusy(false);
        },
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [requestKey]);

  return (
    <section class="card brand-preview" aria-labelledby="preview-heading">
      <h2 id="preview-heading">{t('brands.preview')}</h2>
      <label for="preview-template">{t('brands.preview.template')}</label>
      <select
        id="preview-template"
        value={templateName}
        onChange={(event) => setTemplateName((event.target as HTMLSelectElement).value)}
      >
        {templates.map((candidate) => (
          <option key={candidate.name} value={candidate.name}>
            {candidate.name}
          </option>
        ))}
      </select>
      <div class="samples">
        {textParams.map((param) => (
          <div key={param.name} class="field">
            <label for={`sample-${param.name}`}>{t(`brands.sample.${param.name}` as MessageId)}</label>
            <input
              id={`sample-${param.name}`}
              value={sample(param.name)}
              maxLength={param.max_length}
              onInput={(event) => {
                const value = (event.target as HTMLInputElement).value;
                setTyped((current) => ({ ...current, [param.name]: value }));
              }}
            />
          </div>
        ))}
      </div>
      <p role="status" class="hint">
        {busy ? t('brands.preview.updating') : image ? t('brands.preview.ready') : ''}
      </p>
      {error && (
        <p class="error" role="alert">
          {t('brands.preview.failed')} {error}
        </p>
      )}
      <div class="preview-frame" aria-busy={busy}>
        {image && (
          <img class="preview-image" src={image.url} alt={`${t('brands.preview.alt')}: ${templateName}`} />
        )}
      </div>
      {image && (
        <div class="preview-notes">
          <h3 id="notes-heading">{t('brands.preview.notes')}</h3>
          {image.quality && <QualityChecks quality={image.quality} labelId="notes-heading" />}
          {engineNotes(image).length > 0 ? (
            <ul aria-label={t('brands.preview.engineNotes')}>
              {engineNotes(image).map((note) => (
                <li key={note} class="notice">
                  {note}
                </li>
              ))}
            </ul>
          ) : (
            !image.quality && <p class="hint">{t('brands.preview.noNotes')}</p>
          )}
        </div>
      )}
    </section>
  );
}

/** The notes that are not a failed check already listed with the checks (the engine's own remarks). */
function engineNotes(image: { notes: string[]; quality: PreviewImage['quality'] }): string[] {
  const checks = new Set((image.quality?.checks ?? []).map((check) => `${check.name}: ${check.detail}`));
  return image.notes.filter((note) => !checks.has(note));
}
