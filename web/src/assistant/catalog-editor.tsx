import { useEffect, useState } from 'preact/hooks';
import { type ApiError, request, uploadImage } from '../api.ts';
import { t } from '../i18n.ts';

export interface ProductRecord {
  sku: string;
  name: string;
  category: string;
  fit: 'slim' | 'regular' | 'loose';
  attributes: Record<string, string>;
  images: string[];
  size_chart: Record<string, Record<string, number>>;
  notes: string;
  price: number | null;
  stock: number | null;
  version: number;
}

type Draft = Omit<ProductRecord, 'version'>;

const EMPTY: Draft = {
  sku: '',
  name: '',
  category: '',
  fit: 'regular',
  attributes: {},
  images: [],
  size_chart: { S: { chest: 0 }, M: { chest: 0 }, L: { chest: 0 } },
  notes: '',
  price: null,
  stock: null,
};

/** The catalog the assistant answers from: pick a product, edit its fields, pictures and size chart. */
export function CatalogEditor(props: {
  products: ProductRecord[];
  isAdmin: boolean;
  onChanged: () => Promise<unknown>;
}) {
  const [selected, setSelected] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [newMeasurement, setNewMeasurement] = useState('');
  const [newSize, setNewSize] = useState('');

  useEffect(() => {
    if (selected === null && props.products[0]) select(props.products[0]);
  }, [props.products]);

  const select = (product: ProductRecord | null) => {
    setStatus(null);
    setSelected(product?.sku ?? '');
    if (!product) return setDraft({ ...EMPTY, size_chart: structuredClone(EMPTY.size_chart) });
    const { sku, name, category, fit, attributes, images, size_chart, notes, price, stock } = product;
    setDraft(
      structuredClone({ sku, name, category, fit, attributes, images, size_chart, notes, price, stock }),
    );
  };
  if (!draft) {
    return (
      <section class="catalog" aria-labelledby="as-catalog">
        <h2 id="as-catalog">{t('as.catalog')}</h2>
        <p class="muted">{t('as.catalog.empty')}</p>
        {props.isAdmin && (
          <button type="button" onClick={() => select(null)}>
            {t('as.new')}
          </button>
        )}
      </section>
    );
  }
  const creating = selected === '';
  const sizes = Object.keys(draft.size_chart);
  const measurements = [...new Set(sizes.flatMap((size) => Object.keys(draft.size_chart[size] ?? {})))];
  const patch = (change: Partial<Draft>) => setDraft({ ...draft, ...change });
  const setCell = (size: string, name: string, value: string) =>
    patch({
      size_chart: { ...draft.size_chart, [size]: { ...draft.size_chart[size], [name]: Number(value) } },
    });

  const save = async (event: Event) => {
    event.preventDefault();
    setStatus(null);
    try {
      const body = {
        ...draft,
        attributes: Object.fromEntries(Object.entries(draft.attributes).filter(([, value]) => value)),
      };
      const saved = creating
        ? await request<ProductRecord>('POST', '/v1/products', body)
        : await request<ProductRecord>('PATCH', `/v1/products/${encodeURIComponent(draft.sku)}`, {
            ...body,
            sku: undefined,
          });
      await props.onChanged();
      setSelected(saved.sku);
      setStatus({ ok: true, text: t('as.saved').replace('{version}', String(saved.version)) });
    } catch (error) {
      setStatus({ ok: false, text: t('as.failed').replace('{message}', (error as ApiError).message) });
    }
  };
  const remove = async () => {
    try {
      await request('DELETE', `/v1/products/${encodeURIComponent(draft.sku)}`);
      await props.onChanged();
      setSelected(null);
      setDraft(null);
      setStatus({ ok: true, text: t('as.deleted') });
    } catch (error) {
      setStatus({ ok: false, text: t('as.failed').replace('{message}', (error as ApiError).message) });
    }
  };

  return (
    <section class="catalog" aria-labelledby="as-catalog">
      <h2 id="as-catalog">{t('as.catalog')}</h2>
      {!props.isAdmin && <p class="muted">{t('as.adminOnly')}</p>}
      <div class="catalog-list">
        <label>
          {t('as.edit')}
          <select
            value={selected ?? ''}
            onChange={(event) => {
              const sku = (event.target as HTMLSelectElement).value;
              select(props.products.find((product) => product.sku === sku) ?? null);
            }}
          >
            {creating && <option value="">{t('as.new')}</option>}
            {props.products.map((product) => (
              <option key={product.sku} value={product.sku}>
                {product.sku} · {product.name}
              </option>
            ))}
          </select>
        </label>
        {props.isAdmin && !creating && (
          <button type="button" onClick={() => select(null)}>
            {t('as.new')}
          </button>
        )}
      </div>
      <form class="product-form" onSubmit={save}>
        <fieldset disabled={!props.isAdmin}>
          <div class="fields">
            <label>
              {t('as.sku')}
              <input
                required
                value={draft.sku}
                readOnly={!creating}
                onInput={(event) => patch({ sku: (event.target as HTMLInputElement).value })}
              />
            </label>
            <label>
              {t('as.name')}
              <input
                required
                value={draft.name}
                onInput={(event) => patch({ name: (event.target as HTMLInputElement).value })}
              />
            </label>
            <label>
              {t('as.category')}
              <input
                value={draft.category}
                onInput={(event) => patch({ category: (event.target as HTMLInputElement).value })}
              />
            </label>
            <label>
              {t('as.fit')}
              <select
                value={draft.fit}
                onChange={(event) =>
                  patch({ fit: (event.target as HTMLSelectElement).value as Draft['fit'] })
                }
              >
                <option value="slim">{t('as.fit.slim')}</option>
                <option value="regular">{t('as.fit.regular')}</option>
                <option value="loose">{t('as.fit.loose')}</option>
              </select>
            </label>
            <label>
              {t('as.color')}
              <input
                value={draft.attributes.color ?? ''}
                onInput={(event) =>
                  patch({
                    attributes: { ...draft.attributes, color: (event.target as HTMLInputElement).value },
                  })
                }
              />
            </label>
            <label>
              {t('as.material')}
              <input
                value={draft.attributes.material ?? ''}
                onInput={(event) =>
                  patch({
                    attributes: { ...draft.attributes, material: (event.target as HTMLInputElement).value },
                  })
                }
              />
            </label>
            <label>
              {t('as.price')}
              <input
                type="number"
                min="0"
                step="0.01"
                value={draft.price ?? ''}
                onInput={(event) => {
                  const value = (event.target as HTMLInputElement).value;
                  patch({ price: value === '' ? null : Number(value) });
                }}
              />
            </label>
            <label>
              {t('as.stock')}
              <input
                type="number"
                min="0"
                step="1"
                value={draft.stock ?? ''}
                onInput={(event) => {
                  const value = (event.target as HTMLInputElement).value;
                  patch({ stock: value === '' ? null : Number(value) });
                }}
              />
            </label>
          </div>
          <label class="wide">
            {t('as.notes.field')}
            <textarea
              rows={2}
              value={draft.notes}
              onInput={(event) => patch({ notes: (event.target as HTMLTextAreaElement).value })}
            />
          </label>
          <fieldset class="images">
            <legend>{t('as.images')}</legend>
            <ul>
              {draft.images.map((image, index) => (
                <li key={image}>
                  <img
                    src={/^https?:/.test(image) ? image : `/v1/assets/${encodeURIComponent(image)}?w=160`}
                    alt={`${draft.name} ${index + 1}`}
                  />
                  <button
                    type="button"
                    class="link"
                    onClick={() => patch({ images: draft.images.filter((_, at) => at !== index) })}
                  >
                    {t('as.removeImage').replace('{n}', String(index + 1))}
                  </button>
                </li>
              ))}
            </ul>
            <label class="photo-button">
              {t('as.addImage')}
              <input
                type="file"
                accept="image/jpeg,image/png,image/webp"
                onChange={async (event) => {
                  const input = event.target as HTMLInputElement;
                  const file = input.files?.[0];
                  if (!file) return;
                  const asset = await uploadImage(file);
                  patch({ images: [...draft.images, asset.id] });
                  input.value = '';
                }}
              />
            </label>
          </fieldset>
          <table class="size-chart">
            <caption>{t('as.chart')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('as.chart.size')}</th>
                {measurements.map((name) => (
                  <th key={name} scope="col">
                    {name}
                  </th>
                ))}
                <th />
              </tr>
            </thead>
            <tbody>
              {sizes.map((size) => (
                <tr key={size}>
                  <th scope="row">{size}</th>
                  {measurements.map((name) => (
                    <td key={name}>
                      <input
                        type="number"
                        min="1"
                        step="0.5"
                        aria-label={`${size} ${name}`}
                        value={draft.size_chart[size]?.[name] || ''}
                        onInput={(event) => setCell(size, name, (event.target as HTMLInputElement).value)}
                      />
                    </td>
                  ))}
                  <td>
                    <button
                      type="button"
                      class="link"
                      onClick={() => {
                        const { [size]: _removed, ...rest } = draft.size_chart;
                        patch({ size_chart: rest });
                      }}
                    >
                      {t('as.chart.removeSize').replace('{size}', size)}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="chart-actions">
            <label>
              {t('as.chart.size')}
              <input
                value={newSize}
                size={5}
                onInput={(event) => setNewSize((event.target as HTMLInputElement).value)}
              />
            </label>
            <button
              type="button"
              disabled={!newSize.trim() || Boolean(draft.size_chart[newSize.trim().toUpperCase()])}
              onClick={() => {
                const name = newSize.trim().toUpperCase();
                patch({
                  size_chart: {
                    ...draft.size_chart,
                    [name]: Object.fromEntries(measurements.map((m) => [m, 0])),
                  },
                });
                setNewSize('');
              }}
            >
              {t('as.chart.addSize')}
            </button>
            <label>
              {t('as.chart.measurementName')}
              <input
                value={newMeasurement}
                onInput={(event) => setNewMeasurement((event.target as HTMLInputElement).value)}
              />
            </label>
            <button
              type="button"
              disabled={!newMeasurement.trim()}
              onClick={() => {
                const name = newMeasurement.trim();
                patch({
                  size_chart: Object.fromEntries(
                    sizes.map((size) => [
                      size,
                      { ...draft.size_chart[size], [name]: draft.size_chart[size]?.[name] ?? 0 },
                    ]),
                  ),
                });
                setNewMeasurement('');
              }}
            >
              {t('as.chart.addMeasurement')}
            </button>
          </div>
          <div class="form-actions">
            <button type="submit" class="primary">
              {creating ? t('as.create') : t('as.save')}
            </button>
            {!creating && (
              <button type="button" class="danger" onClick={remove}>
                {t('as.delete')}
              </button>
            )}
          </div>
        </fieldset>
        {status && (
          <p class={status.ok ? 'ok' : 'error'} role={status.ok ? 'status' : 'alert'}>
            {status.text}
          </p>
        )}
      </form>
    </section>
  );
}
