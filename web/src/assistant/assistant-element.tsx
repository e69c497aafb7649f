/**
 * <vitrine-assistant>: the shopper assistant on a shop's product page — one script
 * (/assistant.js), no framework of the page's own needed. Attributes: `server` (Vitrine's origin;
 * default: where this script came from), `token` (from POST /v1/assistant/tokens, minted by the
 * shop's backend for this shopper), `sku` (the product on the page), `lang` (zh or en; default the
 * browser's). Events (bubbling, composed): `vitrine:answer` with the message, `vitrine:handoff`
 * when a person should follow up, `vitrine:unauthorized` when the token is refused.
 */
import { render } from 'preact';
import { assistantTranslator, pickAssistantLang } from '../messages/assistant.ts';
import styles from './assistant.css?inline';
import { AssistantChat } from './assistant-chat.tsx';

const SCRIPT_ORIGIN = (() => {
  const script = document.currentScript;
  return script instanceof HTMLScriptElement && script.src ? new URL(script.src).origin : location.origin;
})();

let sheet: CSSStyleSheet | null = null;
function assistantSheet(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(styles);
  }
  return sheet;
}

class VitrineAssistantElement extends HTMLElement {
  static observedAttributes = ['server', 'token', 'sku', 'lang'];

  connectedCallback() {
    if (!this.shadowRoot) this.attachShadow({ mode: 'open' }).adoptedStyleSheets = [assistantSheet()];
    this.#render();
  }

  attributeChangedCallback() {
    if (this.shadowRoot) this.#render();
  }

  disconnectedCallback() {
    if (this.shadowRoot) render(null, this.shadowRoot);
  }

  #render() {
    const lang = pickAssistantLang(this.getAttribute('lang'));
    const t = assistantTranslator(lang);
    const server = new URL(this.getAttribute('server') || SCRIPT_ORIGIN, location.href).origin;
    const sku = this.getAttribute('sku');
    const emit = (type: string, detail?: unknown) =>
      this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, detail }));
    render(
      <section class="assistant" aria-label={t('assistant.title')} lang={lang === 'zh' ? 'zh-CN' : 'en'}>
        <h2>{t('assistant.title')}</h2>
        <AssistantChat
          connection={{ server, token: this.getAttribute('token') || null }}
          t={t}
          lang={lang}
          sku={sku}
          conversationKey={`${server} ${sku} ${lang}`}
          onAnswer={(message) => {
            emit('vitrine:answer', message);
            if (message.needs_human) emit('vitrine:handoff', message);
          }}
          onUnauthorized={() => emit('vitrine:unauthorized')}
        />
      </section>,
      this.shadowRoot!,
    );
  }
}

if (!customElements.get('vitrine-assistant'))
  customElements.define('vitrine-assistant', VitrineAssistantElement);
