import type { StylePack, Template } from './api.ts';
import { getLocale, paramLabel, t } from './i18n.ts';
import { ImageParamField } from './image-param-field.tsx';

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

/** A template's parameters as fields: text inputs, and an upload-or-id field for each image. */
export function TemplateParamFields(props: {
  template: Template;
  params: Record<string, string>;
  onChange(name: string, value: string): void;
}) {
  const { template, params } = props;
  return (
    <>
      {template.params.map((param) =>
        param.kind === 'image' ? (
          <ImageParamField
            key={`${template.name}.${param.name}`}
            param={param}
            value={params[param.name] ?? ''}
            onChange={(value) => props.onChange(param.name, value)}
          />
        ) : (
          <div key={`${template.name}.${param.name}`}>
            <label for={`param-${param.name}`}>
              {paramLabel(param.name)}
              {param.required && ' *'}
            </label>
            <input
              id={`param-${param.name}`}
              name={param.name}
              required={param.required}
              maxLength={param.max_length}
              value={params[param.name] ?? ''}
              onInput={(event) => props.onChange(param.name, event.currentTarget.value)}
            />
          </div>
        ),
      )}
    </>
  );
}
