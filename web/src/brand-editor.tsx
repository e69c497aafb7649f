import { useState } from 'preact/hooks';
import { type BrandKit, type FieldIssue, PALETTE_KEYS, uploadImage } from './brand-api.ts';
import { type MessageId, t } from './i18n.ts';

const HEX_COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

/** A color input only takes #rrggbb: #abc becomes #aabbcc, anything unfinished shows black. */
function forColorInput(hex: string): string {
  if (!HEX_COLOR.test(hex)) return '#000000';
  const digits = hex.slice(1).toLowerCase();
  return digits.length === 3 ? `#${[...digits].map((digit) => digit + digit).join('')}` : `#${digits}`;
}

export function isHexColor(value: string): boolean {
  return HEX_COLOR.test(value);
}

/** An API issue under a field, shown next to it; the label names the field for screen readers. */
function FieldAlert(props: { id: string; label: string; issues: FieldIssue[]; field: string }) {
  const issue = props.issues.find(
    (candidate) => candidate.field === props.field || candidate.field.startsWith(`${props.field}.`),
  );
  if (!issue) return null;
  return (
    <p class="error" role="alert" id={props.id}>
      {props.label}: {issue.message}
    </p>
  );
}

interface Props {
  draft: BrandKit;
  update: (change: (draft: BrandKit) => BrandKit) => void;
  fonts: string[];
  issues: FieldIssue[];
}

