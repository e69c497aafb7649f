import { useState } from 'preact/hooks';
import { type TemplateParam, uploadImage } from './api.ts';
import { paramLabel, t } from './i18n.ts';

/** An asset id as the API issues it (a URL is the other accepted form of an image param). */
const ASSET_ID = /^[\w-]+$/;

/**
 * An image param (e.g. `product_image`): an uploaded photo, an image picked from the gallery, or
 * a URL typed in. A thumbnail shows what the template will draw.
 */
export function ImageParamField(props: {
  param: TemplateParam;
  value: string;
  onChange(value: string): void;
}) {
  const { param, value } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = `param-${param.name}`;
  const thumbnail = value && ASSET_ID.test(value) ? `/v1/assets/${encodeURIComponent(value)}?w=160` : null;

  async function upload(file: File | undefined) {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      props.onChange((await uploadImage(file)).id);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="image-param">
      <label for={id}>
        {paramLabel(param.name)}
        {param.required && ' *'}
      </label>
      <div class="image-param-row">
        {thumbnail && <img src={thumbnail} alt={t('gen.photo.current')} class="thumb" />}
        <input
          id={id}
          name={param.name}
          required={param.required}
          placeholder="https://… / asset id"
          value={value}
          onInput={(event) => props.onChange(event.currentTarget.value)}
        />
      </div>
      <div class="image-param-row">
        <input
          id={`${id}-file`}
          class="visually-hidden"
          type="file"
          accept="image/png,image/jpeg,image/webp"
          disabled={busy}
          onChange={(event) => {
            const input = event.currentTarget;
            void upload(input.files?.[0]).finally(() => {
              input.value = '';
            });
          }}
        />
        {/* After the input: its focus ring shows on this label (styles.css). */}
        <label class="file-button" for={`${id}-file`}>
          {busy ? t('gen.photo.uploading') : t('gen.photo.upload')}
        </label>
        {value && (
          <button type="button" class="link" onClick={() => props.onChange('')}>
            {t('gen.photo.clear')}
          </button>
        )}
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
