import { useEffect, useState } from 'preact/hooks';
import { currentSession, request } from './api.ts';
import type { AssistantMessageView } from './assistant/assistant-api.ts';
import { AssistantChat } from './assistant/assistant-chat.tsx';
import { CatalogEditor, type ProductRecord } from './assistant/catalog-editor.tsx';
import './assistant/assistant.css';
import './assistant/assistant-page.css';
import { getLocale, t } from './i18n.ts';
import { assistantTranslator } from './messages/assistant.ts';

/**
 * The Assistant screen: try the shopper assistant as a shopper would (a product, a customer, a
 * photo and a question), see the grounding beside the answer, and edit the catalog it answers from.
 */
export function AssistantPage() {
  const [products, setProducts] = useState<ProductRecord[]>([]);
  const [sku, setSku] = useState('');
  const [customer, setCustomer] = useState('');
  const [last, setLast] = useState<AssistantMessageView | null>(null);
  const [isAdmin, setIsAdmin] = useState(false);
  const lang = getLocale();

  const reload = () =>
    request<{ data: ProductRecord[] }>('GET', '/v1/products?limit=200').then((page) => {
      setProducts(page.data);
      return page.data;
    });
  useEffect(() => {
    reload().then((list) => setSku((current) => current || list[0]?.sku || ''));
    currentSession().then((session) => setIsAdmin(session?.scopes.includes('admin') ?? false));
  }, []);

  return (
    <section class="assistant-page">
      <h1>{t('as.heading')}</h1>
      <div class="assistant-columns">
        <section aria-labelledby="as-try">
          <h2 id="as-try">{t('as.try')}</h2>
          <div class="assistant-context">
            <label>
              {t('as.product')}
              <select value={sku} onChange={(event) => setSku((event.target as HTMLSelectElement).value)}>
                <option value="">{t('as.product.none')}</option>
                {products.map((product) => (
                  <option key={product.sku} value={product.sku}>
                    {product.sku} · {product.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('as.customer')}
              <input
                value={customer}
                onChange={(event) => setCustomer((event.target as HTMLInputElement).value.trim())}
              />
            </label>
          </div>
          <AssistantChat
            connection={{ server: location.origin, token: null }}
            t={assistantTranslator(lang)}
            lang={lang}
            sku={sku || null}
            customer={customer || null}
            conversationKey={`${sku} ${customer} ${lang}`}
            onAnswer={setLast}
          />
        </section>
        <Grounding message={last} />
      </div>
      <CatalogEditor products={products} isAdmin={isAdmin} onChanged={reload} />
    </section>
  );
}

function Grounding({ message }: { message: AssistantMessageView | null }) {
  return (
    <section class="grounding" aria-labelledby="as-grounding">
      <h2 id="as-grounding">{t('as.grounding')}</h2>
      {!message ? (
        <p class="muted">{t('as.grounding.none')}</p>
      ) : (
        <>
          <dl class="facts">
            {message.same_item && (
              <>
                <dt>{t('as.sameItem')}</dt>
                <dd>
                  <strong>{message.same_item.verdict}</strong> · {message.same_item.sku} ({t('as.against')}{' '}
                  {message.same_item.against}) · score {message.same_item.score}
                </dd>
              </>
            )}
            {message.size && (
              <>
                <dt>{t('as.size')}</dt>
                <dd>
                  <strong>{message.size.recommended ?? '—'}</strong> · {t('as.basis')} {message.size.basis}
                  {message.size.runs ? ` · runs ${message.size.runs}` : ''}
                  {message.size.chart_row && (
                    <span class="chart-row">
                      {' '}
                      (
                      {Object.entries(message.size.chart_row.measurements)
                        .map(([name, cm]) => `${name} ${cm} cm`)
                        .join(', ')}
                      )
                    </span>
                  )}
                </dd>
              </>
            )}
            <dt>{t('as.confidence')}</dt>
            <dd>
              {message.confidence}
              {message.needs_human ? ` · ${t('as.handoff')}` : ''}
            </dd>
            <dt>{t('as.model')}</dt>
            <dd>{message.model ?? t('as.model.none')}</dd>
            <dt>{t('as.cost')}</dt>
            <dd>${message.cost_usd}</dd>
            <dt>{t('as.timings')}</dt>
            <dd>
              {Object.entries(message.grounding.timings_ms)
                .map(([name, ms]) => `${name.replace(/_ms$/, '')} ${ms}`)
                .join(' · ')}
            </dd>
          </dl>
          {message.notes.length > 0 && (
            <>
              <h3>{t('as.notes')}</h3>
              <ul>
                {message.notes.map((note) => (
                  <li key={note.code}>{note.message}</li>
                ))}
              </ul>
            </>
          )}
          {message.grounding.comparisons.length > 0 && (
            <table class="comparisons">
              <caption>{t('as.comparisons')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('as.col.sku')}</th>
                  <th scope="col">{t('as.col.role')}</th>
                  <th scope="col">{t('as.col.inliers')}</th>
                  <th scope="col">{t('as.col.colour')}</th>
                  <th scope="col">{t('as.col.verdict')}</th>
                </tr>
              </thead>
              <tbody>
                {message.grounding.comparisons.map((comparison) => (
                  <tr key={`${comparison.sku} ${comparison.image}`}>
                    <td>{comparison.sku}</td>
                    <td>{comparison.role}</td>
                    <td>{comparison.inliers}</td>
                    <td>{comparison.colour_residual ?? '—'}</td>
                    <td>{comparison.verdict}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