/** The brand kit form: every field of the kit, bound to the unsaved draft. */
export function BrandEditor({ draft, update, fonts, issues }: Props) {
  const [moodWord, setMoodWord] = useState('');
  const [upload, setUpload] = useState<{ state: 'busy' | 'done' | 'failed'; message?: string } | null>(null);
  const invalid = (field: string) =>
    issues.some((issue) => issue.field === field || issue.field.startsWith(`${field}.`)) || undefined;

  const addMoodWord = () => {
    const words = moodWord
      .split(/[,，]/)
      .map((word) => word.trim())
      .filter(Boolean);
    if (!words.length) return;
    update((kit) => ({
      ...kit,
      mood_words: [...kit.mood_words, ...words.filter((w) => !kit.mood_words.includes(w))],
    }));
    setMoodWord('');
  };

  const onLogoChosen = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    setUpload({ state: 'busy' });
    try {
      const asset = await uploadImage(file);
      update((kit) => ({ ...kit, logo_asset_id: asset.id }));
      setUpload({ state: 'done' });
    } catch (failure) {
      setUpload({ state: 'failed', message: (failure as Error).message });
    } finally {
      input.value = '';
    }
  };

  const fontSelect = (role: 'heading' | 'body', label: MessageId) => {
    const value = draft.fonts[role];
    const options = fonts.includes(value) ? fonts : [...fonts, value];
    return (
      <>
        <label for={`font-${role}`}>{t(label)}</label>
        <select
          id={`font-${role}`}
          value={value}
          aria-invalid={invalid(`fonts.${role}`)}
          onChange={(event) => {
            const family = (event.target as HTMLSelectElement).value;
            update((kit) => ({ ...kit, fonts: { ...kit.fonts, [role]: family } }));
          }}
        >
          {options.map((family) => (
            <option key={family} value={family}>
              {fonts.includes(family) ? family : `${family} (${t('brands.font.missing')})`}
            </option>
          ))}
        </select>
        <FieldAlert id={`font-${role}-error`} label={t(label)} issues={issues} field={`fonts.${role}`} />
      </>
    );
  };

  return (
    <div class="brand-editor">
      <label for="brand-name">{t('brands.name')}</label>
      <input
        id="brand-name"
        value={draft.name}
        aria-invalid={invalid('name')}
        onInput={(event) => {
          const name = (event.target as HTMLInputElement).value;
          update((kit) => ({ ...kit, name }));
        }}
      />
      <FieldAlert id="brand-name-error" label={t('brands.name')} issues={issues} field="name" />

      <fieldset class="palette">
        <legend>{t('brands.palette')}</legend>
        {PALETTE_KEYS.map((key) => {
          const label = t(`brands.color.${key}` as MessageId);
          const value = draft.palette[key];
          const setColor = (color: string) =>
            update((kit) => ({ ...kit, palette: { ...kit.palette, [key]: color } }));
          return (
            <div class="swatch" key={key}>
              <label for={`color-${key}`}>{label}</label>
              <input
                type="color"
                id={`color-${key}`}
                value={forColorInput(value)}
                onInput={(event) => setColor((event.target as HTMLInputElement).value)}
              />
              <label for={`hex-${key}`} class="visually-hidden">
                {label} ({t('brands.color.hex')})
              </label>
              <input
                id={`hex-${key}`}
                class="hex"
                value={value}
                spellcheck={false}
                aria-invalid={invalid(`palette.${key}`) ?? (!isHexColor(value) || undefined)}
                onInput={(event) => setColor((event.target as HTMLInputElement).value.trim())}
              />
              <FieldAlert id={`hex-${key}-error`} label={label} issues={issues} field={`palette.${key}`} />
            </div>
          );
        })}
      </fieldset>

      <fieldset class="plain">
        <legend>{t('brands.fonts')}</legend>
        {fontSelect('heading', 'brands.font.heading')}
        {fontSelect('body', 'brands.font.body')}
      </fieldset>

      <fieldset class="plain">
        <legend>{t('brands.logo')}</legend>
        {draft.logo_asset_id ? (
          <div class="logo-row">
            <img
              class="logo"
              src={`/v1/assets/${encodeURIComponent(draft.logo_asset_id)}?w=240`}
              alt={t('brands.logo.alt')}
            />
            <button
              type="button"
              class="secondary"
              onClick={() => {
                update((kit) => ({ ...kit, logo_asset_id: null }));
                setUpload(null);
              }}
            >
              {t('brands.logo.remove')}
            </button>
          </div>
        ) : (
          <p class="hint">{t('brands.logo.none')}</p>
        )}
        <label for="logo-file">{t('brands.logo.upload')}</label>
        <input
          id="logo-file"
          type="file"
          accept="image/png,image/jpeg,image/webp"
          onChange={(event) => onLogoChosen(event.target as HTMLInputElement)}
        />
        <p role="status" class="hint">
          {upload?.state === 'busy' && t('brands.logo.uploading')}
          {upload?.state === 'done' && t('brands.logo.uploaded')}
        </p>
        {upload?.state === 'failed' && (
          <p class="error" role="alert">
            {t('brands.logo')}: {upload.message}
          </p>
        )}
        <FieldAlert id="logo-error" label={t('brands.logo')} issues={issues} field="logo_asset_id" />
      </fieldset>

      <fieldset class="plain">
        <legend>{t('brands.mood')}</legend>
        {draft.mood_words.length ? (
          <ul class="chips" aria-label={t('brands.mood')}>
            {draft.mood_words.map((word) => (
              <li key={word} class="chip">
                <span>{word}</span>
                <button
                  type="button"
                  class="chip-remove"
                  aria-label={`${t('brands.mood.remove')} ${word}`}
                  onClick={() =>
                    update((kit) => ({ ...kit, mood_words: kit.mood_words.filter((w) => w !== word) }))
                  }
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p class="hint">{t('brands.mood.none')}</p>
        )}
        <label for="mood-new">{t('brands.mood.add')}</label>
        <div class="inline">
          <input
            id="mood-new"
            value={moodWord}
            onInput={(event) => setMoodWord((event.target as HTMLInputElement).value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                addMoodWord();
              }
            }}
          />
          <button type="button" class="secondary" onClick={addMoodWord}>
            {t('brands.mood.addButton')}
          </button>
        </div>
        <FieldAlert id="mood-error" label={t('brands.mood')} issues={issues} field="mood_words" />
      </fieldset>

      {(['lighting', 'composition'] as const).map((field) => (
        <div class="field" key={field}>
          <label for={`brand-${field}`}>{t(`brands.${field}`)}</label>
          <input
            id={`brand-${field}`}
            value={draft[field]}
            aria-invalid={invalid(field)}
            onInput={(event) => {
              const value = (event.target as HTMLInputElement).value;
              update((kit) => ({ ...kit, [field]: value }));
            }}
          />
          <FieldAlert
            id={`brand-${field}-error`}
            label={t(`brands.${field}`)}
            issues={issues}
            field={field}
          />
        </div>
      ))}

      <label for="brand-negative">{t('brands.negative')}</label>
      <textarea
        id="brand-negative"
        rows={3}
        value={draft.negative_prompt}
        aria-describedby="brand-negative-hint"
        aria-invalid={invalid('negative_prompt')}
        onInput={(event) => {
          const value = (event.target as HTMLTextAreaElement).value;
          update((kit) => ({ ...kit, negative_prompt: value }));
        }}
      />
      <p class="hint" id="brand-negative-hint">
        {t('brands.negativeHint')}
      </p>
      <FieldAlert
        id="brand-negative-error"
        label={t('brands.negative')}
        issues={issues}
        field="negative_prompt"
      />
    </div>
  );
}
