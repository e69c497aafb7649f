import { useEffect, useState } from 'preact/hooks';
import { request } from './api.ts';
import { type Batch, BatchApiError, type BatchUpload, isBatchFinished, uploadBatch } from './batch-api.ts';
import { BatchEstimatePanel } from './batch-estimate.tsx';
import { BatchList } from './batch-list.tsx';
import { autoMapping, BatchMapping, columnsField, type Mapping, missingRequired } from './batch-mapping.tsx';
import { BatchPreview } from './batch-preview.tsx';
import { BatchProgress } from './batch-progress.tsx';
import { BrandSelect, ProviderSelect, TemplateSelect } from './catalog-selects.tsx';
import { type CsvHead, readCsvHead } from './csv-head.ts';
import { format } from './format.ts';
import { t } from './i18n.ts';
import { useBatch } from './use-batch.ts';
import { useCatalog } from './use-catalog.ts';
import './batches.css';

const RECENT_LIMIT = 10;

/** The batch followed, kept in the address (`?batch=<id>`) so a reload or a shared link reopens it. */
function batchInAddress(): string | null {
  return new URLSearchParams(location.search).get('batch');
}

/**
 * The Batches screen: a CSV file mapped onto a template's fields (with its first rows and a
 * rendered preview), uploaded as a batch, then followed live; recent batches can be reopened.
 */
