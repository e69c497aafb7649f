import { useEffect, useState } from 'preact/hooks';
import { CostsPanel } from './costs-panel.tsx';
import { formatDateTime } from './format.ts';
import { formatUsd, type HistoryJob, type JobFilters, listJobs, NO_FILTERS } from './history-api.ts';
import { type MessageId, t } from './i18n.ts';
import { BackgroundPath, JobWarnings, QualityBadge } from './quality-badge.tsx';
import { useCatalog } from './use-catalog.ts';

const STATUSES = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const;
/** Typing in the search box waits this long before asking the API. */
const SEARCH_DEBOUNCE_MS = 300;

function FilterSelect(props: {
  id: keyof JobFilters;
  label: MessageId;
  value: string;
  options: Array<{ value: string; label: string }>;
  onChange: (value: string) => void;
}) {
  return (
    <div class="field">
      <label for={`filter-${props.id}`}>{t(props.label)}</label>
      <select
        id={`filter-${props.id}`}
        value={props.value}
        onChange={(event) => props.onChange((event.target as HTMLSelectElement).value)}
      >
        <option value="">{t('history.filter.any')}</option>
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function JobRow({ job }: { job: HistoryJob }) {
  const image = job.images[0];
  // The image that scored lowest stands for the job: one unfit image is what a person must see.
  const worst = job.images
    .map((candidate, index) => ({ image: candidate, index }))
    .filter((entry) => entry.image.quality)
    .sort((a, b) => a.image.quality!.score - b.image.quality!.score)[0];
  return (
    <tr>
      <td>
        {image ? (
          <a href={image.url} target="_blank" rel="noopener" aria-label={`${t('history.open')} ${job.id}`}>
            <img
              class="job-thumb"
              src={`/v1/assets/${encodeURIComponent(image.id)}?w=96`}
              alt=""
              loading="lazy"
            />
          </a>
        ) : (
          t('history.noImage')
        )}
      </td>
      <td>
        {t(`job.${job.status}`)}
        {job.cache !== 'miss' && <span class="tag">{t('history.cached')}</span>}
      </td>
      <td class="what">
        {job.template ? <strong>{job.template}</strong> : null} <span class="prompt">{job.prompt}</span>
      </td>
      <td>{job.brand ?? '—'}</td>
      <td>
        {job.provider ?? '—'}
        <BackgroundPath warnings={job.warnings} />
      </td>
      <td class="job-quality">
        {worst ? <QualityBadge quality={worst.image.quality} index={worst.index} /> : '—'}
        <JobWarnings warnings={job.warnings} />
      </td>
      <td>{formatUsd(job.cost_usd)}</td>
      <td>
        <time dateTime={job.created_at}>{formatDateTime(job.created_at)}</time>
      </td>
    </tr>
  );
}

/** History & costs: every job with filters and paging, and the spend panel beside it. */
export function HistoryPage() {
  const [filters, setFilters] = useState<JobFilters>(NO_FILTERS);
  const [jobs, setJobs] = useState<HistoryJob[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const catalog = useCatalog(setError);
  const templates = catalog.templates.map((template) => template.name);
  const brands = catalog.brands;
  const providers = catalog.providers.map((provider) => provider.id);

  // A new set of filters starts the list over; the search text waits for a pause in typing.
  useEffect(() => {
    let current = true;
    // The rows of the previous filters go at once: a list never shows rows its filters exclude.
    setJobs(null);
    const timer = setTimeout(() => {
      listJobs(filters, null).then(
        (page) => {
          if (!current) return;
          setJobs(page.data);
          setCursor(page.next_cursor);
          setError(null);
        },
        (failure: Error) => current && setError(failure.message),
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [filters]);

  const set = (key: keyof JobFilters) => (value: string) =>
    setFilters((current) => ({ ...current, [key]: value }));
  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await listJobs(filters, cursor);
      setJobs((current) => [...(current ?? []), ...page.data]);
      setCursor(page.next_cursor);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <>
      <h1>{t('history.heading')}</h1>
      <div class="history-columns">
        <section class="card" aria-labelledby="jobs-heading">
          <h2 id="jobs-heading">{t('history.jobs')}</h2>
          <fieldset class="filters">
            <legend>{t('history.filters')}</legend>
            <FilterSelect
              id="status"
              label="history.filter.status"
              value={filters.status}
              options={STATUSES.map((status) => ({ value: status, label: t(`job.${status}`) }))}
              onChange={set('status')}
            />
            <FilterSelect
              id="template"
              label="history.filter.template"
              value={filters.template}
              options={templates.map((name) => ({ value: name, label: name }))}
              onChange={set('template')}
            />
            <FilterSelect
              id="brand"
              label="history.filter.brand"
              value={filters.brand}
              options={brands.map((brand) => ({ value: brand.slug, label: brand.name ?? brand.slug }))}
              onChange={set('brand')}
            />
            <FilterSelect
              id="provider"
              label="history.filter.provider"
              value={filters.provider}
              options={providers.map((id) => ({ value: id, label: id }))}
              onChange={set('provider')}
            />
            <div class="field">
              <label for="filter-from">{t('history.filter.from')}</label>
              <input
                id="filter-from"
                type="date"
                value={filters.from}
                onChange={(e) => set('from')((e.target as HTMLInputElement).value)}
              />
            </div>
            <div class="field">
              <label for="filter-to">{t('history.filter.to')}</label>
              <input
                id="filter-to"
                type="date"
                value={filters.to}
                onChange={(e) => set('to')((e.target as HTMLInputElement).value)}
              />
            </div>
            <div class="field wide">
              <label for="filter-q">{t('history.filter.q')}</label>
              <input
                id="filter-q"
                type="search"
                value={filters.q}
                onInput={(e) => set('q')((e.target as HTMLInputElement).value)}
              />
            </div>
            <button type="button" class="secondary" onClick={() => setFilters(NO_FILTERS)}>
              {t('history.filter.reset')}
            </button>
          </fieldset>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <p role="status" class="hint">
            {jobs === null
              ? t('history.loading')
              : jobs.length
                ? t('history.count').replace('{count}', String(jobs.length))
                : t('history.empty')}
          </p>
          {jobs && jobs.length > 0 && (
            <div class="table-scroll">
              <table class="data jobs-table">
                <caption class="visually-hidden">{t('history.jobs')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('history.col.image')}</th>
                    <th scope="col">{t('history.col.status')}</th>
                    <th scope="col">{t('history.col.what')}</th>
                    <th scope="col">{t('history.col.brand')}</th>
                    <th scope="col">{t('history.col.provider')}</th>
                    <th scope="col">{t('history.col.quality')}</th>
                    <th scope="col">{t('history.col.cost')}</th>
                    <th scope="col">{t('history.col.created')}</th>
                  </tr>
                </thead>
                <tbody>
                  {jobs.map((job) => (
                    <JobRow key={job.id} job={job} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {cursor && jobs && (
            <button type="button" class="secondary" onClick={loadMore} disabled={loadingMore}>
              {t('history.more')}
            </button>
          )}
        </section>
        <CostsPanel />
      </div>
    </>
  );
}
