import { useState } from 'preact/hooks';
import type { JobImage } from './api.ts';
import { absoluteUrl, copyText } from './clipboard.ts';
import { format } from './format.ts';
import { t } from './i18n.ts';

/**
 * What to do with the images selected in the gallery: copy their links (one signed URL per line,
 * e.g. for a spreadsheet or a message), download them all, or clear the selection.
 */
export function SelectionBar(props: { selected: JobImage[]; onClear(): void }) {
  const [copied, setCopied] = useState(false);
  const { selected } = props;
  if (selected.length === 0) return null;
  return (
    <section class="selection-bar" aria-label={t('gallery.selection')}>
      <span aria-live="polite">{format('gallery.selected', { count: selected.length })}</span>
      <button
        type="button"
        class="secondary"
        onClick={async () => {
          const links = selected.map((image) => absoluteUrl(image.url)).join('\n');
          setCopied(await copyText(links, t('gallery.copyLinks')));
        }}
      >
        {copied ? t('gallery.copied') : t('gallery.copyLinks')}
      </button>
      <button
        type="button"
        class="secondary"
        onClick={() => {
          // One download per image: the browser may ask once to allow several files.
          for (const image of selected) {
            const link = document.createElement('a');
            link.href = image.url;
            link.download = '';
            link.click();
          }
        }}
      >
        {t('gallery.downloadSelected')}
      </button>
      <button
        type="button"
        class="link"
        onClick={() => {
          setCopied(false);
          props.onClear();
        }}
      >
        {t('gallery.clearSelection')}
      </button>
    </section>
  );
}
