import { useEffect, useState } from 'preact/hooks';
import { addDays, formatUsd, getUsage, type Total, todayUtc, totalsBy, type Usage } from './history-api.ts';
import { t } from './i18n.ts';

function TotalsTable(props: { caption: string; column: string; totals: Total[] }) {
  return (
    <table class="data compact">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{props.column}</th>
          <th scope="col">{t('costs.jobs')}</th>
          <th scope="col">{t('costs.images')}</th>
          <th scope="col">{t('costs.cost')}</th>
        </tr>
      </thead>
      <tbody>
        {props.totals.map((total) => (
          <tr key={total.label}>
            <th scope="row">{total.label}</th>
            <td>{total.jobs}</td>
            <td>{total.images}</td>
            <td>{formatUsd(total.cost)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Spend per day drawn as bars in a table: the numbers are the table's text, the bars only show them. */
function DailyBars(props: { days: Total[] }) {
  // Free engines cost nothing: the bars then show the number of jobs instead of dollars.
  const byCost = props.days.some((day) => day.cost > 0);
  const measure = (day: Total) => (byCost ? day.cost : day.jobs);
  const largest = Math.max(...props.days.map(measure), 0);
  return (
    <table class="data compact bars" aria-label={t('costs.chart')}>
      <caption>{t('costs.perDay')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('costs.day')}</th>
          <th scope="col">{t('costs.cost')}</th>
          <th scope="col">{t('costs.jobs')}</th>
        </tr>
      </thead>
      <tbody>
        {props.days.map((day) => (
          <tr key={day.label}>
            <th scope="row">{day.label}</th>
            <td class="bar-cell">
              <span class="track" aria-hidden="true">
                <span
                  class="bar-fill"
                  style={{ width: `${largest ? (measure(day) / largest) * 100 : 0}%` }}
                />
              </span>
              <span>{formatUsd(day.cost)}</span>
            </td>
            <td>{day.jobs}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Spend for a date range (default: the last 30 days): total, per day, per provider, per key, cache. */
export function CostsPanel() {
  const [to, setTo] = useState(todayUtc);
  const [from, setFrom] = useState(() => addDays(todayUtc(), -29));
  const [usage, setUsage] = useState<Usage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rangeValid = Boolean(from && to && from <= to);

  useEffect(() => {
    if (!rangeValid) return;
    let current = true;
    setUsage(null);
    getUsage(from, to).then(
      (answer) => {
        if (!current) return;
        setUsage(answer);
        setError(null);
      },
      (failure: Error) => current && setError(failure.message),
    );
    return () => {
      current = false;
    };
  }, [from, to]);

  const rows = usage?.data ?? [];
  const days = totalsBy(rows, (row) => row.day);
  const providers = totalsBy(rows, (row) => row.provider);
  const keys = totalsBy(rows, (row) => row.api_key_name ?? row.api_key_id ?? t('costs.noKey'));
  const jobs = rows.reduce((sum, row) => sum + row.jobs, 0);
  const images = rows.reduce((sum, row) => sum + row.images, 0);
  const cache = usage?.cache;

  return (
    <section class="card costs" aria-labelledby="costs-heading">
      <h2 id="costs-heading">{t('costs.heading')}</h2>
      <div class="range">
        <div class="field">
          <label for="costs-from">{t('costs.from')}</label>
          <input
            id="costs-from"
            type="date"
            value={from}
            max={to}
            onChange={(e) => setFrom((e.target as HTMLInputElement).value)}
          />
        </div>
        <div class="field">
          <label for="costs-to">{t('costs.to')}</label>
          <input
            id="costs-to"
            type="date"
            value={to}
            min={from}
            onChange={(e) => setTo((e.target as HTMLInputElement).value)}
          />
        </div>
      </div>
      {!rangeValid && (
        <p class="error" role="alert">
          {t('costs.invalidRange')}
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div role="status" aria-live="polite">
        {!usage && rangeValid && !error && <p class="hint">{t('costs.loading')}</p>}
        {usage && (
          <dl class="figures">
            <div>
              <dt>{t('costs.total')}</dt>
              <dd>{formatUsd(usage.total_cost_usd)}</dd>
            </div>
            <div>
              <dt>{t('costs.jobs')}</dt>
              <dd>{jobs}</dd>
            </div>
            <div>
              <dt>{t('costs.images')}</dt>
              <dd>{images}</dd>
            </div>
            <div>
              <dt>{t('costs.cacheRate')}</dt>
              <dd>
                {cache?.hit_rate === null || !cache ? '—' : `${Math.round(cache.hit_rate * 1000) / 10}%`}
              </dd>
            </div>
          </dl>
        )}
      </div>
      {cache && (
        <p class="hint">
          {cache.lookups
            ? t('costs.cacheDetail')
                .replace('{hits}', String(cache.hits))
                .replace('{lookups}', String(cache.lookups))
            : t('costs.cacheNone')}
        </p>
      )}
      {usage && !rows.length && <p class="hint">{t('costs.empty')}</p>}
      {rows.length > 0 && (
        <>
          <DailyBars days={days} />
          <TotalsTable caption={t('costs.perProvider')} column={t('costs.provider')} totals={providers} />
          <TotalsTable caption={t('costs.perKey')} column={t('costs.key')} totals={keys} />
        </>
      )}
    </section>
  );
}
