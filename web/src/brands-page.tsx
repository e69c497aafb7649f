import { useEffect, useMemo, useState } from 'preact/hooks';
import { currentSession, request, type Template } from './api.ts';
import {
  BRAND_SLUG_PATTERN,
  type BrandChanges,
  type BrandKit,
  type BrandRecord,
  changesBetween,
  type FieldError,
  type FieldIssue,
  kitOf,
  listBrands,
  listFonts,
  PALETTE_KEYS,
  sendJson,
} from './brand-api.ts';
import { BrandEditor, isHexColor } from './brand-editor.tsx';
import { BrandPreview } from './brand-preview.tsx';
import { t } from './i18n.ts';

type SaveState =
  | { state: 'idle' | 'saving' }
  | { state: 'saved'; version: number }
  | { state: 'failed'; message: string };

/** The Brands screen: pick or create a brand, edit its kit, see a template in it as it is edited. */
export function BrandsPage() {
  const [brands, setBrands] = useState<BrandRecord[] | null>(null);
  const [fonts, setFonts] = useState<string[]>([]);
  const [templates, setTemplates] = useState<Template[]>([]);
  const [isAdmin, setIsAdmin] = useState(false);
  const [slug, setSlug] = useState('');
  const [draft, setDraft] = useState<BrandKit | null>(null);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [save, setSave] = useState<SaveState>({ state: 'idle' });
  const [creating, setCreating] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([
      listBrands(),
      listFonts(),
      request<{ data: Template[] }>('GET', '/v1/templates'),
      currentSession(),
    ]).then(
      ([brandList, fontList, templateList, session]) => {
        setBrands(brandList);
        setFonts(fontList);
        setTemplates(templateList.data);
        setIsAdmin(session?.scopes.includes('admin') ?? false);
        const first = brandList[0];
        if (first) select(first);
      },
      (failure: Error) => setLoadError(failure.message),
    );
  }, []);

  const saved = brands?.find((brand) => brand.slug === slug) ?? null;
  const changes = useMemo(() => (saved && draft ? changesBetween(kitOf(saved), draft) : {}), [saved, draft]);
  const dirty = Object.keys(changes).length > 0;
  // A color still being typed (#12) would make the preview fail: it shows the saved color meanwhile.
  const previewChanges = useMemo((): BrandChanges => {
    if (!changes.palette) return changes;
    const palette = Object.fromEntries(
      PALETTE_KEYS.filter((key) => changes.palette?.[key] && isHexColor(changes.palette[key]!)).map((key) => [
        key,
        changes.palette![key],
      ]),
    );
    return { ...changes, palette };
  }, [changes]);

  function select(brand: BrandRecord) {
    setSlug(brand.slug);
    setDraft(kitOf(brand));
    setIssues([]);
    setSave({ state: 'idle' });
  }

  const replaceBrand = (brand: BrandRecord) =>
    setBrands((list) => {
      const rest = (list ?? []).filter((candidate) => candidate.slug !== brand.slug);
      return [...rest, brand].sort((a, b) => a.slug.localeCompare(b.slug));
    });

  const onSave = async () => {
    if (!saved || !dirty) return;
    setSave({ state: 'saving' });
    setIssues([]);
    try {
      const updated = await sendJson<BrandRecord>(
        'PATCH',
        `/v1/brands/${encodeURIComponent(saved.slug)}`,
        changes,
      );
      replaceBrand(updated);
      setDraft(kitOf(updated));
      setSave({ state: 'saved', version: updated.version });
    } catch (failure) {
      const error = failure as FieldError;
      if (error.status === 403) setSave({ state: 'failed', message: t('brands.forbidden') });
      else if (error.issues?.length) {
        setIssues(error.issues);
        setSave({ state: 'failed', message: t('brands.errors') });
      } else setSave({ state: 'failed', message: error.message });
    }
  };

  if (loadError) {
    return (
      <p class="error" role="alert">
        {loadError}
      </p>
    );
  }
  if (!brands || !draft) return <p role="status">{t('brands.loading')}</p>;

  return (
    <>
      <h1>{t('brands.heading')}</h1>
      {!isAdmin && <p class="notice">{t('brands.readOnly')}</p>}
      <div class="brand-picker">
        <div class="field">
          <label for="brand-select">{t('brands.select')}</label>
          <select
            id="brand-select"
            value={slug}
            onChange={(event) => {
              const field = event.target as HTMLSelectElement;
              const next = brands.find((brand) => brand.slug === field.value);
              // Unsaved edits are not dropped silently: the user confirms, or stays on this brand.
              if (dirty && !window.confirm(t('brands.discardConfirm'))) {
                field.value = slug;
                return;
              }
              if (next) select(next);
            }}
          >
            {brands.map((brand) => (
              <option key={brand.slug} value={brand.slug}>
                {brand.name} ({brand.slug})
              </option>
            ))}
          </select>
        </div>
        {isAdmin && !creating && (
          <button type="button" class="secondary" onClick={() => setCreating(true)}>
            {t('brands.new')}
          </button>
        )}
      </div>
      {creating && (
        <NewBrandForm
          startFrom={draft}
          onCancel={() => setCreating(false)}
          onCreated={(brand) => {
            replaceBrand(brand);
            select(brand);
            setCreating(false);
          }}
        />
      )}
      <div class="columns brand-columns">
        <section class="card" aria-labelledby="editor-heading">
          <h2 id="editor-heading">
            {t('brands.editor')}: {saved?.name}
          </h2>
          <BrandEditor
            draft={draft}
            update={(change) => setDraft((current) => (current ? change(current) : current))}
            fonts={fonts}
            issues={issues}
          />
          <div class="actions">
            <button type="button" onClick={onSave} disabled={!dirty || !isAdmin || save.state === 'saving'}>
              {save.state === 'saving' ? t('brands.saving') : t('brands.save')}
            </button>
            <button
              type="button"
              class="secondary"
              disabled={!dirty}
              onClick={() => {
                if (saved) select(saved);
              }}
            >
              {t('brands.discard')}
            </button>
          </div>
          <p role="status" class="hint">
            {save.state === 'saved' && !dirty
              ? `${t('brands.saved')} ${save.version}`
              : dirty
                ? t('brands.unsaved')
                : t('brands.noChanges')}
          </p>
          {save.state === 'failed' && (
            <p class="error" role="alert">
              {save.message}
            </p>
          )}
        </section>
        <BrandPreview templates={templates} brand={slug} changes={previewChanges} />
      </div>
    </>
  );
}