export function BatchesPage() {
  // The template chosen in the form; until one is, the first in the list.
  const [chosenTemplate, setTemplateName] = useState('');
  const [brand, setBrand] = useState('');
  const [provider, setProvider] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [head, setHead] = useState<CsvHead | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [uploadError, setUploadError] = useState<{ message: string; issues: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [recent, setRecent] = useState<Batch[]>([]);
  const [opened, setOpened] = useState<{ id: string; initial: Batch | null } | null>(() => {
    const id = batchInAddress();
    return id ? { id, initial: null } : null;
  });
  const live = useBatch(opened?.id ?? null, opened?.initial ?? null);

  const loadRecent = () =>
    request<{ data: Batch[] }>('GET', `/v1/batches?limit=${RECENT_LIMIT}`).then(
      (page) => setRecent(page.data),
      () => {},
    );
  useEffect(() => {
    void loadRecent();
  }, []);
  // The list shows the followed batch's status too: refreshed when it ends.
  const liveFinished = live.batch ? isBatchFinished(live.batch.status) : false;
  useEffect(() => {
    if (liveFinished) void loadRecent();
  }, [liveFinished, live.batch?.id]);

  const { templates, brands, providers } = useCatalog((message) => setUploadError({ message, issues: [] }));
  const templateName = chosenTemplate || templates[0]?.name || '';
  const template = templates.find((candidate) => candidate.name === templateName);
  useEffect(() => {
    if (template && head) setMapping(autoMapping(template, head.headers));
  }, [template, head]);

  async function chooseFile(next: File | null) {
    setFile(next);
    setHead(null);
    setFileError(null);
    setUploadError(null);
    if (!next) return;
    try {
      const read = await readCsvHead(next);
      if (read.headers.every((name) => name === '')) setFileError(t('batch.fileEmpty'));
      else setHead(read);
    } catch (failure) {
      setFileError(`${t('batch.fileUnreadable')}: ${(failure as Error).message}`);
    }
  }

  function open(batch: Batch | null, id = batch?.id ?? null) {
    setOpened(id ? { id, initial: batch } : null);
    history.replaceState(null, '', id ? `/batches?batch=${encodeURIComponent(id)}` : '/batches');
  }

  const ready = Boolean(template && head && missingRequired(template, mapping).length === 0);
  // The upload as it stands: the estimate checks it, Start sends it.
  const upload: BatchUpload | null =
    ready && template && head && file
      ? {
          template: template.name,
          ...(brand ? { brand } : {}),
          ...(provider ? { provider } : {}),
          columns: columnsField(mapping, head.headers),
          file,
        }
      : null;

  async function start() {
    if (!upload) return;
    setBusy(true);
    setUploadError(null);
    try {
      const batch = await uploadBatch(upload);
      open(batch);
      void loadRecent();
    } catch (failure) {
      setUploadError(describeUploadError(failure as Error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="batches">
      <h1>{t('batch.heading')}</h1>
      <form
        class="card"
        aria-labelledby="new-batch"
        onSubmit={(event) => {
          event.preventDefault();
          void start();
        }}
      >
        <h2 id="new-batch">{t('batch.new')}</h2>
        <div class="batch-source">
          <div>
            <label for="batch-template">{t('batch.template')}</label>
            <TemplateSelect
              id="batch-template"
              templates={templates}
              value={templateName}
              onChange={setTemplateName}
            />
          </div>
          <div>
            <label for="batch-brand">{t('batch.brand')}</label>
            <BrandSelect
              id="batch-brand"
              brands={brands}
              noneLabel={t('batch.brand.none')}
              value={brand}
              onChange={setBrand}
            />
          </div>
          <div>
            <label for="batch-provider">{t('batch.provider')}</label>
            <ProviderSelect
              id="batch-provider"
              providers={providers}
              autoLabel={t('batch.provider.auto')}
              value={provider}
              onChange={setProvider}
            />
          </div>
        </div>
        <FileDrop onFile={chooseFile} />
        {file && head && (
          <p class="hint" role="status">
            {format('batch.fileRead', { name: file.name, n: head.headers.filter(Boolean).length })}
          </p>
        )}
        {fileError && (
          <p class="error" role="alert">
            {fileError}
          </p>
        )}
        {template && head && (
          <fieldset class="batch-columns">
            <legend>{t('batch.mapping')}</legend>
            <div class="batch-mapping">
              <BatchMapping template={template} head={head} mapping={mapping} onChange={setMapping} />
            </div>
            <BatchPreview template={template} brand={brand} head={head} mapping={mapping} />
          </fieldset>
        )}
        {uploadError && (
          <div class="error" role="alert">
            <p>{uploadError.message}</p>
            {uploadError.issues.length > 0 && (
              <ul>
                {uploadError.issues.map((issue) => (
                  <li key={issue}>{issue}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        <BatchEstimatePanel upload={upload} />
        <button type="submit" disabled={!upload || busy}>
          {busy ? t('batch.starting') : t('batch.start')}
        </button>
      </form>
      <BatchProgress live={live} />
      <BatchList batches={recent} openId={opened?.id ?? null} onOpen={(batch) => open(batch)} />
    </div>
  );
}

/** The file input, which also takes a file dropped on it (the input itself is the keyboard path). */
function FileDrop({ onFile }: { onFile(file: File | null): void }) {
  const [over, setOver] = useState(false);
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping is a shortcut; the file input inside is the keyboard path
    <div
      class={over ? 'drop over' : 'drop'}
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        event.preventDefault();
        setOver(false);
        const dropped = event.dataTransfer?.files[0];
        if (dropped) onFile(dropped);
      }}
    >
      <label for="batch-file">{t('batch.file')}</label>
      <input
        id="batch-file"
        type="file"
        accept=".csv,text/csv"
        aria-describedby="batch-file-hint"
        onChange={(event) => onFile(event.currentTarget.files?.[0] ?? null)}
      />
      <p id="batch-file-hint" class="hint">
        {t('batch.fileHint')}
      </p>
    </div>
  );
}

/** 413 and 415 get a plain sentence first; a 400 lists each field or line the server named. */
function describeUploadError(failure: Error): { message: string; issues: string[] } {
  if (!(failure instanceof BatchApiError)) return { message: failure.message, issues: [] };
  const lead = failure.status === 413 ? t('batch.tooLarge') : failure.status === 415 ? t('batch.notCsv') : '';
  return {
    message: lead ? `${lead} ${failure.message}` : failure.message,
    issues: failure.issues.map((issue) => `${issue.field}: ${issue.message}`),
  };
}
