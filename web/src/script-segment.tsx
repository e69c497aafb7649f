import { useState } from 'preact/hooks';
import { ApiError, uploadImage } from './api.ts';
import { format } from './format.ts';
import { type MessageId, t } from './i18n.ts';
import { MOODS, type Mood, type Segment } from './script-api.ts';

/** One segment of the analysis: its title, product photo, chips and mood, all editable. */
export function SegmentEditor(props: { segment: Segment; onChange(next: Segment): void }) {
  const { segment, onChange } = props;
  const id = `segment-${segment.index}`;
  const set = (changes: Partial<Segment>) => onChange({ ...segment, ...changes });
  return (
    <li class="card segment" aria-labelledby={`${id}-heading`}>
      <header class="segment-head">
        <h3 id={`${id}-heading`}>
          <span class="segment-number">{format('script.segment', { n: segment.index + 1 })}</span>
          {segment.time && <span class="segment-time">{segment.time}</span>}
          <span class="segment-kind">{segment.kind}</span>
        </h3>
        {segment.style_pack && (
          <span class="hint">{format('script.style', { pack: segment.style_pack })}</span>
        )}
      </header>
      <div class="segment-fields">
        <div class="field">
          <label for={`${id}-title`}>{t('script.title')}</label>
          <input
            id={`${id}-title`}
            value={segment.title}
            maxLength={80}
            onInput={(event) => set({ title: event.currentTarget.value || segment.title })}
          />
        </div>
        <div class="field">
          <label for={`${id}-mood`}>{t('script.mood')}</label>
          <select
            id={`${id}-mood`}
            value={segment.emotion.mood}
            onChange={(event) =>
              set({ emotion: { ...segment.emotion, mood: event.currentTarget.value as Mood, confidence: 1 } })
            }
          >
            {MOODS.map((mood) => (
              <option key={mood} value={mood}>
                {t(`mood.${mood}` as MessageId)}
              </option>
            ))}
          </select>
        </div>
        {segment.product && <ProductPhoto id={id} segment={segment} onChange={onChange} />}
      </div>
      <ChipEditor
        id={`${id}-points`}
        label={t('script.points')}
        addLabel={t('script.addPoint')}
        items={segment.selling_points.map((point) => ({
          text: point.text,
          detail: `${Math.round(point.confidence * 100)}%`,
        }))}
        onRemove={(index) =>
          set({ selling_points: segment.selling_points.filter((_, position) => position !== index) })
        }
        onAdd={(text) =>
          set({ selling_points: [...segment.selling_points, { text, kind: 'benefit', confidence: 1 }] })
        }
      />
      <ChipEditor
        id={`${id}-offers`}
        label={t('script.offers')}
        addLabel={t('script.addOffer')}
        items={segment.offers.map((offer) =>
          'headline' in offer
            ? {
                text: offer.headline,
                detail: [
                  offer.price_text && offer.type !== 'price' ? offer.price_text : null,
                  offer.code,
                  offer.stock,
                ]
                  .filter((value) => value !== null && value !== undefined)
                  .join(' · '),
              }
            : { text: offer.text, detail: '' },
        )}
        onRemove={(index) => set({ offers: segment.offers.filter((_, position) => position !== index) })}
        onAdd={(text) => set({ offers: [...segment.offers, { text }] })}
      />
      <ChipEditor
        id={`${id}-keywords`}
        label={t('script.keywords')}
        addLabel={t('script.addKeyword')}
        items={segment.keywords.map((keyword) => ({ text: keyword.text, detail: '' }))}
        onRemove={(index) => set({ keywords: segment.keywords.filter((_, position) => position !== index) })}
        onAdd={(text) => set({ keywords: [...segment.keywords, { text, weight: 1 }] })}
      />
      <details class="segment-text">
        <summary>{t('script.text')}</summary>
        <p>{segment.text}</p>
      </details>
    </li>
  );
}

/** Chips that can be removed, and a field to add one. */
function ChipEditor(props: {
  id: string;
  label: string;
  addLabel: string;
  items: Array<{ text: string; detail: string }>;
  onRemove(index: number): void;
  onAdd(text: string): void;
}) {
  const [draft, setDraft] = useState('');
  const add = () => {
    const text = draft.trim();
    if (!text) return;
    props.onAdd(text);
    setDraft('');
  };
  return (
    <fieldset class="plain chip-field">
      <legend>{props.label}</legend>
      {props.items.length > 0 ? (
        <ul class="chips" aria-label={props.label}>
          {props.items.map((item, index) => (
            <li key={`${item.text}-${index}`} class="chip">
              <span>{item.text}</span>
              {item.detail && <small class="chip-detail">{item.detail}</small>}
              <button
                type="button"
                class="chip-remove"
                aria-label={`${t('script.remove')} ${item.text}`}
                onClick={() => props.onRemove(index)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="hint">{t('script.none')}</p>
      )}
      <div class="inline">
        <input
          id={`${props.id}-new`}
          aria-label={props.addLabel}
          placeholder={props.addLabel}
          value={draft}
          onInput={(event) => setDraft(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              add();
            }
          }}
        />
        <button type="button" class="secondary" onClick={add}>
          {t('script.add')}
        </button>
      </div>
    </fieldset>
  );
}

/** The product's name and photo: the cover, card and "up next" show the photo when there is one. */
function ProductPhoto(props: { id: string; segment: Segment; onChange(next: Segment): void }) {
  const { id, segment } = props;
  const product = segment.product!;
  const [state, setState] = useState<{ uploading: boolean; preview: string | null; error: string | null }>({
    uploading: false,
    preview: null,
    error: null,
  });
  const choose = async (file: File | undefined) => {
    if (!file) return;
    setState({ uploading: true, preview: null, error: null });
    try {
      const asset = await uploadImage(file);
      setState({ uploading: false, preview: asset.url, error: null });
      props.onChange({ ...segment, product: { ...product, image: asset.id } });
    } catch (failure) {
      setState({
        uploading: false,
        preview: null,
        error: failure instanceof ApiError ? failure.message : String(failure),
      });
    }
  };
  return (
    <div class="field product-field">
      <span class="label">
        {t('script.product')}: <strong>{product.name}</strong>
      </span>
      <div class="inline">
        {state.preview && (
          <img class="thumb" src={state.preview} alt={`${t('script.photo')}: ${product.name}`} />
        )}
        <input
          id={`${id}-photo`}
          class="visually-hidden"
          type="file"
          accept="image/png,image/jpeg,image/webp"
          onChange={(event) => void choose(event.currentTarget.files?.[0])}
        />
        <label for={`${id}-photo`} class="file-button">
          {state.uploading
            ? t('script.photo.uploading')
            : product.image
              ? t('script.photo.change')
              : t('script.photo.add')}
        </label>
      </div>
      {state.error && (
        <p class="error" role="alert">
          {state.error}
        </p>
      )}
    </div>
  );
}