/** Slug and name of a new brand; the rest of its kit is copied from the brand being edited. */
function NewBrandForm(props: {
  startFrom: BrandKit;
  onCancel: () => void;
  onCreated: (brand: BrandRecord) => void;
}) {
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const slugValid = BRAND_SLUG_PATTERN.test(slug);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!slugValid) {
      setError(t('brands.new.slugInvalid'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const brand = await sendJson<BrandRecord>('POST', '/v1/brands', {
        ...props.startFrom,
        slug,
        name: name.trim() || slug,
      });
      props.onCreated(brand);
    } catch (failure) {
      const issue = (failure as FieldError).issues?.[0];
      setError(issue ? `${issue.field}: ${issue.message}` : (failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card new-brand" aria-labelledby="new-brand-heading" onSubmit={submit}>
      <h2 id="new-brand-heading">{t('brands.new.heading')}</h2>
      <p class="hint">{t('brands.new.hint')}</p>
      <label for="new-brand-slug">{t('brands.new.slug')}</label>
      <input
        id="new-brand-slug"
        value={slug}
        required
        autoComplete="off"
        spellcheck={false}
        aria-describedby="new-brand-slug-hint"
        aria-invalid={(slug !== '' && !slugValid) || undefined}
        onInput={(event) => setSlug((event.target as HTMLInputElement).value)}
      />
      <p class="hint" id="new-brand-slug-hint">
        {t('brands.new.slugHint')}
      </p>
      <label for="new-brand-name">{t('brands.new.name')}</label>
      <input
        id="new-brand-name"
        value={name}
        onInput={(event) => setName((event.target as HTMLInputElement).value)}
      />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="submit" disabled={busy}>
          {t('brands.new.create')}
        </button>
        <button type="button" class="secondary" onClick={props.onCancel}>
          {t('brands.new.cancel')}
        </button>
      </div>
    </form>
  );
}
