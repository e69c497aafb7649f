import { useEffect, useMemo, useState } from 'preact/hooks';
import {
  type Estimate,
  type GenerationRequest,
  type Job,
  type JobImage,
  request,
  type Template,
} from './api.ts';
import { BrandSelect, ProviderSelect, TemplateSelect } from './catalog-selects.tsx';
import { SelectionBar } from './gallery-selection.tsx';
import { NoModelNotice, PosterBriefField, StylePackSelect, TemplateParamFields } from './generate-fields.tsx';
import { getLocale, t } from './i18n.ts';
import { JobCard } from './job-card.tsx';
import { styleLabel } from './labels.ts';
import { COUNTS, SIZE_PRESETS } from './sizes.ts';
import { TemplateGallery } from './template-gallery.tsx';
import { templateDescription } from './template-labels.ts';
import { useCatalog } from './use-catalog.ts';

type Mode = 'template' | 'poster' | 'prompt';
const MODES: readonly Mode[] = ['template', 'poster', 'prompt'];

/** A request as the screen sends it: a generation, or a poster from a brief (`POST /v1/posters`). */
type ScreenRequest = GenerationRequest & { brief?: string };
const endpointOf = (body: ScreenRequest) => (body.brief !== undefined ? '/v1/posters' : '/v1/generations');

