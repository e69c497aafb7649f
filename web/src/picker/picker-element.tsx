/**
 * <vitrine-picker>: one script (/picker.js) that any page may include, with no framework of its own.
 * Attributes: `server` (Vitrine's origin; default: where this script came from), `token` (a picker
 * token from POST /v1/picker-tokens; without one, the studio session of a page on Vitrine's origin),
 * `lang` (en or zh; default: the browser's), `template`, `brand`. On insert it dispatches
 * `vitrine:insert` (bubbles, composed) with {url, alt, width, height, job_id, asset_id}; when Vitrine
 * refuses the token it dispatches `vitrine:unauthorized`, so the page can set a fresh `token`.
 */
import { render } from 'preact';
import { pickLang, translator } from '../messages/picker.ts';
import styles from './picker.css?inline';
import { Picker, type PickerInsertDetail } from './picker-dialog.tsx';

// Read while the script runs: afterwards document.currentScript is null.
const SCRIPT_ORIGIN = (() => {
  const script = document.currentScript;
  return script instanceof HTMLScriptElement && script.src ? new URL(script.src).origin : location.origin;
})();

let sheet: CSSStyleSheet | null = null;
/** One constructed sheet shared by every picker: no <style> element, so a strict host CSP allows it. */
function pickerSheet(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(styles);
  }
  return sheet;
}

export const INSERT_EVENT = 'vitrine:insert';
export const UNAUTHORIZED_EVENT = 'vitrine:unauthorized';

class VitrinePickerElement extends HTMLElement {
  static observedAttributes = ['server', 'token', 'lang', 'template', 'brand'];

  connectedCallback() {
    if (!this.shadowRoot) {
      const root = this.attachShadow({ mode: 'open' });
      root.adoptedStyleSheets = [pickerSheet()];
    }
    this.#render();
  }

  attributeChangedCallback() {
    if (this.shadowRoot) this.#render();
  }

  disconnectedCallback() {
    if (this.shadowRoot) render(null, this.shadowRoot);
  }

  #render() {
    const lang = pickLang(this.getAttribute('lang'));
    const server = new URL(this.getAttribute('server') || SCRIPT_ORIGIN, location.href).origin;
    const token = this.getAttribute('token') || null;
    render(
      <Picker
        // Another server or language starts a fresh picker; a renewed token keeps the open dialog.
        key={`${server} ${lang}`}
        t={translator(lang)}
        lang={lang === 'zh' ? 'zh-CN' : 'en'}
        connection={{ server, token }}
        initialTemplate={this.getAttribute('template')}
        initialBrand={this.getAttribute('brand')}
        onInsert={(detail: PickerInsertDetail) =>
          this.dispatchEvent(new CustomEvent(INSERT_EVENT, { bubbles: true, composed: true, detail }))
        }
        onUnauthorized={() =>
          this.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT, { bubbles: true, composed: true }))
        }
      />,
      this.shadowRoot!,
    );
  }
}

if (!customElements.get('vitrine-picker')) customElements.define('vitrine-picker', VitrinePickerElement);
