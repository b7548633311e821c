/*!
 * marketdesk buyer chat widget. Vanilla JS, no dependencies; one script tag (the bundle of web/src/widget).
 *
 *   <script src="https://host/static/widget.js" data-language="tr"
 *           data-buyer-token="..." async></script>
 *
 * Optional attributes: data-api-base (defaults to the script's origin),
 * data-max-upload-bytes (client pre-check only, default 5 MiB),
 * data-max-chars (textarea limit, default 2000 like MD_MAX_MESSAGE_CHARS).
 *
 * Public API: window.marketdesk = { open(), close(), setLanguage("tr"|"pl"), destroy() }.
 *
 * Modules (web/src/widget): config, strings + i18n, storage, state, a11y, styles + skeleton,
 * render, connection + protocol, outbox + messages, handoff (CSAT), seller, notices, faq,
 * attachments, panel, mount; helpers shared with the console and seller portal in web/src/shared.
 */

import { TAG } from "./config.js";
import { mount } from "./mount.js";
import { publicApi } from "./panel.js";

// Loading the script twice (two tags, SPA re-render) must mount once. Without custom elements +
// shadow DOM we cannot protect the UI from host CSS: stay out.
const supported = !!(window.customElements && Element.prototype.attachShadow && window.WebSocket);

if (!(window.marketdesk || document.querySelector(TAG)) && supported) {
  // Claimed synchronously, so a second copy of the script loaded meanwhile backs off.
  window.marketdesk = publicApi;

  // The element class holds no state: a later copy of this script (after the old one was
  // removed) reuses it, and each instance tears down its own connection when removed.
  if (!customElements.get(TAG)) {
    customElements.define(
      TAG,
      class extends HTMLElement {
        disconnectedCallback() {
          // Moving the element within the page reconnects it at once: only a real removal ends it.
          queueMicrotask(() => {
            if (!this.isConnected && typeof this.__marketdeskDestroy === "function") this.__marketdeskDestroy();
          });
        }
      },
    );
  }

  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount, { once: true });
}
