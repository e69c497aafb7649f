import { paramLabel, type StylePreset, styleLabel } from '../labels.ts';
import type { PickerMessageId } from '../messages/picker.ts';
import type { PickerTemplate } from './picker-api.ts';

export type Translate = (id: PickerMessageId, values?: Record<string, string | number>) => string;
export type Mode = 'prompt' | 'template';

/** Size presets for article images; "template" keeps the template's own size. */
export const PICKER_SIZES: ReadonlyArray<{
  id: string;
  label: PickerMessageId;
  width?: number;
  height?: number;
}> = [
  { id: 'template', label: 'picker.size.template' },
  { id: 'square', label: 'picker.size.square', width: 1024, height: 1024 },
  { id: 'landscape', label: 'picker.size.landscape', width: 1920, height: 1080 },
  { id: 'portrait', label: 'picker.size.portrait', width: 1080, height: 1350 },
  { id: 'small', label: 'picker.size.small', width: 800, height: 800 },
];
export const PICKER_COUNTS = [1, 2, 4] as const;

export interface FormValues {
  mode: Mode;
  prompt: string;
  template: string;
  params: Record<string, string>;
  brand: string;
  style: string;
  count: number;
  size: string;
}

/** Templates a picker can fill: only text fields (image fields need an upload, which is the studio's job). */
export function usableTemplates(templates: PickerTemplate[]): PickerTemplate[] {
  return templates.filter((template) =>
    template.params.every((param) => param.kind === 'text' || !param.required),
  );
}

/** The body of POST /v1/generations, or null while something required is missing. */
export function generationBody(values: FormValues, template: PickerTemplate | undefined, provider?: string) {
  const preset = PICKER_SIZES.find((candidate) => candidate.id === values.size);
  const common = {
    n: values.count,
    ...(values.brand ? { brand: values.brand } : {}),
    ...(values.style ? { style: values.style } : {}),
    ...(preset?.width ? { width: preset.width, height: preset.height } : {}),
    ...(provider ? { provider } : {}),
  };
  if (values.mode === 'prompt')
    return values.prompt.trim() ? { ...common, prompt: values.prompt.trim() } : null;
  if (!template) return null;
  const textParams = template.params.filter((param) => param.kind === 'text');
  const filled = Object.fromEntries(
    textParams
      .map((param) => [param.name, (values.params[param.name] ?? '').trim()] as const)
      .filter(([, value]) => value !== ''),
  );
  if (textParams.some((param) => param.required && !filled[param.name])) return null;
  return { ...common, template: template.name, params: filled };
}

/** The alt text to start from: what the user described, or the template's title. */
export function suggestedAlt(values: FormValues): string {
  if (values.mode === 'prompt') return values.prompt.trim();
  return (values.params.title ?? values.params.headline ?? Object.values(values.params)[0] ?? '').trim();
}

/** The request fields: description or template + its text fields, brand, count, size. */
export function PickerFields(props: {
  t: Translate;
  values: FormValues;
  templates: PickerTemplate[];
  brands: Array<{ slug: string; name?: string }>;
  styles: StylePreset[];
  lang: string;
  onChange: (changes: Partial<FormValues>) => void;
}) {
  const { t, values, templates, brands, styles, onChange } = props;
  const locale = props.lang.toLowerCase().startsWith('zh') ? 'zh' : 'en';
  const template = templates.find((candidate) => candidate.name === values.template);
  return (
    <>
      <fieldset class="choices">
        <legend>{t('picker.mode')}</legend>
        {(['prompt', 'template'] as const).map((mode) => (
          <label key={mode}>
            <input
              type="radio"
              name="mode"
              checked={values.mode === mode}
              onChange={() => onChange({ mode })}
            />
            {t(`picker.mode.${mode}`)}
          </label>
        ))}
      </fieldset>
      {values.mode === 'prompt' ? (
        <div class="field">
          <label for="vp-prompt">{t('picker.prompt')}</label>
          <textarea
            id="vp-prompt"
            rows={3}
            value={values.prompt}
            placeholder={t('picker.promptPlaceholder')}
            onInput={(event) => onChange({ prompt: event.currentTarget.value })}
          />
        </div>
      ) : (
        <>
          <div class="field">
            <label for="vp-template">{t('picker.template')}</label>
            <select
              id="vp-template"
              value={values.template}
              onChange={(event) => onChange({ template: event.currentTarget.value })}
            >
              {templates.map((candidate) => (
                <option key={candidate.name} value={candidate.name}>
                  {candidate.name}
                </option>
              ))}
            </select>
          </div>
          {template?.params
            .filter((param) => param.kind === 'text')
            .map((param) => (
              <div class="field" key={`${template.name}.${param.name}`}>
                <label for={`vp-param-${param.name}`}>
                  {paramLabel(param.name, locale)}
                  {param.required ? ' *' : ''}
                </label>
                <input
                  id={`vp-param-${param.name}`}
                  value={values.params[param.name] ?? ''}
                  required={param.required}
                  maxLength={param.max_length}
                  onInput={(event) =>
                    onChange({ params: { ...values.params, [param.name]: event.currentTarget.value } })
                  }
                />
              </div>
            ))}
        </>
      )}
      <div class="row">
        <div class="field">
          <label for="vp-brand">{t('picker.brand')}</label>
          <select
            id="vp-brand"
            value={values.brand}
            onChange={(event) => onChange({ brand: event.currentTarget.value })}
          >
            <option value="">{t('picker.brand.none')}</option>
            {brands.map((brand) => (
              <option key={brand.slug} value={brand.slug}>
                {brand.name ?? brand.slug}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="vp-size">{t('picker.size')}</label>
          <select
            id="vp-size"
            value={values.size}
            onChange={(event) => onChange({ size: event.currentTarget.value })}
          >
            {PICKER_SIZES.map((preset) => (
              <option key={preset.id} value={preset.id}>
                {t(preset.label)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div class="field">
        <label for="vp-style">{t('picker.style')}</label>
        <select
          id="vp-style"
          value={values.style}
          onChange={(event) => onChange({ style: event.currentTarget.value })}
        >
          <option value="">{t('picker.style.none')}</option>
          {styles.map((preset) => (
            <option key={preset.id} value={preset.id} title={preset.description}>
              {styleLabel(preset.id, locale)}
            </option>
          ))}
        </select>
      </div>
      <fieldset class="choices">
        <legend>{t('picker.count')}</legend>
        {PICKER_COUNTS.map((count) => (
          <label key={count}>
            <input
              type="radio"
              name="count"
              checked={values.count === count}
              onChange={() => onChange({ count })}
            />
            {count}
          </label>
        ))}
      </fieldset>
    </>
  );
}
