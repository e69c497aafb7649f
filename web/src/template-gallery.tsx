import type { Template } from './api.ts';
import { getLocale, t } from './i18n.ts';
import { templateDescription, templateTitle } from './template-labels.ts';

/** The longer side of a thumbnail in CSS pixels × 2 for sharp screens; the server keeps them. */
const THUMBNAIL_SIZE = 240;

/** The URL of a template's thumbnail in a style pack and brand, sample texts in the UI language. */
export function thumbnailUrl(
  template: Template,
  options: { stylePack: string; brand: string; brandVersion?: number },
): string {
  const query = new URLSearchParams({ lang: getLocale(), size: String(THUMBNAIL_SIZE) });
  if (options.stylePack) query.set('style_pack', options.stylePack);
  if (options.brand) query.set('brand', options.brand);
  // Versions in the address: the browser's cached picture is replaced once either is edited.
  query.set('v', `${template.version ?? 0}.${options.brandVersion ?? 0}`);
  return `/v1/templates/${encodeURIComponent(template.name)}/thumbnail?${query}`;
}

/**
 * The templates as pictures: each drawn in the chosen style pack and brand, with its name and
 * description in the interface's language. Picking one is a radio choice, so arrows move through them.
 */
export function TemplateGallery(props: {
  templates: Template[];
  value: string;
  stylePack: string;
  brand: string;
  brandVersion?: number;
  onChange(name: string): void;
}) {
  const locale = getLocale();
  return (
    <fieldset class="template-gallery">
      <legend>{t('gallery.templates')}</legend>
      <p class="hint">{t('gallery.templatesHint')}</p>
      <div class="template-grid">
        {props.templates.map((template) => {
          const title = templateTitle(template.name, locale);
          const description = templateDescription(template, locale);
          const id = `tpl-${template.name}`;
          return (
            <label
              key={template.name}
              class={template.name === props.value ? 'template-tile chosen' : 'template-tile'}
              data-template={template.name}
              title={description}
            >
              <input
                type="radio"
                name="template-gallery"
                class="visually-hidden"
                value={template.name}
                checked={template.name === props.value}
                aria-label={title}
                aria-describedby={`${id}-description`}
                onChange={() => props.onChange(template.name)}
              />
              <span class="thumb-frame">
                <img
                  src={thumbnailUrl(template, props)}
                  alt=""
                  loading="lazy"
                  width={
                    template.width >= template.height
                      ? 120
                      : Math.round((120 * template.width) / template.height)
                  }
                  height={
                    template.height >= template.width
                      ? 120
                      : Math.round((120 * template.height) / template.width)
                  }
                />
              </span>
              <span class="template-name">{title}</span>
              <span class="template-size">
                {template.width} × {template.height}
              </span>
              <span class="template-description" id={`${id}-description`}>
                {description}
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
