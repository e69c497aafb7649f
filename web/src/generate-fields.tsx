import type { StylePack } from './api.ts';
import { getLocale, t } from './i18n.ts';

/** The style pack for template and poster requests; '' leaves the template's own. */
export function StylePackSelect(props: { packs: StylePack[]; value: string; onChange(value: string): void }) {
  const locale = getLocale();
  const chosen = props.packs.find((pack) => pack.id === props.value);
  return (
    <>
      <label for="style-pack">{t('pack.label')}</label>
      <select
        id="style-pack"
        value={props.value}
        aria-describedby={chosen ? 'style-pack-description' : undefined}
        onChange={(event) => props.onChange(event.currentTarget.value)}
      >
        <option value="">{t('pack.auto')}</option>
        {props.packs.map((pack) => (
          <option key={pack.id} value={pack.id}>
            {pack.name[locale]}
          </option>
        ))}
      </select>
      {chosen && (
        <p class="hint pack-description" id="style-pack-description">
          <span class="swatches" aria-hidden="true">
            {(chosen.swatches ?? []).map((color) => (
              <span key={color} class="pack-swatch" style={{ background: color }} />
            ))}
          </span>
          {chosen.description[locale]}
        </p>
      )}
    </>
  );
}

/** The brief of a poster: the offer is read from it by the server. */
export function PosterBriefField(props: { value: string; onChange(value: string): void }) {
  return (
    <>
      <label for="poster-brief">{t('poster.brief')}</label>
      <textarea
        id="poster-brief"
        rows={3}
        maxLength={500}
        value={props.value}
        placeholder={t('poster.briefPlaceholder')}
        aria-describedby="poster-brief-hint"
        onInput={(event) => props.onChange(event.currentTarget.value)}
      />
      <p class="hint" id="poster-brief-hint">
        {t('poster.briefHint')}
      </p>
    </>
  );
}

/** Said before anyone clicks: a description needs an image model, and none is configured. */
export function NoModelNotice() {
  return (
    <aside class="no-model" aria-labelledby="no-model-title">
      <strong id="no-model-title">{t('noModel.title')}</strong>
      <p>{t('noModel.body')}</p>
    </aside>
  );
}