/** The generate screen: the request form with its live estimate, then the jobs it started. */
export function GeneratePage() {
  const [mode, setMode] = useState<Mode>('template');
  const [prompt, setPrompt] = useState('');
  const [brief, setBrief] = useState('');
  const [stylePack, setStylePack] = useState('');
  // The template chosen in the form; until one is, the first in the list.
  const [chosenTemplate, setTemplateName] = useState('');
  const [params, setParams] = useState<Record<string, string>>({});
  const [brand, setBrand] = useState('');
  const [style, setStyle] = useState('');
  const [count, setCount] = useState<number>(1);
  const [size, setSize] = useState('template');
  const [provider, setProvider] = useState('');
  const [estimate, setEstimate] = useState<Estimate | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Images picked in the gallery, by id, in the order they were picked.
  const [selected, setSelected] = useState<Map<string, JobImage>>(new Map());
  // Each job keeps the request that made it, so regenerating repeats that request, not the form's.
  const [jobs, setJobs] = useState<Array<{ job: Job; request: ScreenRequest }>>([]);

  const { templates, brands, providers, styles, stylePacks, imageModel } = useCatalog(setError);
  // A description with no image model and no provider chosen would be refused: said before the click.
  const noModel = mode === 'prompt' && imageModel === null && !provider;
  const templateName = chosenTemplate || templates[0]?.name || '';
  const template = templates.find((candidate) => candidate.name === templateName);
  const body = useMemo((): ScreenRequest | null => {
    const preset = SIZE_PRESETS.find((candidate) => candidate.id === size);
    const sized = preset?.width ? { width: preset.width, height: preset.height } : {};
    const design = stylePack ? { style_pack: stylePack } : {};
    if (mode === 'poster') {
      return brief.trim()
        ? { n: count, brief: brief.trim(), ...(brand ? { brand } : {}), ...design, ...sized }
        : null;
    }
    const common: GenerationRequest = {
      n: count,
      ...(brand ? { brand } : {}),
      ...(style ? { style } : {}),
      ...(provider ? { provider } : {}),
      ...sized,
    };
    if (mode === 'prompt') return prompt.trim() ? { ...common, prompt: prompt.trim() } : null;
    if (!template) return null;
    // Only this template's fields: values typed for another template stay in the form, not the request.
    const filled = Object.fromEntries(
      template.params
        .map((param) => [param.name, (params[param.name] ?? '').trim()] as const)
        .filter(([, value]) => value !== ''),
    );
    const missing = template.params.some((param) => param.required && !filled[param.name]);
    return missing ? null : { ...common, ...design, template: template.name, params: filled };
  }, [mode, prompt, brief, template, params, brand, style, stylePack, count, size, provider]);

  // A poster (the studio engine, free) and a description that would be refused have no estimate.
  const estimated = body !== null && body.brief === undefined && !noModel;
  // The estimate follows the form, a moment after the last change so typing does not flood the API.
  useEffect(() => {
    setEstimate(null);
    if (!estimated) return;
    let current = true;
    const timer = setTimeout(() => {
      request<Estimate>('POST', '/v1/estimate', body).then(
        (answer) => {
          if (!current) return;
          setEstimate(answer);
          setError(null);
        },
        (failure: Error) => current && setError(failure.message),
      );
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [body, estimated]);

  async function generate(request_: ScreenRequest) {
    setBusy(true);
    setError(null);
    try {
      const job = await request<Job>('POST', endpointOf(request_), request_);
      setJobs((list) => [{ job, request: request_ }, ...list]);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  }

  /**
   * A generated image becomes the product photo of the next request: the current template's image
   * param, or the first template that takes a product photo. Focus moves to that field.
   */
  function useAsProductPhoto(image: JobImage) {
    const takesImage = (candidate: Template) => candidate.params.some((param) => param.kind === 'image');
    const target = template && takesImage(template) ? template : templates.find(takesImage);
    const param = target?.params.find((candidate) => candidate.kind === 'image');
    if (!target || !param) return;
    setMode('template');
    setTemplateName(target.name);
    setParams((now) => ({ ...now, [param.name]: image.id }));
    requestAnimationFrame(() => document.getElementById(`param-${param.name}`)?.focus());
  }

  return (
    <div class="columns">
      <form
        class="card"
        onSubmit={(event) => {
          event.preventDefault();
          if (body) void generate(body);
        }}
      >
        <h1>{t('gen.heading')}</h1>
        <fieldset class="choices">
          <legend>{t('gen.mode')}</legend>
          {MODES.map((value) => (
            <label key={value}>
              <input type="radio" name="mode" checked={mode === value} onChange={() => setMode(value)} />
              {t(`gen.mode.${value}`)}
            </label>
          ))}
        </fieldset>
        <label for="brand">{t('gen.brand')}</label>
        <BrandSelect
          id="brand"
          brands={brands}
          noneLabel={t('gen.brand.none')}
          value={brand}
          onChange={setBrand}
        />
        {mode !== 'prompt' && (
          <StylePackSelect packs={stylePacks} value={stylePack} onChange={setStylePack} />
        )}
        {mode === 'poster' && <PosterBriefField value={brief} onChange={setBrief} />}
        {mode === 'prompt' && (
          <>
            <label for="prompt">{t('gen.prompt')}</label>
            <textarea
              id="prompt"
              rows={3}
              value={prompt}
              placeholder={t('gen.promptPlaceholder')}
              onInput={(event) => setPrompt(event.currentTarget.value)}
            />
            {noModel && <NoModelNotice />}
          </>
        )}
        {mode === 'template' && (
          <>
            <label for="template">{t('gen.template')}</label>
            <TemplateSelect
              id="template"
              templates={templates}
              value={templateName}
              onChange={setTemplateName}
            />
            {template && <p class="hint">{templateDescription(template, getLocale())}</p>}
            {template && (
              <TemplateParamFields
                template={template}
                params={params}
                onChange={(name, value) => setParams((now) => ({ ...now, [name]: value }))}
              />
            )}
          </>
        )}
        {mode !== 'poster' && (
          <>
            <label for="style">{t('gen.style')}</label>
            <select id="style" value={style} onChange={(event) => setStyle(event.currentTarget.value)}>
              <option value="">{t('gen.style.none')}</option>
              {styles.map((preset) => (
                <option key={preset.id} value={preset.id} title={preset.description}>
                  {styleLabel(preset.id, getLocale())}
                </option>
              ))}
            </select>
          </>
        )}
        <fieldset class="choices">
          <legend>{t('gen.count')}</legend>
          {COUNTS.map((value) => (
            <label key={value}>
              <input type="radio" name="count" checked={count === value} onChange={() => setCount(value)} />
              {value}
            </label>
          ))}
        </fieldset>
        <label for="size">{t('gen.size')}</label>
        <select id="size" value={size} onChange={(event) => setSize(event.currentTarget.value)}>
          {SIZE_PRESETS.map((preset) => (
            <option key={preset.id} value={preset.id}>
              {t(preset.label)}
            </option>
          ))}
        </select>
        {mode !== 'poster' && (
          <>
            <label for="provider">{t('gen.provider')}</label>
            <ProviderSelect
              id="provider"
              providers={providers}
              autoLabel={t('gen.provider.auto')}
              value={provider}
              onChange={setProvider}
            />
          </>
        )}
        <p class="estimate" aria-live="polite">
          {t('gen.estimate')}:{' '}
          <output data-testid="estimate">
            {estimate
              ? `$${estimate.cost_usd.toFixed(3)} · ${estimate.provider}/${estimate.model}`
              : estimated
                ? t('gen.estimating')
                : '—'}
          </output>
        </p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {noModel ? (
          <button
            type="button"
            disabled={!body || busy}
            onClick={() => body && void generate({ ...body, provider: 'studio' })}
          >
            {t('noModel.card')}
          </button>
        ) : (
          <button type="submit" disabled={!body || busy}>
            {busy ? t('gen.submitting') : t('gen.submit')}
          </button>
        )}
      </form>
      <div class="results-column">
        {mode === 'template' && (
          <TemplateGallery
            templates={templates}
            value={templateName}
            stylePack={stylePack}
            brand={brand}
            brandVersion={brands.find((candidate) => candidate.slug === (brand || 'default'))?.version}
            onChange={setTemplateName}
          />
        )}
        <section class="gallery" aria-label={t('gallery.heading')}>
          <h2>{t('gallery.heading')}</h2>
          {jobs.length === 0 && <p class="hint">{t('gallery.empty')}</p>}
          <SelectionBar selected={[...selected.values()]} onClear={() => setSelected(new Map())} />
          {jobs.map((entry) => (
            <JobCard
              key={entry.job.id}
              job={entry.job}
              selected={new Set(selected.keys())}
              onToggle={(image) =>
                setSelected((now) => {
                  const next = new Map(now);
                  if (!next.delete(image.id)) next.set(image.id, image);
                  return next;
                })
              }
              onUseAsProduct={useAsProductPhoto}
              onRegenerate={() =>
                // A fresh random seed: the same request with the same seed would render the same images.
                void generate({ ...entry.request, seed: Math.floor(Math.random() * 2 ** 31) })
              }
            />
          ))}
        </section>
      </div>
    </div>
  );
}
