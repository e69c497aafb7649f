import { useState } from 'preact/hooks';
import { ApiError } from './api.ts';
import { BrandSelect } from './catalog-selects.tsx';
import { format } from './format.ts';
import { t } from './i18n.ts';
import { analyzeScript, renderScript, type Script, type Segment } from './script-api.ts';
import { SegmentEditor } from './script-segment.tsx';
import { Storyboard } from './script-storyboard.tsx';
import { useCatalog } from './use-catalog.ts';
import './scripts.css';

const MAX_CHARACTERS = 100_000;

/**
 * The Live script screen: a script pasted or opened, analysed into segments whose keywords,
 * selling points, offers, mood and product photo are editable chips and fields, then rendered as
 * one batch; the storyboard fills in per segment, with the zip, run sheet and video to download.
 */
export function ScriptsPage() {
  const [text, setText] = useState('');
  const [brand, setBrand] = useState('');
  const [analyzer, setAnalyzer] = useState('heuristic');
  const [n, setN] = useState(4);
  const [busy, setBusy] = useState<'analyze' | 'render' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [script, setScript] = useState<Script | null>(null);
  const [segments, setSegments] = useState<Segment[]>([]);
  const [dirty, setDirty] = useState(false);
  const [batchId, setBatchId] = useState<string | null>(null);
  const { brands } = useCatalog(setError);

  const analyze = async () => {
    setBusy('analyze');
    setError(null);
    try {
      const analysed = await analyzeScript({ text, brand: brand || undefined, analyzer, n });
      setScript(analysed);
      setSegments(analysed.segments);
      setDirty(false);
      setBatchId(null);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setBusy(null);
    }
  };

  const render = async () => {
    if (!script) return;
    setBusy('render');
    setError(null);
    try {
      const batch = await renderScript({ script_id: script.id, n, ...(dirty ? { segments } : {}) });
      setBatchId(batch.id);
      setDirty(false);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setBusy(null);
    }
  };

  const openFile = async (file: File | undefined) => {
    if (!file) return;
    setText(await file.text());
  };

  // The render button above the segments and again below them, for a long show.
  const renderBar = (where: 'top' | 'bottom') => (
    <div class="actions render-bar">
      <button type="button" disabled={busy !== null} onClick={() => void render()}>
        {busy === 'render' ? t('script.rendering') : t('script.render')}
      </button>
      {dirty && where === 'top' && <span class="hint">{t('script.edited')}</span>}
    </div>
  );

  const update = (index: number, segment: Segment) => {
    setSegments((current) => current.map((item, position) => (position === index ? segment : item)));
    setDirty(true);
  };

  return (
    <section class="scripts" aria-labelledby="scripts-heading">
      <h1 id="scripts-heading">{t('script.heading')}</h1>
      <p class="hint">{t('script.intro')}</p>
      <form
        class="card script-form"
        onSubmit={(event) => {
          event.preventDefault();
          void analyze();
        }}
      >
        <label for="script-text">{t('script.text')}</label>
        <textarea
          id="script-text"
          rows={10}
          value={text}
          placeholder={t('script.placeholder')}
          onInput={(event) => setText(event.currentTarget.value)}
        />
        <p class={text.length > MAX_CHARACTERS ? 'error' : 'hint'}>
          {format('script.characters', { n: text.length.toLocaleString() })}
        </p>
        <div class="script-options">
          <div class="field">
            <input
              id="script-file"
              class="visually-hidden"
              type="file"
              accept=".txt,text/plain"
              onChange={(event) => void openFile(event.currentTarget.files?.[0])}
            />
            <label for="script-file" class="file-button">
              {t('script.upload')}
            </label>
          </div>
          <div class="field">
            <label for="script-brand">{t('script.brand')}</label>
            <BrandSelect
              id="script-brand"
              value={brand}
              onChange={setBrand}
              brands={brands}
              noneLabel={t('script.brand.none')}
            />
          </div>
          <div class="field">
            <label for="script-analyzer">{t('script.analyzer')}</label>
            <select
              id="script-analyzer"
              value={analyzer}
              onChange={(event) => setAnalyzer(event.currentTarget.value)}
            >
              <option value="heuristic">{t('script.analyzer.heuristic')}</option>
              <option value="auto">{t('script.analyzer.auto')}</option>
              <option value="llm">{t('script.analyzer.llm')}</option>
            </select>
          </div>
          <div class="field">
            <label for="script-n">{t('script.options')}</label>
            <input
              id="script-n"
              type="number"
              min={1}
              max={10}
              value={n}
              onInput={(event) => setN(Math.min(10, Math.max(1, Number(event.currentTarget.value) || 1)))}
            />
          </div>
        </div>
        <div class="actions">
          <button type="submit" disabled={busy !== null || !text.trim() || text.length > MAX_CHARACTERS}>
            {busy === 'analyze' ? t('script.analyzing') : t('script.analyze')}
          </button>
        </div>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>

      {script && (
        <section class="script-analysis" aria-labelledby="analysis-heading">
          <h2 id="analysis-heading">
            {format('script.summary', {
              title: script.title,
              n: segments.length,
              language: script.language,
              analyzer: script.model ? `${script.analyzer} (${script.model})` : script.analyzer,
            })}
          </h2>
          {script.notes.length > 0 && (
            <ul class="notice script-notes">
              {script.notes.map((note) => (
                <li key={note.code}>{note.message}</li>
              ))}
            </ul>
          )}
          {renderBar('top')}
          {batchId && <Storyboard key={batchId} batchId={batchId} />}
          <ol class="segments">
            {segments.map((segment, index) => (
              <SegmentEditor
                key={`${script.id}-${index}`}
                segment={segment}
                onChange={(next) => update(index, next)}
              />
            ))}
          </ol>
          {renderBar('bottom')}
        </section>
      )}
    </section>
  );
}
