import { useEffect, useRef, useState } from 'preact/hooks';
import type { StylePreset } from '../labels.ts';
import {
  PickerApiError,
  type PickerConnection,
  type PickerJob,
  type PickerTemplate,
  pickerRequest,
  waitForJob,
} from './picker-api.ts';
import {
  type FormValues,
  generationBody,
  PickerFields,
  suggestedAlt,
  type Translate,
  usableTemplates,
} from './picker-form.tsx';
import { ImageQuality, PickerWarnings } from './picker-quality.tsx';

/** What `vitrine:insert` carries: the signed absolute URL of the picked image, and its alt text. */
export interface PickerInsertDetail {
  url: string;
  alt: string;
  width: number;
  height: number;
  job_id: string;
  asset_id: string;
}

type Run =
  | { state: 'idle' }
  | { state: 'working'; job: PickerJob | null }
  | { state: 'done'; job: PickerJob }
  | { state: 'failed'; message: string };

/**
 * The picker: a button, and a modal dialog with a compact generate form, live progress, the images
 * to pick from and the alt text. The native <dialog> traps focus, closes on Escape and gives focus
 * back to the button.
 */
export function Picker(props: {
  t: Translate;
  lang: string;
  connection: PickerConnection;
  initialTemplate: string | null;
  initialBrand: string | null;
  onInsert: (detail: PickerInsertDetail) => void;
  /** The token expired or was revoked: the host page may set a fresh one on the element. */
  onUnauthorized: () => void;
}) {
  const { t, connection } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);
  const [templates, setTemplates] = useState<PickerTemplate[] | null>(null);
  const [brands, setBrands] = useState<Array<{ slug: string; name?: string }>>([]);
  const [styles, setStyles] = useState<StylePreset[]>([]);
  // The image model a description goes to; null: none is configured; undefined: not known yet.
  const [imageModel, setImageModel] = useState<string | null | undefined>(undefined);
  const [values, setValues] = useState<FormValues>({
    mode: props.initialTemplate ? 'template' : 'prompt',
    prompt: '',
    template: props.initialTemplate ?? '',
    params: {},
    brand: props.initialBrand ?? '',
    style: '',
    count: 2,
    size: 'template',
  });
  const [run, setRun] = useState<Run>({ state: 'idle' });
  const [picked, setPicked] = useState<string | null>(null);
  const [alt, setAlt] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  /** A failure in words; a 401 also tells the host page, which may answer with a new token. */
  function describeFailure(failure: unknown): string {
    if (failure instanceof PickerApiError && failure.status === 401) {
      props.onUnauthorized();
      return t('picker.unauthorized');
    }
    return (failure as Error).message;
  }
  const results = useRef<HTMLDivElement>(null);

  // New images appear below the form: bring them into the dialog's view (focus stays where it was).
  useEffect(() => {
    if (run.state === 'done') results.current?.scrollIntoView({ block: 'nearest' });
  }, [run.state]);

  // The lists load when the dialog first opens, so a page with a picker costs Vitrine nothing until used.
  useEffect(() => {
    if (!open || templates) return;
    Promise.all([
      pickerRequest<{ data: PickerTemplate[] }>(connection, 'GET', '/v1/templates'),
      pickerRequest<{ data: Array<{ slug: string; name?: string }> }>(connection, 'GET', '/v1/brands'),
      pickerRequest<{ data: StylePreset[] }>(connection, 'GET', '/v1/styles'),
      pickerRequest<ProviderList>(connection, 'GET', '/v1/providers'),
    ]).then(
      ([templateList, brandList, styleList, providerList]) => {
        setStyles(styleList.data);
        setImageModel(imageModelOf(providerList));
        const usable = usableTemplates(templateList.data);
        setTemplates(usable);
        setBrands(brandList.data);
        setProblem(null);
        setValues((now) => ({ ...now, template: now.template || usable[0]?.name || '' }));
      },
      (failure: unknown) => {
        const message = describeFailure(failure);
        setProblem(
          failure instanceof PickerApiError && failure.status === 401
            ? message
            : t('picker.loadFailed', { message }),
        );
      },
    );
  }, [open, templates, connection]);

  useEffect(() => () => abort.current?.abort(), []);

  function show() {
    setOpen(true);
    dialog.current?.showModal();
  }

  function close() {
    dialog.current?.close();
  }

  function onClosed() {
    abort.current?.abort();
    setOpen(false);
    setRun({ state: 'idle' });
    setPicked(null);
    setProblem(null);
    opener.current?.focus();
  }

  const template = templates?.find((candidate) => candidate.name === values.template);
  const noModel = values.mode === 'prompt' && imageModel === null;

  async function generate(provider?: string) {
    const body = generationBody(values, template, provider);
    if (!body) {
      setProblem(t('picker.missing'));
      return;
    }
    setProblem(null);
    setPicked(null);
    setAlt(suggestedAlt(values));
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setRun({ state: 'working', job: null });
    try {
      const started = await pickerRequest<PickerJob>(connection, 'POST', '/v1/generations', body);
      const job = await waitForJob(
        connection,
        started.id,
        (update) => setRun({ state: 'working', job: update }),
        controller.signal,
      );
      if (job.status !== 'succeeded') {
        setRun({
          state: 'failed',
          message: t('picker.failed', { message: job.error?.message ?? job.status }),
        });
        return;
      }
      setRun({ state: 'done', job });
      setPicked(job.images[0]?.id ?? null);
    } catch (failure) {
      if (controller.signal.aborted) return;
      setRun({ state: 'failed', message: t('picker.failed', { message: describeFailure(failure) }) });
    }
  }

  function insert() {
    if (run.state !== 'done') return;
    const image = run.job.images.find((candidate) => candidate.id === picked);
    if (!image) return;
    if (!alt.trim()) {
      setProblem(t('picker.altMissing'));
      return;
    }
    props.onInsert({
      url: new URL(image.url, connection.server).href,
      alt: alt.trim(),
      width: image.width,
      height: image.height,
      job_id: run.job.id,
      asset_id: image.id,
    });
    close();
  }

  const working = run.state === 'working';
  return (
    <>
      <button type="button" class="opener" ref={opener} onClick={show}>
        {t('picker.open')}
      </button>
      <dialog ref={dialog} lang={props.lang} aria-labelledby="vp-title" onClose={onClosed}>
        <form
          method="dialog"
          onSubmit={(event) => {
            event.preventDefault();
            void generate();
          }}
        >
          <header>
            <h2 id="vp-title">{t('picker.title')}</h2>
            <button type="button" class="icon" aria-label={t('picker.close')} onClick={close}>
              ×
            </button>
          </header>
          {open && (
            <PickerFields
              t={t}
              values={values}
              templates={templates ?? []}
              brands={brands}
              styles={styles}
              lang={props.lang}
              onChange={(changes) => setValues((now) => ({ ...now, ...changes }))}
            />
          )}
          {open && noModel && (
            <aside class="no-model" aria-labelledby="vp-no-model">
              <strong id="vp-no-model">{t('picker.noModel.title')}</strong>
              <p>{t('picker.noModel.body')}</p>
            </aside>
          )}
          <div class="actions">
            {noModel ? (
              <button type="button" disabled={working} onClick={() => void generate('studio')}>
                {t('picker.noModel.card')}
              </button>
            ) : (
              <button type="submit" class="primary" disabled={working}>
                {t('picker.generate')}
              </button>
            )}
          </div>
          <div role="status" aria-live="polite" class="status">
            {run.state === 'working' && <Progress t={t} job={run.job} />}
            {run.state === 'done' && t('picker.done', { count: run.job.images.length })}
          </div>
          {run.state === 'failed' && (
            <p role="alert" class="error">
              {run.message}
            </p>
          )}
          {problem && (
            <p role="alert" class="error">
              {problem}
            </p>
          )}
        </form>
        {run.state === 'done' && (
          <div class="results" ref={results}>
            <fieldset class="thumbs">
              <legend>{t('picker.results')}</legend>
              {run.job.images.map((image, index) => (
                <label key={image.id} class="thumb">
                  <input
                    type="radio"
                    name="picked"
                    checked={picked === image.id}
                    aria-describedby={`vp-quality-${index}`}
                    onChange={() => setPicked(image.id)}
                  />
                  <img
                    src={new URL(image.url, connection.server).href}
                    alt={t('picker.image', { n: index + 1, total: run.job.images.length })}
                    width={image.width}
                    height={image.height}
                  />
                  <ImageQuality t={t} id={`vp-quality-${index}`} quality={image.quality} />
                </label>
              ))}
            </fieldset>
            <PickerWarnings t={t} warnings={run.job.warnings} />
            <div class="field">
              <label for="vp-alt">{t('picker.alt')}</label>
              <input
                id="vp-alt"
                value={alt}
                aria-describedby="vp-alt-hint"
                onInput={(event) => setAlt(event.currentTarget.value)}
              />
              <small id="vp-alt-hint">{t('picker.altHint')}</small>
            </div>
            <div class="actions">
              <button type="button" onClick={close}>
                {t('picker.cancel')}
              </button>
              <button type="button" class="primary" disabled={!picked} onClick={insert}>
                {t('picker.insert')}
              </button>
            </div>
          </div>
        )}
      </dialog>
    </>
  );
}

function Progress(props: { t: Translate; job: PickerJob | null }) {
  const { t, job } = props;
  if (!job || job.status === 'queued') return <span>{t('picker.queued')}</span>;
  const percent = Math.round(job.progress * 100);
  return (
    <>
      <progress max={100} value={percent} aria-hidden="true" />
      <span>{t('picker.progress', { percent })}</span>
    </>
  );
}

interface ProviderList {
  image_model?: string | null;
  data: Array<{ id: string; capabilities?: { layouts?: boolean } }>;
}

/** The image model a plain prompt goes to; a server without `image_model` is read from its list. */
function imageModelOf(list: ProviderList): string | null {
  if (list.image_model !== undefined) return list.image_model;
  return list.data.find((provider) => !provider.capabilities?.layouts)?.id ?? null;
}
