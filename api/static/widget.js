/*!
 * marketdesk buyer chat widget. Vanilla JS, no build step, no dependencies.
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
 * Sections: bootstrap/config, strings, storage, state, a11y helpers, rendering,
 * connection, messages/outbox, handoff + CSAT, seller messages, FAQ, attachments, mount.
 */
(() => {
  "use strict";

  // ================================================================= bootstrap / config
  const TAG = "marketdesk-widget";
  const LANGS = ["tr", "pl"];

  // Loading the script twice (two tags, SPA re-render) must mount once.
  if (window.marketdesk || document.querySelector(TAG)) return;
  // Without custom elements + shadow DOM we cannot protect the UI from host CSS: stay out.
  if (!window.customElements || !Element.prototype.attachShadow || !window.WebSocket) return;

  // document.currentScript is only set while this file's top level runs: capture it now.
  const script = document.currentScript || findOwnScript();
  const dataset = (script && script.dataset) || {};

  function findOwnScript() {
    const all = document.getElementsByTagName("script");
    for (let i = all.length - 1; i >= 0; i--) {
      const src = (all[i].getAttribute("src") || "").split(/[?#]/)[0];
      if (/widget\.js$/.test(src)) return all[i];
    }
    return null;
  }

  function resolveApiBase() {
    try {
      if (dataset.apiBase) return new URL(dataset.apiBase, location.href).href.replace(/\/+$/, "");
      if (script && script.src) return new URL(script.src, location.href).origin;
    } catch (_) {
      /* malformed attribute: fall back to the page origin */
    }
    return location.origin;
  }

  function positiveInt(raw, fallback) {
    const n = Number(raw);
    return Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
  }

  const config = {
    apiBase: resolveApiBase(),
    buyerToken: (dataset.buyerToken || "").trim() || null,
    language: LANGS.includes(dataset.language) ? dataset.language : pickBrowserLanguage(),
    maxUploadBytes: positiveInt(dataset.maxUploadBytes, 5 * 1024 * 1024),
    maxChars: positiveInt(dataset.maxChars, 2000),
  };
  config.wsUrl = config.apiBase.replace(/^http/i, "ws") + "/api/v1/chat/ws";

  function pickBrowserLanguage() {
    const nav = (navigator.language || "").slice(0, 2).toLowerCase();
    return LANGS.includes(nav) ? nav : "tr";
  }

  // Reconnect timing: fast first retry, capped so a long outage does not hammer the server.
  const BACKOFF_BASE_MS = 500;
  const BACKOFF_MAX_MS = 10000;
  const SESSION_TIMEOUT_MS = 15000; // no "session" frame this long after connecting: retry
  const FAQ_DEBOUNCE_MS = 300;
  const ZONES = { TR: "Europe/Istanbul", PL: "Europe/Warsaw" }; // a seller's answer deadline, in the market's time
  const FAQ_MIN_CHARS = 2;
  // Server error codes that mean "this message frame was refused" (no ack will come for it).
  const MESSAGE_REJECTIONS = new Set([
    "empty_message", "message_too_long", "invalid_frame", "invalid_json", "no_session",
  ]);

  // ======================================================================== strings
  // Every visible or announced string, in both languages. Turkish uses the formal "siz",
  // Polish the friendly "Ty" (see shared/GLOSSARY.md). {name} placeholders are filled by t().
  const STRINGS = {
    tr: {
      title: "Müşteri Hizmetleri",
      launcherOpen: "Destek sohbetini aç",
      launcherClose: "Destek sohbetini kapat",
      unread: "{n} yeni mesaj",
      close: "Sohbeti kapat",
      language: "Dil",
      faqButton: "SSS",
      faqOpen: "Sık sorulan sorular",
      faqBack: "Sohbete dön",
      faqLabel: "Sık sorulan sorularda arayın",
      faqPlaceholder: "ör. iade süresi",
      faqHint: "Aramak için en az 2 karakter yazın.",
      faqSearching: "Aranıyor…",
      faqCount: "{n} sonuç bulundu.",
      faqNoResults: "Sonuç bulunamadı. Sorunuzu sohbette de sorabilirsiniz.",
      faqError: "Şu anda arama yapılamıyor. Lütfen biraz sonra tekrar deneyin.",
      logLabel: "Sohbet mesajları",
      emptyHint: "Merhaba! Siparişiniz, iadeniz, dijital kodunuz veya bakiyeniz hakkındaki sorunuzu yazabilirsiniz.",
      inputLabel: "Mesajınız",
      placeholder: "Mesajınızı yazın…",
      send: "Gönder",
      attach: "Görsel ekle",
      fileInput: "Gönderilecek görseli seçin",
      you: "Siz",
      bot: "Asistan",
      agent: "Müşteri temsilcisi",
      system: "Bilgi",
      pending: "Gönderiliyor…",
      failed: "Gönderilemedi",
      quickReplies: "Hızlı yanıtlar",
      typingBot: "Asistan yazıyor…",
      typingAgent: "{name} yazıyor…",
      typingAgentAnon: "Müşteri temsilcisi yazıyor…",
      offline: "Bağlantı koptu, yeniden bağlanılıyor…",
      queuedFull: "Sıradaki yeriniz: {position} · tahmini bekleme ~{minutes} dk",
      queued: "Sıradaki yeriniz: {position}",
      queuedNoPosition: "Sizi bir müşteri temsilcisine bağlıyoruz…",
      agentJoined: "{name} görüşmeye katıldı",
      agentJoinedAnon: "Bir müşteri temsilcisi görüşmeye katıldı",
      backToBot: "Asistan tekrar sizinle",
      resolved: "Görüşme sona erdi. Yeni bir sorunuz olursa buraya yazabilirsiniz.",
      csatQuestion: "Aldığınız desteği nasıl değerlendirirsiniz?",
      csatStar: "5 üzerinden {n} yıldız",
      csatThanks: "Değerlendirmeniz için teşekkür ederiz!",
      attachNotImage: "Yalnızca görsel dosyası (JPG, PNG vb.) gönderebilirsiniz.",
      attachTooLarge: "Dosya çok büyük. En fazla {max} boyutunda bir görsel gönderebilirsiniz.",
      attachUploading: "{name} yükleniyor…",
      attachFailed: "Dosya yüklenemedi. Lütfen tekrar deneyin.",
      attachNoSession: "Sohbet henüz hazır değil. Lütfen birkaç saniye sonra tekrar deneyin.",
      imageAlt: "Gönderilen görsel",
      genericError: "Bir sorun oluştu. Lütfen tekrar deneyin.",
      seller: "Satıcı",
      sellerFrom: "Satıcıdan mesaj, {name}",
      sellerFromAnon: "Satıcıdan mesaj",
      sellerAbout: "Sipariş {order}",
      sellerStatusAbout: "Sipariş {order} · durum güncellemesi",
      notice: "Sipariş bildirimi",
      noticesToggle: "Sipariş bildirimlerini göster",
      sellerReply: "Satıcıya yanıtla",
      sellerReplyLabel: "Satıcıya yanıtınız (sipariş {order})",
      sellerReplyPlaceholder: "Satıcıya mesajınızı yazın…",
      sellerUrgent: "Acil",
      sellerUrgentHint: "Acil olarak işaretlenen mesajlar satıcının gelen kutusunda en üstte görünür.",
      sellerSend: "Satıcıya gönder",
      sellerCancel: "Vazgeç",
      sellerSending: "Gönderiliyor…",
      sellerSent: "Mesajınız satıcıya iletildi. Satıcının en geç {due} tarihine kadar yanıt vermesi gerekiyor.",
      sellerSentUrgent:
        "Mesajınız acil olarak işaretlenip satıcıya iletildi. Satıcının en geç {due} tarihine kadar yanıt vermesi gerekiyor.",
      sellerReplyFailed: "Mesajınız satıcıya gönderilemedi. Lütfen tekrar deneyin.",
    },
    pl: {
      title: "Obsługa klienta",
      launcherOpen: "Otwórz czat z obsługą klienta",
      launcherClose: "Zamknij czat z obsługą klienta",
      unread: "Nowe wiadomości: {n}",
      close: "Zamknij czat",
      language: "Język",
      faqButton: "FAQ",
      faqOpen: "Najczęstsze pytania",
      faqBack: "Wróć do czatu",
      faqLabel: "Szukaj w najczęstszych pytaniach",
      faqPlaceholder: "np. termin zwrotu",
      faqHint: "Wpisz co najmniej 2 znaki, aby wyszukać.",
      faqSearching: "Szukam…",
      faqCount: "Liczba wyników: {n}.",
      faqNoResults: "Brak wyników. Możesz też zapytać na czacie.",
      faqError: "Nie udało się teraz wyszukać. Spróbuj ponownie za chwilę.",
      logLabel: "Wiadomości czatu",
      emptyHint: "Cześć! Napisz, w czym możemy pomóc: zamówienie, zwrot, kod cyfrowy albo saldo.",
      inputLabel: "Twoja wiadomość",
      placeholder: "Napisz wiadomość…",
      send: "Wyślij",
      attach: "Dodaj zdjęcie",
      fileInput: "Wybierz zdjęcie do wysłania",
      you: "Ty",
      bot: "Asystent",
      agent: "Konsultant",
      system: "Informacja",
      pending: "Wysyłanie…",
      failed: "Nie wysłano",
      quickReplies: "Szybkie odpowiedzi",
      typingBot: "Asystent pisze…",
      typingAgent: "{name} pisze…",
      typingAgentAnon: "Konsultant pisze…",
      offline: "Połączenie przerwane, łączę ponownie…",
      queuedFull: "Twoje miejsce w kolejce: {position} · szacowany czas ~{minutes} min",
      queued: "Twoje miejsce w kolejce: {position}",
      queuedNoPosition: "Łączymy Cię z konsultantem…",
      agentJoined: "{name} dołączył(a) do rozmowy",
      agentJoinedAnon: "Konsultant dołączył do rozmowy",
      backToBot: "Asystent znów jest z Tobą",
      resolved: "Rozmowa została zakończona. Jeśli masz kolejne pytanie, po prostu napisz.",
      csatQuestion: "Jak oceniasz otrzymaną pomoc?",
      csatStar: "Ocena {n} z 5",
      csatThanks: "Dziękujemy za Twoją ocenę!",
      attachNotImage: "Możesz wysłać tylko plik graficzny (JPG, PNG itp.).",
      attachTooLarge: "Plik jest za duży. Możesz wysłać zdjęcie o rozmiarze maksymalnie {max}.",
      attachUploading: "Przesyłanie: {name}…",
      attachFailed: "Nie udało się przesłać pliku. Spróbuj ponownie.",
      attachNoSession: "Czat nie jest jeszcze gotowy. Spróbuj ponownie za kilka sekund.",
      imageAlt: "Wysłane zdjęcie",
      genericError: "Coś poszło nie tak. Spróbuj ponownie.",
      seller: "Sprzedawca",
      sellerFrom: "Wiadomość od sprzedawcy, {name}",
      sellerFromAnon: "Wiadomość od sprzedawcy",
      sellerAbout: "Zamówienie {order}",
      sellerStatusAbout: "Zamówienie {order} · aktualizacja statusu",
      notice: "Powiadomienie o zamówieniu",
      noticesToggle: "Pokazuj powiadomienia o zamówieniach",
      sellerReply: "Odpowiedz sprzedawcy",
      sellerReplyLabel: "Twoja odpowiedź dla sprzedawcy (zamówienie {order})",
      sellerReplyPlaceholder: "Napisz wiadomość do sprzedawcy…",
      sellerUrgent: "Pilne",
      sellerUrgentHint: "Wiadomości oznaczone jako pilne sprzedawca widzi na górze skrzynki.",
      sellerSend: "Wyślij sprzedawcy",
      sellerCancel: "Anuluj",
      sellerSending: "Wysyłanie…",
      sellerSent: "Wiadomość została przekazana sprzedawcy. Sprzedawca powinien odpowiedzieć najpóźniej do {due}.",
      sellerSentUrgent:
        "Wiadomość oznaczona jako pilna została przekazana sprzedawcy. Sprzedawca powinien odpowiedzieć najpóźniej do {due}.",
      sellerReplyFailed: "Nie udało się wysłać wiadomości do sprzedawcy. Spróbuj ponownie.",
    },
  };

  function t(key, vars) {
    const table = STRINGS[state.lang] || STRINGS.tr;
    let s = table[key] != null ? table[key] : STRINGS.tr[key] != null ? STRINGS.tr[key] : key;
    if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] != null ? String(vars[k]) : m));
    return s;
  }

  function formatBytes(bytes) {
    const locale = state.lang === "pl" ? "pl-PL" : "tr-TR";
    const fmt = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    if (bytes >= 1024 * 1024) return fmt.format(bytes / (1024 * 1024)) + " MB";
    return fmt.format(Math.max(1, bytes / 1024)) + " KB";
  }

  // ======================================================================== storage
  // One saved session per api base and buyer, so a signed-in buyer never resumes an
  // anonymous visitor's conversation (or another buyer's) on a shared device.
  // Keyed by the token's subject (not the token itself): the marketplace re-issues tokens,
  // and a fresh token for the same buyer must find the same conversation.
  function buyerKey(token) {
    if (!token) return "anon";
    const parts = token.split(".");
    if (parts.length === 3) {
      try {
        const json = atob(parts[1].replace(/-/g, "+").replace(/_/g, "/"));
        const sub = JSON.parse(json).sub;
        if (typeof sub === "string" && sub) return "sub:" + sub;
      } catch (_) {
        /* not a JWT we can read: fall back to the token */
      }
    }
    return token;
  }
  const storageKey = `marketdesk:v1:${config.apiBase}:${buyerKey(config.buyerToken)}`;
  const storage = {
    load() {
      try {
        const value = JSON.parse(localStorage.getItem(storageKey) || "null");
        if (value && typeof value.conversation_id === "string" && typeof value.token === "string") return value;
      } catch (_) {
        /* storage disabled (private mode) or corrupt: behave like a first visit */
      }
      return null;
    },
    save(session) {
      try {
        localStorage.setItem(storageKey, JSON.stringify(session));
      } catch (_) {
        /* the in-memory copy still lets this page resume after a reconnect */
      }
    },
    clear() {
      try {
        localStorage.removeItem(storageKey);
      } catch (_) {
        /* nothing to do */
      }
    },
  };

  // The newest seller message the buyer has seen, per conversation: on page load, newer ones
  // count as unread on the launcher until the panel is opened.
  const sellerSeen = {
    key() {
      return state.saved ? `${storageKey}:seller-seen:${state.saved.conversation_id}` : null;
    },
    get() {
      const key = this.key();
      if (!key) return 0;
      try {
        const n = Number(localStorage.getItem(key));
        return Number.isFinite(n) ? n : 0;
      } catch (_) {
        return 0;
      }
    },
    set(id) {
      const key = this.key();
      if (!key || !(id > this.get())) return;
      try {
        localStorage.setItem(key, String(id));
      } catch (_) {
        /* storage disabled: the badge comes back on the next page load */
      }
    },
  };

  // ========================================================================== state
  const state = {
    lang: config.language,
    saved: storage.load(), // {conversation_id, token} of the conversation to resume
    open: false,
    faqOpen: false,
    offline: false,
    unread: 0, // live bot/agent/system messages while the panel was closed
    sellerUnseen: new Set(), // ids of seller messages not seen yet (live, or newer than sellerSeen)
    sellerNewest: 0, // the newest seller message id in the log
    market: null, // TR | PL, from the session
    convState: null, // bot | queued | with_agent | resolved
    queue: null, // {position, wait}
    agentName: null,
    botTyping: false,
    agentTyping: false,
  };
  // Messages not yet acknowledged by the server: {cid, text, payload, el, sentGen}.
  const outbox = [];
  // Control frames (csat) waiting for a session.
  const controlQueue = [];
  const conn = {
    ws: null,
    ready: false, // a "session" frame arrived on this socket
    awaitingSession: false,
    resuming: false,
    startFailed: false,
    startLang: null,
    gen: 0, // bumps per session; an outbox item sent in an older generation is resent
    inflight: [], // client ids sent on this socket, oldest first, to match a refusal
    attempt: 0,
    timer: null,
    sessionTimer: null,
  };
  let destroyed = false;
  let ui = null; // element references once mounted

  function newId() {
    if (window.crypto && typeof crypto.randomUUID === "function") {
      try {
        return crypto.randomUUID();
      } catch (_) {
        /* insecure context: fall through */
      }
    }
    const bytes = new Uint8Array(16);
    if (window.crypto && crypto.getRandomValues) crypto.getRandomValues(bytes);
    else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // ================================================================= a11y + i18n helpers
  // Elements whose text or attributes come from STRINGS, so a language switch repaints
  // them in place (including notices already in the log) instead of rebuilding the UI.
  const bound = new Map(); // el -> {keep, text: [key, vars] | null, attrs: {name: [key, vars]}}

  function bind(el, key, vars, attr, keep) {
    let entry = bound.get(el);
    if (!entry) {
      entry = { keep: !!keep, text: null, attrs: {} };
      bound.set(el, entry);
    }
    if (attr) entry.attrs[attr] = [key, vars];
    else entry.text = [key, vars];
    paintBinding(el, entry);
    return el;
  }

  function paintBinding(el, entry) {
    if (entry.text) el.textContent = t(entry.text[0], entry.text[1]);
    for (const name of Object.keys(entry.attrs)) el.setAttribute(name, t(entry.attrs[name][0], entry.attrs[name][1]));
  }

  function applyStrings() {
    for (const [el, entry] of bound) {
      if (!entry.keep && !el.isConnected) {
        bound.delete(el); // gone from the log: forget it
        continue;
      }
      paintBinding(el, entry);
    }
    renderStatus();
    renderOffline();
    renderTyping();
    renderLauncher();
  }

  function h(tag, attrs, text) {
    const el = document.createElement(tag);
    if (attrs) for (const k of Object.keys(attrs)) if (attrs[k] != null) el.setAttribute(k, attrs[k]);
    if (text != null) el.textContent = text; // text only: data never becomes markup
    return el;
  }

  function focusSoon(el) {
    // After un-hiding, the element is focusable only once styles apply.
    requestAnimationFrame(() => {
      if (el && !destroyed) el.focus({ preventScroll: true });
    });
  }

  function focusIsInside() {
    return !!(ui && ui.shadow.activeElement);
  }

  // ================================================================= styles + skeleton
  // All CSS lives in the shadow root; the host is reset so page rules cannot leak in.
  // Sizes are px (not em/rem) because the host page controls the root font size.
  const CSS = `
:host { all: initial !important; }
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
.root { font: 400 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif;
  color: #1d2433; -webkit-font-smoothing: antialiased; }
.sr-only { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
button, input, select, textarea { font: inherit; color: inherit; margin: 0; }
button { cursor: pointer; }
:focus { outline: none; }
:focus-visible { outline: 3px solid #1d3b8b; outline-offset: 2px; }

.launcher { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; width: 60px; height: 60px;
  border-radius: 50%; border: 0; background: #1d3b8b; color: #fff; display: flex; align-items: center;
  justify-content: center; box-shadow: 0 4px 14px rgba(0,0,0,.3); }
.launcher:hover { background: #16306f; }
.launcher:focus-visible { outline: 3px solid #1d3b8b; outline-offset: 3px; box-shadow: 0 0 0 3px #fff; }
.launcher svg { width: 28px; height: 28px; }
.badge { position: absolute; top: -2px; right: -2px; min-width: 22px; height: 22px; padding: 0 6px;
  border-radius: 11px; background: #b3261e; color: #fff; font-size: 12px; font-weight: 700;
  line-height: 22px; text-align: center; }

.panel { position: fixed; right: 20px; bottom: 92px; z-index: 2147483001; width: 380px; height: 600px;
  max-height: calc(100vh - 112px); max-width: calc(100vw - 40px); background: #fff; border-radius: 12px;
  box-shadow: 0 8px 32px rgba(0,0,0,.28); display: flex; flex-direction: column; overflow: hidden; }
@media (max-width: 479px) {
  .panel { inset: 0; width: 100%; height: 100%; max-width: none; max-height: none; border-radius: 0; }
  .root.is-open .launcher { display: none; }
}

.head { display: flex; align-items: center; gap: 6px; padding: 10px 10px 10px 16px; background: #1d3b8b;
  color: #fff; flex: none; }
.head :focus-visible { outline-color: #fff; }
.title { flex: 1; margin: 0; font-size: 16px; font-weight: 700; color: #fff; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }
.lang { height: 32px; padding: 0 6px; border-radius: 6px; border: 1px solid #fff; background: #fff;
  color: #1d2433; font-size: 14px; }
.head-btn { height: 32px; min-width: 32px; padding: 0 8px; border: 1px solid rgba(255,255,255,.7);
  border-radius: 6px; background: transparent; color: #fff; font-size: 14px; font-weight: 600;
  display: inline-flex; align-items: center; justify-content: center; }
.head-btn:hover, .head-btn[aria-expanded="true"] { background: #fff; color: #1d3b8b; }
.head-btn svg { width: 18px; height: 18px; }

.status, .offline { flex: none; padding: 6px 14px; font-size: 13px; }
.status { background: #e8eefb; color: #1d3b8b; }
.offline { background: #fff4d6; color: #5c3d00; }
.status:empty, .offline:empty { display: none; }

.chat-view, .faq-view { flex: 1; min-height: 0; display: flex; flex-direction: column; }
.empty-hint { flex: none; margin: 0; padding: 14px 16px 0; font-size: 14px; color: #4b5563; text-align: center; }
.log { flex: 1; min-height: 0; overflow-y: auto; padding: 14px 12px; display: flex; flex-direction: column;
  gap: 10px; background: #fff; overscroll-behavior: contain; }
.item { display: flex; flex-direction: column; max-width: 85%; }
.item--buyer { align-self: flex-end; align-items: flex-end; }
.item--bot, .item--agent { align-self: flex-start; align-items: flex-start; }
.item--system { align-self: center; align-items: center; max-width: 92%; }
.bubble { padding: 8px 12px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }
.item--buyer .bubble { background: #1d3b8b; color: #fff; border-bottom-right-radius: 4px; }
.item--bot .bubble { background: #eef1f6; color: #1d2433; border-bottom-left-radius: 4px; }
.item--agent .bubble { background: #e3f4e9; color: #1d2433; border: 1px solid #9fd3b3;
  border-bottom-left-radius: 4px; }
.item--system .bubble { background: transparent; color: #4b5563; font-size: 13px; text-align: center;
  padding: 2px 8px; }
.item--error .bubble { background: #fdecec; color: #8c1d18; border-radius: 8px; padding: 6px 10px; }
.item--seller { align-self: flex-start; align-items: flex-start; }
.item--notice { align-self: stretch; align-items: stretch; max-width: 100%; }
.item--notice .bubble { background: #eef4ff; color: #1d2433; border: 1px solid #1d3b8b; border-left-width: 4px;
  border-radius: 8px; }
.item--notice .notice-tag { display: block; font-size: 12px; font-weight: 700; color: #1d3b8b; margin-bottom: 2px; }
.notices { display: flex; align-items: center; gap: 6px; padding: 4px 12px; font-size: 13px; color: #374151;
  border-bottom: 1px solid #eef0f4; }
.notices[hidden] { display: none; }
.item--seller.is-replying { align-self: stretch; max-width: 100%; }
.item--seller .bubble { background: #fff6e5; color: #1d2433; border: 1px solid #d9a441; border-bottom-left-radius: 4px; }
.name.name--seller { display: flex; align-items: center; gap: 6px; color: #7a4100; }
.seller-tag { padding: 0 6px; border-radius: 4px; background: #7a4100; color: #fff; font-size: 11px; line-height: 16px; }
.seller-about { display: block; margin-bottom: 2px; font-size: 12px; font-weight: 600; color: #7a4100; }
.seller-actions { margin-top: 4px; }
.seller-reply-btn { border: 1px solid #7a4100; background: #fff; color: #7a4100; border-radius: 16px; padding: 4px 12px;
  font-size: 13px; font-weight: 600; }
.seller-reply-btn:hover, .seller-reply-btn[aria-expanded="true"] { background: #fff6e5; }
.seller-composer { align-self: stretch; margin-top: 6px; padding: 8px; border: 1px solid #d9a441; border-radius: 10px;
  background: #fffbf2; display: flex; flex-direction: column; gap: 6px; }
.seller-label { font-size: 13px; font-weight: 600; }
.seller-input { width: 100%; min-height: 64px; max-height: 160px; resize: vertical; padding: 8px 10px;
  border: 1px solid #6b7280; border-radius: 8px; background: #fff; color: #1d2433; font-size: 16px; line-height: 20px; }
.seller-input::placeholder { color: #5b6475; opacity: 1; }
.seller-input:focus-visible { outline-offset: 0; border-color: #1d3b8b; }
.seller-row { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
.seller-urgent { display: inline-flex; align-items: center; gap: 6px; margin-right: auto; font-size: 14px; font-weight: 600; }
.seller-urgent input { width: 18px; height: 18px; accent-color: #b3261e; }
.seller-hint { margin: 0; font-size: 12px; color: #4b5563; }
.seller-error { margin: 0; padding: 6px 8px; border-radius: 6px; background: #fdecec; color: #8c1d18; font-size: 13px;
  white-space: pre-wrap; overflow-wrap: anywhere; }
.seller-cancel { height: 36px; padding: 0 12px; border: 1px solid #6b7280; border-radius: 8px; background: #fff; }
.seller-send { height: 36px; padding: 0 12px; border: 0; border-radius: 8px; background: #1d3b8b; color: #fff;
  font-weight: 600; }
.seller-send:hover:not(:disabled) { background: #16306f; }
.seller-send:disabled { cursor: default; opacity: .65; }
.name { font-size: 12px; font-weight: 700; color: #17603a; margin: 0 0 2px 4px; }
.meta { font-size: 12px; color: #4b5563; margin: 2px 4px 0; }
.meta.is-failed { color: #8c1d18; font-weight: 600; }
.thumb-link { display: block; margin-top: 4px; border-radius: 8px; overflow: hidden; line-height: 0; }
.item--buyer .thumb-link:focus-visible { outline-color: #fff; }
.thumb { display: block; max-width: 200px; max-height: 200px; width: auto; height: auto; background: #f3f4f6; }
.text + .thumb-link { margin-top: 6px; }

.quick { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
.qr { border: 1px solid #1d3b8b; background: #fff; color: #1d3b8b; border-radius: 16px; padding: 5px 12px;
  font-size: 14px; text-align: left; }
.qr:hover:not(:disabled) { background: #e8eefb; }
.qr:disabled { cursor: default; border-color: #c4c9d2; color: #4b5563; background: #f3f4f6; }
.qr[aria-pressed="true"] { background: #1d3b8b; color: #fff; border-color: #1d3b8b; }

.csat { align-self: stretch; max-width: none; align-items: center; background: #f7f8fb; border: 1px solid #dde2ea;
  border-radius: 10px; padding: 10px; }
.csat p { margin: 0 0 6px; font-size: 14px; text-align: center; }
.stars { display: flex; gap: 4px; }
.star { width: 40px; height: 40px; border: 0; border-radius: 8px; background: transparent; color: #6b7280;
  font-size: 28px; line-height: 1; padding: 0; }
.star.is-lit { color: #b45309; }
.star:hover { background: #eef1f6; }

.typing { flex: none; display: flex; align-items: center; gap: 8px; padding: 2px 14px 6px; font-size: 13px;
  color: #4b5563; }
.dots { display: inline-flex; gap: 3px; }
.dots span { width: 6px; height: 6px; border-radius: 50%; background: #4b5563; animation: md-blink 1.2s infinite; }
.dots span:nth-child(2) { animation-delay: .2s; }
.dots span:nth-child(3) { animation-delay: .4s; }
@keyframes md-blink { 0%, 80%, 100% { opacity: .25; } 40% { opacity: 1; } }
@media (prefers-reduced-motion: reduce) { .dots span { animation: none; opacity: .7; } }

.composer { flex: none; display: flex; align-items: flex-end; gap: 6px; padding: 8px 10px;
  padding-bottom: calc(8px + env(safe-area-inset-bottom, 0px)); border-top: 1px solid #dde2ea; background: #fff; }
.input { flex: 1; min-width: 0; min-height: 40px; max-height: 120px; resize: none; padding: 9px 10px;
  border: 1px solid #6b7280; border-radius: 8px; background: #fff; color: #1d2433; font-size: 16px;
  line-height: 20px; }
.input::placeholder, .faq-input::placeholder { color: #5b6475; opacity: 1; }
.input:focus-visible, .faq-input:focus-visible { outline-offset: 0; border-color: #1d3b8b; }
.attach { flex: none; width: 40px; height: 40px; border: 1px solid #6b7280; border-radius: 8px;
  background: #fff; color: #1d3b8b; display: inline-flex; align-items: center; justify-content: center; }
.attach svg { width: 20px; height: 20px; }
.attach:hover { background: #eef1f6; }
.send { flex: none; height: 40px; padding: 0 14px; border: 0; border-radius: 8px; background: #1d3b8b;
  color: #fff; font-weight: 600; }
.send:hover { background: #16306f; }

.faq-view { padding: 12px; gap: 8px; overflow-y: auto; }
.back { align-self: flex-start; border: 0; background: transparent; color: #1d3b8b; text-decoration: underline;
  padding: 4px 2px; font-size: 14px; }
.faq-label { font-size: 14px; font-weight: 600; }
.faq-input { width: 100%; height: 40px; padding: 0 10px; border: 1px solid #6b7280; border-radius: 8px;
  font-size: 16px; background: #fff; color: #1d2433; }
.faq-status { margin: 0; font-size: 13px; color: #4b5563; min-height: 18px; }
.faq-results { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 10px; }
.faq-results li { border: 1px solid #dde2ea; border-radius: 8px; padding: 10px 12px; }
.faq-title { margin: 0 0 4px; font-size: 15px; font-weight: 700; color: #1d3b8b; }
.faq-answer { margin: 0; font-size: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }
`;

  // Static markup only: no message or server data is ever interpolated here.
  const SKELETON = `
<div class="root">
  <button type="button" class="launcher" data-testid="launcher" aria-expanded="false" aria-controls="md-panel">
    <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor"
      d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z"/></svg>
    <span class="badge" data-testid="launcher-unread" aria-hidden="true" hidden></span>
  </button>
  <section class="panel" id="md-panel" data-testid="panel" role="dialog" aria-modal="false"
      aria-labelledby="md-title" hidden>
    <div class="head">
      <h2 class="title" id="md-title"></h2>
      <select class="lang" data-testid="lang-select">
        <option value="tr" lang="tr">Türkçe</option>
        <option value="pl" lang="pl">Polski</option>
      </select>
      <button type="button" class="head-btn faq-btn" data-testid="faq-open" aria-expanded="false"
        aria-controls="md-faq"></button>
      <button type="button" class="head-btn close">
        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="none" stroke="currentColor"
          stroke-width="2.5" stroke-linecap="round" d="M6 6l12 12M18 6L6 18"/></svg>
      </button>
    </div>
    <div class="status" role="status" data-testid="status"></div>
    <div class="offline" role="status" data-testid="offline"></div>
    <label class="notices" hidden><input type="checkbox" class="notices-input" data-testid="notices-toggle" checked>
      <span class="notices-label"></span></label>
    <div class="chat-view">
      <p class="empty-hint"></p>
      <div class="log" id="md-log" role="log" aria-live="polite" aria-relevant="additions text"
        data-testid="log" tabindex="0"></div>
      <div class="typing" data-testid="typing" hidden>
        <span class="dots" aria-hidden="true"><span></span><span></span><span></span></span>
        <span class="typing-text"></span>
      </div>
      <form class="composer" novalidate>
        <button type="button" class="attach" data-testid="attach">
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="none" stroke="currentColor"
            stroke-width="2" stroke-linecap="round" stroke-linejoin="round"
            d="M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9"/></svg>
        </button>
        <input type="file" class="file" accept="image/*" data-testid="file-input" tabindex="-1" hidden>
        <label class="sr-only" for="md-input"></label>
        <textarea class="input" id="md-input" data-testid="input" rows="1" autocomplete="off"></textarea>
        <button type="submit" class="send" data-testid="send"></button>
      </form>
    </div>
    <div class="faq-view" id="md-faq" hidden>
      <button type="button" class="back"></button>
      <label class="faq-label" for="md-faq-input"></label>
      <input type="search" class="faq-input" id="md-faq-input" data-testid="faq-input" autocomplete="off"
        enterkeyhint="search">
      <p class="faq-status" role="status" aria-live="polite"></p>
      <ul class="faq-results"></ul>
    </div>
  </section>
</div>`;

  // ====================================================================== rendering
  const SENDERS = new Set(["buyer", "bot", "agent", "seller", "system", "notice"]);
  const byId = new Map(); // message id -> bubble, for dedupe across history, acks and resends

  function senderLabel(sender, agentName) {
    if (sender === "buyer") return t("you");
    if (sender === "bot") return t("bot");
    if (sender === "agent") return agentName || t("agent");
    if (sender === "notice") return t("notice");
    if (sender === "seller") return agentName ? t("sellerFrom", { name: agentName }) : t("sellerFromAnon");
    return t("system");
  }

  function nearBottom() {
    const log = ui.log;
    return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  }

  function scrollToEnd(force) {
    if (force || nearBottom()) ui.log.scrollTop = ui.log.scrollHeight;
  }

  function appendToLog(item) {
    const stick = nearBottom();
    // The CSAT box stays last while unanswered, so new lines go above it.
    if (ui.csat && ui.csat.parentNode === ui.log && !ui.csat.classList.contains("is-done")) {
      ui.log.insertBefore(item, ui.csat);
    } else {
      ui.log.appendChild(item);
    }
    ui.emptyHint.hidden = true;
    scrollToEnd(stick);
  }

  function buildMessage(m) {
    const sender = SENDERS.has(m.sender) ? m.sender : "system";
    const agentName = typeof m.agent_name === "string" && m.agent_name.trim() ? m.agent_name.trim() : null;
    if (sender === "seller") return buildSellerMessage(m, agentName);
    const item = h("div", { class: `item item--${sender}` });
    // Screen readers hear who spoke; sighted users see side and colour.
    item.appendChild(h("span", { class: "sr-only" }, senderLabel(sender, agentName) + ": "));
    if (sender === "agent") {
      const name = h("div", { class: "name", "aria-hidden": "true" });
      if (agentName) name.textContent = agentName;
      else bind(name, "agent");
      item.appendChild(name);
    }
    const testid = sender === "notice" ? "notice" : "message";
    const bubble = h("div", { class: "bubble", "data-testid": testid, "data-sender": sender });
    if (m.id != null) bubble.setAttribute("data-message-id", String(m.id));
    if (sender === "notice") bubble.appendChild(bind(h("span", { class: "notice-tag", "aria-hidden": "true" }), "notice"));
    if (typeof m.text === "string" && m.text) bubble.appendChild(h("span", { class: "text" }, m.text));
    if (m.attachment && typeof m.attachment === "object") {
      const media = buildAttachment(m.attachment);
      if (media) bubble.appendChild(media);
    }
    item.appendChild(bubble);
    if (Array.isArray(m.buttons) && m.buttons.length) {
      const quick = buildQuickReplies(m.buttons);
      if (quick) item.appendChild(quick);
    }
    item._bubble = bubble;
    return item;
  }

  // Add a server message (history, message frame, upload answer). Returns the item or null.
  function addMessage(m, fromHistory) {
    if (!m || typeof m !== "object") return null;
    if (m.id != null && byId.has(String(m.id))) return null; // already shown
    // A buyer message that belongs to a pending bubble (echo, other delivery path) confirms it.
    if (m.sender === "buyer" && m.client_message_id) {
      const pending = outbox.find((i) => i.cid === m.client_message_id);
      if (pending && pending.el && pending.el.isConnected) {
        confirmPending(pending, m);
        return pending.el;
      }
    }
    const item = buildMessage(m);
    if (m.id != null) byId.set(String(m.id), item);
    appendToLog(item);
    if (m.sender === "seller" || m.sender === "notice") {
      noteSellerMessage(m); // counted on the launcher until seen, across page loads
    } else if (!fromHistory && m.sender !== "buyer" && !state.open) {
      state.unread += 1;
      renderLauncher();
    }
    return item;
  }

  // A client-side line (notice or error). key: STRINGS key, or raw server text via opts.text.
  function addNotice(key, vars, opts) {
    const o = opts || {};
    const item = h("div", { class: "item item--system" + (o.error ? " item--error" : "") });
    const bubble = h("div", { class: "bubble", "data-testid": "message", "data-sender": "system" });
    if (o.error) bubble.setAttribute("data-kind", "error");
    if (key) bind(bubble, key, vars);
    else bubble.textContent = o.text || t("genericError"); // server text is already localised
    item.appendChild(bubble);
    appendToLog(item);
    return item;
  }

  function addError(text) {
    return addNotice(null, null, { error: true, text });
  }

  function renderPending(item) {
    const el = h("div", { class: "item item--buyer", "data-state": "pending" });
    el.appendChild(h("span", { class: "sr-only" }, t("you") + ": "));
    const bubble = h("div", { class: "bubble", "data-testid": "message", "data-sender": "buyer" });
    bubble.appendChild(h("span", { class: "text" }, item.text));
    el.appendChild(bubble);
    const meta = h("div", { class: "meta" });
    bind(meta, "pending");
    el.appendChild(meta);
    el._bubble = bubble;
    el._meta = meta;
    appendToLog(el);
    return el;
  }

  function confirmPending(item, m) {
    const el = item.el;
    removeFromOutbox(item);
    if (!el || !el.isConnected) return;
    if (m.id != null && byId.has(String(m.id))) {
      el.remove(); // the stored copy is already on screen (history)
      return;
    }
    el.setAttribute("data-state", "sent");
    if (m.id != null) {
      el._bubble.setAttribute("data-message-id", String(m.id));
      byId.set(String(m.id), el);
    }
    // Show what was stored (the gateway may have masked personal data).
    if (typeof m.text === "string" && m.text) {
      const span = el._bubble.querySelector(".text");
      if (span) span.textContent = m.text;
    }
    if (el._meta) {
      bound.delete(el._meta);
      el._meta.remove();
      el._meta = null;
    }
  }

  function failPending(item) {
    removeFromOutbox(item);
    const el = item.el;
    if (!el || !el.isConnected) return;
    el.setAttribute("data-state", "failed");
    if (el._meta) {
      el._meta.classList.add("is-failed");
      bind(el._meta, "failed");
    }
  }

  function removeFromOutbox(item) {
    const i = outbox.indexOf(item);
    if (i >= 0) outbox.splice(i, 1);
    const j = conn.inflight.indexOf(item.cid);
    if (j >= 0) conn.inflight.splice(j, 1);
  }

  function renderHistory(history) {
    const draft = takeSellerDraft();
    byId.clear();
    state.sellerUnseen.clear(); // recounted from the history, against the last one seen
    state.sellerNewest = 0;
    ui.log.replaceChildren();
    const list = Array.isArray(history) ? history : [];
    const storedIds = new Set();
    for (const m of list) {
      if (m && m.client_message_id) storedIds.add(m.client_message_id);
      addMessage(m, true);
    }
    // Unacknowledged messages stay visible (unless already stored) until their resend is acked.
    for (const item of outbox) item.el = storedIds.has(item.cid) ? null : renderPending(item);
    if (ui.csat && !ui.csat.classList.contains("is-done")) ui.log.appendChild(ui.csat);
    disableAnsweredQuickReplies();
    ui.emptyHint.hidden = ui.log.childElementCount > 0;
    scrollToEnd(true);
    restoreSellerDraft(draft);
    renderLauncher();
  }

  function buildQuickReplies(buttons) {
    const group = h("div", { class: "quick", role: "group" });
    bind(group, "quickReplies", null, "aria-label");
    for (const b of buttons) {
      if (!b || typeof b.title !== "string" || !b.title.trim()) continue;
      const btn = h("button", { type: "button", class: "qr", "data-testid": "quick-reply" }, b.title);
      btn.addEventListener("click", () => {
        if (btn.disabled) return;
        disableQuickReplies();
        btn.setAttribute("aria-pressed", "true");
        sendMessage(b.title, typeof b.payload === "string" && b.payload ? b.payload : null);
        ui.input.focus(); // the clicked button is now disabled; keep keyboard users in the composer
      });
      group.appendChild(btn);
    }
    return group.childElementCount ? group : null;
  }

  // A choice answers every earlier question: older buttons cannot be pressed again.
  function disableQuickReplies() {
    for (const btn of ui.log.querySelectorAll('[data-testid="quick-reply"]')) btn.disabled = true;
  }

  // In history, buttons followed by any buyer message were already answered.
  function disableAnsweredQuickReplies() {
    let buyerSpokeLater = false;
    const items = Array.from(ui.log.children);
    for (let i = items.length - 1; i >= 0; i--) {
      if (items[i].classList.contains("item--buyer")) buyerSpokeLater = true;
      else if (buyerSpokeLater) for (const btn of items[i].querySelectorAll(".qr")) btn.disabled = true;
    }
  }

  function renderTyping() {
    if (!ui) return;
    let text = "";
    if (state.agentTyping) text = state.agentName ? t("typingAgent", { name: state.agentName }) : t("typingAgentAnon");
    else if (state.botTyping) text = t("typingBot");
    ui.typingText.textContent = text;
    ui.typing.hidden = !text;
    if (text) scrollToEnd(false);
  }

  function renderStatus() {
    if (!ui) return;
    let text = "";
    if (state.convState === "queued") {
      const q = state.queue || {};
      const pos = Number.isFinite(q.position) && q.position > 0 ? q.position : null;
      const minutes = Number.isFinite(q.wait) && q.wait >= 0 ? Math.max(1, Math.ceil(q.wait / 60)) : null;
      if (pos && minutes) text = t("queuedFull", { position: pos, minutes });
      else if (pos) text = t("queued", { position: pos });
      else text = t("queuedNoPosition");
    }
    if (ui.status.textContent !== text) ui.status.textContent = text;
  }

  function renderOffline() {
    if (!ui) return;
    const text = state.offline ? t("offline") : "";
    if (ui.offline.textContent !== text) ui.offline.textContent = text;
  }

  function setOffline(on) {
    state.offline = on;
    renderOffline();
  }

  function renderLauncher() {
    if (!ui) return;
    const unread = state.open ? 0 : state.unread + state.sellerUnseen.size;
    let label = t(state.open ? "launcherClose" : "launcherOpen");
    if (unread) label += ` (${t("unread", { n: unread })})`;
    ui.launcher.setAttribute("aria-label", label);
    ui.launcher.setAttribute("aria-expanded", String(state.open));
    ui.badge.hidden = !unread;
    ui.badge.textContent = unread > 9 ? "9+" : String(unread);
    ui.badge.setAttribute("data-count", String(unread));
  }

  // ===================================================================== connection
  function rawSend(frame) {
    if (!conn.ws || conn.ws.readyState !== WebSocket.OPEN) return false;
    try {
      conn.ws.send(JSON.stringify(frame));
      return true;
    } catch (_) {
      return false;
    }
  }

  function connect() {
    if (destroyed || conn.ws) return;
    clearTimeout(conn.timer);
    conn.timer = null;
    let ws;
    try {
      ws = new WebSocket(config.wsUrl);
    } catch (_) {
      scheduleReconnect();
      return;
    }
    conn.ws = ws;
    conn.ready = false;
    conn.startFailed = false;
    conn.inflight = [];
    armSessionTimer(ws);
    ws.onopen = () => {
      if (conn.ws === ws) sendStart();
    };
    ws.onmessage = (event) => {
      if (conn.ws !== ws || typeof event.data !== "string") return;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch (_) {
        return; // not ours to show
      }
      if (frame && typeof frame === "object") handleFrame(frame);
    };
    ws.onclose = () => {
      if (conn.ws !== ws) return;
      clearTimeout(conn.sessionTimer);
      conn.ws = null;
      conn.ready = false;
      conn.awaitingSession = false;
      conn.inflight = [];
      state.botTyping = false;
      state.agentTyping = false;
      renderTyping();
      if (destroyed) return;
      setOffline(true);
      scheduleReconnect();
    };
    // onerror is always followed by onclose, which does the work.
  }

  function scheduleReconnect() {
    if (destroyed || conn.timer || conn.ws) return;
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** conn.attempt);
    conn.attempt += 1;
    // Jitter spreads the reconnect wave after a server restart.
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    conn.timer = setTimeout(() => {
      conn.timer = null;
      connect();
    }, delay);
  }

  function reconnectNow() {
    if (destroyed || conn.ws) return;
    clearTimeout(conn.timer);
    conn.timer = null;
    connect();
  }

  // A socket that never produces a session (half-open proxy, stuck server) is retried.
  function armSessionTimer(ws) {
    clearTimeout(conn.sessionTimer);
    conn.sessionTimer = setTimeout(() => {
      if (conn.ws === ws && !conn.ready && !conn.startFailed) ws.close();
    }, SESSION_TIMEOUT_MS);
  }

  function sendStart() {
    const frame = { type: "start", language: state.lang };
    if (state.saved) {
      frame.conversation_id = state.saved.conversation_id;
      frame.token = state.saved.token;
      conn.resuming = true;
    } else {
      if (config.buyerToken) frame.buyer_token = config.buyerToken;
      conn.resuming = false;
    }
    conn.startLang = state.lang;
    conn.awaitingSession = true;
    conn.startFailed = false;
    // Until the answering session frame, new messages wait in the outbox (they belong to it).
    // No session timer here: a re-start on a live socket may queue behind a slow bot answer.
    conn.ready = false;
    rawSend(frame);
  }

  function handleFrame(frame) {
    switch (frame.type) {
      case "session":
        return onSession(frame);
      case "ack":
        return onAck(frame);
      case "message":
        return onServerMessage(frame.message);
      case "seller_message":
        return onSellerFrame(frame);
      case "notice":
        return onNoticeFrame(frame);
      case "typing":
        state.botTyping = !!frame.on;
        return renderTyping();
      case "agent_typing":
        return onAgentTyping(frame);
      case "state":
        return onState(frame);
      case "csat_request":
        return showCsat();
      case "error":
        return onError(frame);
      default:
        return undefined; // unknown frames from a newer server are ignored
    }
  }

  function onSession(frame) {
    const c = frame.conversation && typeof frame.conversation === "object" ? frame.conversation : {};
    if (typeof c.conversation_id === "string" && typeof c.token === "string") {
      state.saved = { conversation_id: c.conversation_id, token: c.token };
      storage.save(state.saved);
    }
    clearTimeout(conn.sessionTimer);
    conn.ready = true;
    conn.awaitingSession = false;
    conn.startFailed = false;
    conn.attempt = 0;
    conn.gen += 1;
    conn.inflight = [];
    setOffline(false);
    state.botTyping = false;
    state.agentTyping = false;
    applyConversationState(c);
    if (typeof c.market === "string") state.market = c.market;
    renderHistory(frame.history);
    renderTyping();
    loadNotices();
    // The buyer switched language while this start was in flight: tell the server now.
    if (conn.startLang !== state.lang) {
      sendStart();
      return;
    }
    flushOutbox();
    flushControl();
  }

  // The state a (resumed) conversation is in, without notices: those are for live changes.
  function applyConversationState(c) {
    const s = typeof c.state === "string" ? c.state : "bot";
    state.convState = s;
    const agent = c.agent && typeof c.agent === "object" ? c.agent : null;
    state.agentName = s === "with_agent" && agent && typeof agent.name === "string" ? agent.name : null;
    state.queue = s === "queued" ? { position: num(c.position), wait: num(c.wait_seconds) } : null;
    renderStatus();
  }

  function num(v) {
    const n = typeof v === "number" ? v : typeof v === "string" && v.trim() ? Number(v) : NaN;
    return Number.isFinite(n) ? n : null;
  }

  function onAck(frame) {
    const m = frame.message && typeof frame.message === "object" ? frame.message : null;
    if (!m) return;
    const item = m.client_message_id ? outbox.find((i) => i.cid === m.client_message_id) : null;
    if (item) confirmPending(item, m);
    else addMessage(m, false); // e.g. a resend whose pending bubble was replaced by history
  }

  function onServerMessage(m) {
    addMessage(m, false);
  }

  function onError(frame) {
    const code = typeof frame.code === "string" ? frame.code : "";
    if (conn.awaitingSession && conn.resuming && code === "unknown_conversation") {
      // The saved conversation is gone (or its token is wrong): forget it and start fresh.
      state.saved = null;
      storage.clear();
      sendStart();
      return;
    }
    if (code === "too_many_messages" && conn.inflight.length) {
      // Rate-limited: the server did not store it. Keep it in the outbox and resend it when allowed.
      const cid = typeof frame.client_message_id === "string" ? frame.client_message_id : conn.inflight[0];
      const j = conn.inflight.indexOf(cid);
      if (j >= 0) conn.inflight.splice(j, 1);
      const item = outbox.find((i) => i.cid === cid);
      if (item) item.sentGen = -1;
      const seconds = Math.min(Math.max(Number(frame.retry_after) || 5, 1), 300);
      setTimeout(() => { if (!destroyed) flushOutbox(); }, seconds * 1000);
    } else if (MESSAGE_REJECTIONS.has(code) && conn.inflight.length) {
      // Frames are handled in order, so a refusal belongs to the oldest unacknowledged message.
      const cid = conn.inflight[0];
      const item = outbox.find((i) => i.cid === cid);
      if (item) failPending(item);
      else conn.inflight.shift();
    } else if (conn.awaitingSession) {
      // Start refused (e.g. unknown buyer): keep the socket, let the next send try again.
      clearTimeout(conn.sessionTimer);
      conn.awaitingSession = false;
      conn.startFailed = true;
    }
    addError(typeof frame.message === "string" && frame.message ? frame.message : t("genericError"));
  }

  // ================================================================ messages / outbox
  function sendMessage(text, payload) {
    const item = { cid: newId(), text, payload: payload || null, el: null, sentGen: -1 };
    outbox.push(item);
    item.el = renderPending(item);
    disableQuickReplies();
    scrollToEnd(true);
    if (!conn.ws && !conn.timer) connect();
    else if (conn.ws && conn.startFailed) sendStart();
    flushOutbox();
  }

  // Send what this session has not seen yet; after a reconnect that is everything in the
  // outbox, with the same client ids, so the server stores each message once.
  function flushOutbox() {
    if (!conn.ready) return;
    for (const item of outbox) {
      if (item.sentGen === conn.gen) continue;
      const frame = { type: "message", text: item.text, client_message_id: item.cid };
      if (item.payload) frame.payload = item.payload;
      if (!rawSend(frame)) return;
      item.sentGen = conn.gen;
      conn.inflight.push(item.cid);
    }
  }

  function sendControl(frame) {
    if (conn.ready && rawSend(frame)) return;
    controlQueue.push(frame);
    if (!conn.ws && !conn.timer) connect();
  }

  function flushControl() {
    while (controlQueue.length && conn.ready) {
      if (!rawSend(controlQueue[0])) return;
      controlQueue.shift();
    }
  }

  function onSubmit(event) {
    event.preventDefault();
    const text = ui.input.value.trim();
    if (!text) {
      ui.input.focus(); // nothing to send; stay in the field
      return;
    }
    ui.input.value = "";
    autoGrow();
    sendMessage(text, null);
    ui.input.focus();
  }

  function onInputKey(event) {
    // Enter sends, Shift+Enter is a newline; never send while an IME is composing.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      if (typeof ui.form.requestSubmit === "function") ui.form.requestSubmit();
      else onSubmit(event);
    }
  }

  function autoGrow() {
    const el = ui.input;
    el.style.height = "auto";
    el.style.height = Math.min(el.scrollHeight + 2, 120) + "px";
  }

  // ================================================================= handoff + CSAT
  function onState(frame) {
    const s = frame.state;
    const prev = state.convState;
    if (s === "queued") {
      state.convState = s;
      state.queue = { position: num(frame.position), wait: num(frame.wait_seconds) };
    } else if (s === "with_agent") {
      const agent = frame.agent && typeof frame.agent === "object" ? frame.agent : {};
      const name = typeof agent.name === "string" && agent.name.trim() ? agent.name.trim() : null;
      const changed = prev !== "with_agent" || name !== state.agentName;
      state.convState = s;
      state.queue = null;
      state.agentName = name;
      if (changed) addNotice(name ? "agentJoined" : "agentJoinedAnon", { name });
    } else if (s === "bot") {
      state.convState = s;
      state.queue = null;
      state.agentName = null;
      state.agentTyping = false;
      if (prev && prev !== "bot") addNotice("backToBot");
    } else if (s === "resolved") {
      state.convState = s;
      state.queue = null;
      state.agentTyping = false;
      if (prev !== "resolved") addNotice("resolved");
    } else {
      return; // a state this widget does not know: ignore
    }
    renderStatus();
    renderTyping();
  }

  function onAgentTyping(frame) {
    state.agentTyping = !!frame.on;
    const agent = frame.agent && typeof frame.agent === "object" ? frame.agent : null;
    const name = (agent && agent.name) || frame.agent_name || frame.name;
    if (typeof name === "string" && name.trim()) state.agentName = name.trim();
    renderTyping();
  }

  // Five stars as a radio group: arrows move the choice (roving tabindex), Enter/Space or a
  // click submits it.
  function showCsat() {
    if (ui.csat && ui.csat.isConnected && !ui.csat.classList.contains("is-done")) return;
    const box = h("div", { class: "item item--system csat" });
    const question = h("p", { id: "md-csat-q-" + newId().slice(0, 8) });
    bind(question, "csatQuestion");
    box.appendChild(question);
    const group = h("div", { class: "stars", role: "radiogroup", "aria-labelledby": question.id });
    const stars = [];
    let current = 0;
    const light = (n) => stars.forEach((s, i) => s.classList.toggle("is-lit", i < n));
    const select = (n, focus) => {
      current = n;
      stars.forEach((s, i) => {
        s.setAttribute("aria-checked", String(i + 1 === n));
        s.tabIndex = i + 1 === n || (n === 0 && i === 0) ? 0 : -1;
      });
      light(n);
      if (focus) stars[n - 1].focus();
    };
    for (let n = 1; n <= 5; n++) {
      const star = h("button", {
        type: "button", class: "star", role: "radio", "aria-checked": "false",
        "data-testid": "csat-star", "data-score": String(n), tabindex: n === 1 ? "0" : "-1",
      }, "★");
      bind(star, "csatStar", { n }, "aria-label");
      star.addEventListener("click", () => submitCsat(n));
      star.addEventListener("mouseenter", () => light(n));
      star.addEventListener("mouseleave", () => light(current));
      star.addEventListener("keydown", (e) => {
        const i = current || n;
        let next = null;
        if (e.key === "ArrowRight" || e.key === "ArrowUp") next = i >= 5 ? 1 : i + 1;
        else if (e.key === "ArrowLeft" || e.key === "ArrowDown") next = i <= 1 ? 5 : i - 1;
        else if (e.key === "Home") next = 1;
        else if (e.key === "End") next = 5;
        if (next != null) {
          e.preventDefault();
          select(next, true);
        }
      });
      stars.push(star);
      group.appendChild(star);
    }
    box.appendChild(group);
    ui.csat = null; // appendToLog must not insert above a stale box
    appendToLog(box);
    ui.csat = box;
    scrollToEnd(true);

    function submitCsat(score) {
      if (box.classList.contains("is-done")) return;
      const hadFocus = ui.shadow.activeElement && box.contains(ui.shadow.activeElement);
      box.classList.add("is-done");
      sendControl({ type: "csat", score });
      const thanks = h("div", { class: "bubble", "data-testid": "message", "data-sender": "system" });
      bind(thanks, "csatThanks");
      box.replaceChildren(thanks);
      if (hadFocus) ui.input.focus();
    }
  }

  // ================================================================= seller messages
  // A seller's answer or case update arrives as a message of sender "seller" (history, or a live
  // "seller_message" frame). What it is about (order, the seller reply's id) comes with the live
  // frame or from GET .../seller-questions; with it, the bubble gets "Reply to seller", a small
  // composer (urgent checkbox) that posts to .../seller-questions. Refusals keep the text.
  const sellerCtx = new Map(); // message id -> {order_number, kind, status, question_id, reply_id}
  const sellerFetch = { seq: 0, timer: null };
  let sellerComposer = null; // {item, form, input, urgent, error, send, cid, busy}

  function buildSellerMessage(m, sellerName) {
    const item = h("div", { class: "item item--seller" });
    const who = h("span", { class: "sr-only" });
    if (sellerName) bind(who, "sellerFrom", { name: sellerName });
    else bind(who, "sellerFromAnon");
    item.appendChild(who);
    item.appendChild(h("span", { class: "sr-only" }, ": "));
    const name = h("div", { class: "name name--seller", "aria-hidden": "true" });
    if (sellerName) name.appendChild(h("span", { class: "seller-name" }, sellerName));
    name.appendChild(bind(h("span", { class: "seller-tag" }), "seller"));
    item.appendChild(name);
    const bubble = h("div", { class: "bubble", "data-testid": "seller-message", "data-sender": "seller" });
    if (m.id != null) bubble.setAttribute("data-message-id", String(m.id));
    if (sellerName) bubble.setAttribute("data-seller-name", sellerName);
    if (typeof m.text === "string" && m.text) bubble.appendChild(h("span", { class: "text" }, m.text));
    item.appendChild(bubble);
    item._bubble = bubble;
    item._messageId = m.id != null ? String(m.id) : null;
    if (item._messageId && sellerCtx.has(item._messageId)) decorateSeller(item);
    else scheduleSellerContext();
    return item;
  }

  // The order, kind and reply button, once known; safe to call again when more is known.
  function decorateSeller(item) {
    const ctx = item._messageId ? sellerCtx.get(item._messageId) : null;
    if (!ctx || typeof ctx.order_number !== "string" || !ctx.order_number) return;
    const bubble = item._bubble;
    const kind = ctx.kind === "status" ? "status" : "answer";
    bubble.setAttribute("data-kind", kind);
    bubble.setAttribute("data-order-number", ctx.order_number);
    if (ctx.reply_id != null) bubble.setAttribute("data-reply-id", String(ctx.reply_id));
    if (item._replyBtn) return;
    const aboutId = "md-seller-about-" + newId().slice(0, 8);
    const about = h("span", { class: "seller-about", id: aboutId, "data-testid": "seller-message-about" });
    bind(about, kind === "status" ? "sellerStatusAbout" : "sellerAbout", { order: ctx.order_number });
    bubble.insertBefore(about, bubble.firstChild);
    const actions = h("div", { class: "seller-actions" });
    const btn = h("button", {
      type: "button",
      class: "seller-reply-btn",
      "data-testid": "seller-reply-button",
      "aria-expanded": "false",
      "aria-describedby": aboutId, // which order: several seller bubbles each have this button
    });
    bind(btn, "sellerReply");
    btn.addEventListener("click", () => toggleSellerComposer(item));
    actions.appendChild(btn);
    item.appendChild(actions);
    item._replyBtn = btn;
  }

  // ======================================================================== notices
  // Proactive notices about the buyer's orders (sender "notice"): live as a "notice" frame, else
  // in the history, counted on the launcher like seller messages. The switch in the panel turns
  // them off for this conversation (GET/POST .../notices).
  function onNoticeFrame(frame) {
    const m = frame.message && typeof frame.message === "object" ? frame.message : null;
    if (m) addMessage({ ...m, sender: "notice" }, false);
  }

  async function loadNotices() {
    const session = state.saved;
    if (!session || destroyed || !ui) return;
    try {
      const res = await fetch(noticesUrl(session), {
        headers: { Accept: "application/json", "X-Conversation-Token": session.token },
      });
      if (!res.ok) return;
      const body = await res.json();
      if (destroyed || !ui || state.saved !== session || !body || typeof body.enabled !== "boolean") return;
      ui.noticesInput.checked = body.enabled;
      ui.notices.hidden = false;
    } catch (_) {
      /* offline: the next session asks again */
    }
  }

  async function saveNotices(enabled) {
    const session = state.saved;
    if (!session || destroyed) return;
    ui.noticesInput.disabled = true;
    try {
      const res = await fetch(noticesUrl(session), {
        method: "POST",
        headers: {
          Accept: "application/json",
          "Content-Type": "application/json",
          "X-Conversation-Token": session.token,
        },
        body: JSON.stringify({ enabled }),
      });
      const body = res.ok ? await res.json() : null;
      if (body && typeof body.enabled === "boolean") ui.noticesInput.checked = body.enabled;
      else ui.noticesInput.checked = !enabled;
    } catch (_) {
      ui.noticesInput.checked = !enabled; // not saved: show what the server still has
    } finally {
      if (ui) ui.noticesInput.disabled = false;
    }
  }

  function noticesUrl(session) {
    return `${config.apiBase}/api/v1/conversations/${encodeURIComponent(session.conversation_id)}/notices`;
  }

  function onSellerFrame(frame) {
    const m = frame.message && typeof frame.message === "object" ? frame.message : null;
    if (!m) return;
    if (m.id != null && typeof frame.order_number === "string") {
      const known = sellerCtx.get(String(m.id)) || {};
      sellerCtx.set(String(m.id), {
        ...known,
        order_number: frame.order_number,
        kind: typeof frame.kind === "string" ? frame.kind : known.kind,
        status: typeof frame.status === "string" ? frame.status : known.status || null,
        question_id: frame.question_id != null ? frame.question_id : known.question_id,
        reply_id: frame.reply_id != null ? frame.reply_id : known.reply_id != null ? known.reply_id : null,
      });
    }
    const m2 = { ...m, sender: "seller" };
    const shown = addMessage(m2, false);
    const item = shown || (m.id != null ? byId.get(String(m.id)) : null);
    if (item && item._bubble && item._bubble.dataset.sender === "seller") decorateSeller(item);
    // The frame names the order but not the seller reply's id: ask for it (to answer that reply).
    if (m.id != null && (sellerCtx.get(String(m.id)) || {}).reply_id == null) scheduleSellerContext();
  }

  function noteSellerMessage(m) {
    const id = Number(m.id);
    if (!Number.isFinite(id)) return;
    if (id > state.sellerNewest) state.sellerNewest = id;
    if (state.open) sellerSeen.set(id);
    else if (id > sellerSeen.get()) state.sellerUnseen.add(id);
    renderLauncher();
  }

  function markSellerSeen() {
    if (state.sellerNewest) sellerSeen.set(state.sellerNewest);
    state.sellerUnseen.clear();
  }

  // One request for all seller messages shown without their context (a history render adds many).
  function scheduleSellerContext() {
    if (sellerFetch.timer || destroyed) return;
    sellerFetch.timer = setTimeout(() => {
      sellerFetch.timer = null;
      loadSellerContext();
    }, 30);
  }

  async function loadSellerContext() {
    const session = state.saved;
    if (!session || destroyed || !ui) return;
    const seq = ++sellerFetch.seq;
    const url = `${config.apiBase}/api/v1/conversations/${encodeURIComponent(session.conversation_id)}/seller-questions`;
    let body = null;
    try {
      const res = await fetch(url, { headers: { Accept: "application/json", "X-Conversation-Token": session.token } });
      if (!res.ok) return;
      body = await res.json();
    } catch (_) {
      return; // offline: the next session (reconnect) asks again
    }
    if (destroyed || seq !== sellerFetch.seq || !body || !Array.isArray(body.seller_messages)) return;
    for (const c of body.seller_messages) {
      if (!c || c.message_id == null || typeof c.order_number !== "string") continue;
      const key = String(c.message_id);
      sellerCtx.set(key, { ...(sellerCtx.get(key) || {}), ...c });
      const item = byId.get(key);
      if (item && item.isConnected && item._bubble && item._bubble.dataset.sender === "seller") decorateSeller(item);
    }
  }

  function toggleSellerComposer(item) {
    if (sellerComposer && sellerComposer.item === item) {
      closeSellerComposer(true);
      return;
    }
    closeSellerComposer(false);
    openSellerComposer(item);
  }

  // A history re-render (reconnect, language switch) keeps an open reply draft, with its client id.
  function takeSellerDraft() {
    const c = sellerComposer;
    if (!c) return null;
    const active = ui.shadow.activeElement;
    const draft = {
      id: c.item._messageId,
      text: c.input.value,
      urgent: c.urgent.checked,
      cid: c.cid,
      error: c.error.hidden ? null : c.error.textContent,
      focused: !!(active && c.form.contains(active)),
    };
    closeSellerComposer(false);
    return draft;
  }

  function restoreSellerDraft(draft) {
    const item = draft && draft.id ? byId.get(draft.id) : null;
    if (item && item._replyBtn) openSellerComposer(item, draft);
  }

  function openSellerComposer(item, draft) {
    const ctx = sellerCtx.get(item._messageId) || {};
    const id = "md-seller-" + newId().slice(0, 8);
    const form = h("form", { class: "seller-composer", id, "data-testid": "seller-reply-form", novalidate: "" });
    const label = h("label", { class: "seller-label", for: id + "-text" });
    bind(label, "sellerReplyLabel", { order: ctx.order_number || "" });
    const input = h("textarea", {
      class: "seller-input",
      id: id + "-text",
      rows: "3",
      autocomplete: "off",
      "data-testid": "seller-reply-input",
    });
    bind(input, "sellerReplyPlaceholder", null, "placeholder");
    const hint = h("p", { class: "seller-hint", id: id + "-hint" });
    bind(hint, "sellerUrgentHint");
    const error = h("p", { class: "seller-error", role: "alert", "data-testid": "seller-reply-error", hidden: "" });
    const row = h("div", { class: "seller-row" });
    const urgentLabel = h("label", { class: "seller-urgent" });
    const urgent = h("input", { type: "checkbox", "data-testid": "seller-reply-urgent", "aria-describedby": id + "-hint" });
    urgentLabel.append(urgent, bind(h("span"), "sellerUrgent"));
    const cancel = h("button", { type: "button", class: "seller-cancel", "data-testid": "seller-reply-cancel" });
    bind(cancel, "sellerCancel");
    const send = h("button", { type: "submit", class: "seller-send", "data-testid": "seller-reply-send" });
    bind(send, "sellerSend");
    row.append(urgentLabel, cancel, send);
    form.append(label, input, error, row, hint);

    const composer = { item, form, input, urgent, error, send, cid: draft ? draft.cid : newId(), busy: false };
    if (draft) {
      input.value = draft.text;
      urgent.checked = draft.urgent;
      if (draft.error) showSellerError(composer, draft.error);
    }
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      submitSellerReply(composer);
    });
    input.addEventListener("keydown", (e) => {
      // Enter sends, Shift+Enter is a newline (as in the main composer); never while an IME composes.
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
        e.preventDefault();
        submitSellerReply(composer);
      }
    });
    form.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.preventDefault(); // closes the composer, not the panel
        closeSellerComposer(true);
      }
    });
    cancel.addEventListener("click", () => closeSellerComposer(true));

    item.appendChild(form);
    item.classList.add("is-replying");
    item._replyBtn.setAttribute("aria-expanded", "true");
    item._replyBtn.setAttribute("aria-controls", id);
    sellerComposer = composer;
    if (draft && !draft.focused) return;
    focusSoon(input);
    requestAnimationFrame(() => {
      if (form.isConnected && typeof form.scrollIntoView === "function") form.scrollIntoView({ block: "nearest" });
    });
  }

  function closeSellerComposer(returnFocus) {
    const c = sellerComposer;
    if (!c) return;
    sellerComposer = null;
    for (const el of c.form.querySelectorAll("*")) bound.delete(el);
    c.form.remove();
    c.item.classList.remove("is-replying");
    if (c.item._replyBtn) {
      c.item._replyBtn.setAttribute("aria-expanded", "false");
      c.item._replyBtn.removeAttribute("aria-controls");
      if (returnFocus && c.item._replyBtn.isConnected) c.item._replyBtn.focus();
    }
  }

  function showSellerError(c, text) {
    c.error.textContent = text;
    c.error.hidden = false;
  }

  function formatDue(value) {
    const d = new Date(value);
    if (isNaN(d.getTime())) return "";
    const locale = state.lang === "pl" ? "pl-PL" : "tr-TR";
    const options = { dateStyle: "medium", timeStyle: "short" };
    if (ZONES[state.market]) options.timeZone = ZONES[state.market];
    try {
      return new Intl.DateTimeFormat(locale, options).format(d);
    } catch (_) {
      return d.toLocaleString(locale);
    }
  }

  async function submitSellerReply(c) {
    if (c.busy || sellerComposer !== c) return; // a double click sends once (and the client id makes sure)
    const session = state.saved;
    if (!session) {
      showSellerError(c, t("attachNoSession"));
      return;
    }
    c.busy = true;
    c.send.disabled = true;
    bind(c.send, "sellerSending");
    c.form.setAttribute("aria-busy", "true");
    c.error.hidden = true;
    let ctx = sellerCtx.get(c.item._messageId) || {};
    if (ctx.reply_id == null) {
      await loadSellerContext(); // a live frame names the order only
      ctx = sellerCtx.get(c.item._messageId) || ctx;
    }
    const payload = {
      order_number: ctx.order_number,
      text: c.input.value,
      urgent: c.urgent.checked,
      client_message_id: c.cid,
    };
    if (ctx.reply_id != null) payload.reply_to_id = ctx.reply_id;
    const url = `${config.apiBase}/api/v1/conversations/${encodeURIComponent(session.conversation_id)}/seller-questions`;
    let res = null;
    let body = null;
    try {
      res = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-Conversation-Token": session.token },
        body: JSON.stringify(payload),
      });
      try {
        body = await res.json();
      } catch (_) {
        body = null;
      }
    } catch (_) {
      res = null; // network failure: the same client id makes a retry safe
    }
    if (destroyed) return;
    c.busy = false;
    c.send.disabled = false;
    bind(c.send, "sellerSend");
    c.form.removeAttribute("aria-busy");
    // The composer may have been rebuilt meanwhile (history re-render): the same draft has the same id.
    const current = sellerComposer && sellerComposer.cid === c.cid ? sellerComposer : null;
    if (res && res.ok && body && body.message) {
      const item = current ? current.item : c.item;
      if (current) closeSellerComposer(false);
      disableQuickReplies();
      addMessage(body.message, false);
      const q = body.question && typeof body.question === "object" ? body.question : null;
      if (q && q.answer_due) addNotice(q.urgent ? "sellerSentUrgent" : "sellerSent", { due: formatDue(q.answer_due) });
      scrollToEnd(true);
      if (item._replyBtn && item._replyBtn.isConnected) item._replyBtn.focus();
      return;
    }
    // The api's refusal (moderation reasons, too long, empty...) in the buyer's language; the text stays.
    const detail = body && body.detail;
    const text = detail && typeof detail === "object" && typeof detail.message === "string" ? detail.message : null;
    if (!current) {
      addError(text || t("sellerReplyFailed"));
      return;
    }
    showSellerError(current, text || t("sellerReplyFailed"));
    current.input.focus();
  }

  // ============================================================================ FAQ
  // Searches the same FAQ content the bot uses without starting a conversation.
  const faq = { timer: null, ctrl: null, seq: 0 };

  function setFaqOpen(open) {
    state.faqOpen = open;
    ui.faqView.hidden = !open;
    ui.chatView.hidden = open;
    ui.faqBtn.setAttribute("aria-expanded", String(open));
    if (open) {
      if (!ui.faqInput.value) setFaqStatus("faqHint");
      focusSoon(ui.faqInput);
    } else {
      focusSoon(ui.input);
    }
  }

  function setFaqStatus(key, vars) {
    if (key) bind(ui.faqStatus, key, vars, null, true);
    else {
      bound.delete(ui.faqStatus);
      ui.faqStatus.textContent = "";
    }
  }

  function scheduleFaq() {
    clearTimeout(faq.timer);
    const q = ui.faqInput.value.trim();
    if (q.length < FAQ_MIN_CHARS) {
      cancelFaq();
      ui.faqResults.replaceChildren();
      setFaqStatus("faqHint");
      return;
    }
    faq.timer = setTimeout(() => runFaq(q), FAQ_DEBOUNCE_MS);
  }

  function cancelFaq() {
    faq.seq += 1; // any answer still on its way is now stale
    if (faq.ctrl) faq.ctrl.abort();
    faq.ctrl = null;
  }

  async function runFaq(q) {
    cancelFaq();
    const seq = faq.seq;
    const ctrl = typeof AbortController === "function" ? new AbortController() : null;
    faq.ctrl = ctrl;
    setFaqStatus("faqSearching");
    const params = new URLSearchParams({ q, lang: state.lang });
    try {
      const res = await fetch(`${config.apiBase}/api/v1/faq?${params}`, {
        headers: { Accept: "application/json" },
        signal: ctrl ? ctrl.signal : undefined,
      });
      if (!res.ok) throw new Error(`faq ${res.status}`);
      const data = await res.json();
      if (seq !== faq.seq || destroyed) return;
      renderFaq(Array.isArray(data && data.results) ? data.results : []);
    } catch (_) {
      if (seq !== faq.seq || destroyed) return; // aborted or superseded
      ui.faqResults.replaceChildren();
      setFaqStatus("faqError");
    }
  }

  function renderFaq(results) {
    const list = ui.faqResults;
    list.replaceChildren();
    for (const r of results) {
      if (!r || typeof r !== "object") continue;
      const li = h("li", { "data-testid": "faq-result" });
      if (typeof r.topic === "string") li.setAttribute("data-topic", r.topic);
      li.appendChild(h("h3", { class: "faq-title" }, typeof r.title === "string" ? r.title : ""));
      li.appendChild(h("p", { class: "faq-answer" }, typeof r.answer === "string" ? r.answer : ""));
      list.appendChild(li);
    }
    if (list.childElementCount) setFaqStatus("faqCount", { n: list.childElementCount });
    else setFaqStatus("faqNoResults");
  }

  // ==================================================================== attachments
  // The client check only gives a fast answer; the server decides and explains refusals.
  function onFilePicked() {
    const file = ui.fileInput.files && ui.fileInput.files[0];
    ui.fileInput.value = ""; // the same file can be picked again after an error
    if (!file) return;
    if (!/^image\//i.test(file.type || "")) {
      addNotice("attachNotImage", null, { error: true });
      return;
    }
    if (file.size > config.maxUploadBytes) {
      addNotice("attachTooLarge", { max: formatBytes(config.maxUploadBytes) }, { error: true });
      return;
    }
    if (!state.saved) {
      addNotice("attachNoSession", null, { error: true });
      if (!conn.ws && !conn.timer) connect();
      return;
    }
    upload(file, state.saved);
  }

  async function upload(file, session) {
    const cid = newId();
    const progress = addNotice("attachUploading", { name: file.name || "" });
    const form = new FormData();
    form.append("file", file, file.name || "image");
    form.append("client_message_id", cid);
    const url = `${config.apiBase}/api/v1/conversations/${encodeURIComponent(session.conversation_id)}/attachments`;
    let res = null;
    let body = null;
    try {
      res = await fetch(url, { method: "POST", headers: { "X-Conversation-Token": session.token }, body: form });
      try {
        body = await res.json();
      } catch (_) {
        body = null;
      }
    } catch (_) {
      res = null; // network failure
    }
    if (destroyed) return;
    progress.remove();
    if (res && res.ok && body && body.message) {
      disableQuickReplies();
      addMessage(body.message, false);
      scrollToEnd(true);
      return;
    }
    const detail = body && body.detail;
    const text = detail && typeof detail === "object" && typeof detail.message === "string" ? detail.message : null;
    if (text) addError(text);
    else addNotice("attachFailed", null, { error: true });
  }

  function buildAttachment(a) {
    const href = attachmentUrl(a.url);
    if (!href) return null;
    const link = h("a", { class: "thumb-link", href, target: "_blank", rel: "noopener noreferrer" });
    const filename = typeof a.filename === "string" && a.filename ? a.filename : null;
    const isImage = typeof a.content_type !== "string" || /^image\//i.test(a.content_type);
    if (isImage) {
      const img = h("img", { class: "thumb", src: href, loading: "lazy", decoding: "async" });
      img.alt = filename || t("imageAlt");
      img.addEventListener("load", () => scrollToEnd(false));
      link.appendChild(img);
    } else {
      link.textContent = filename || href;
    }
    return link;
  }

  // Only http(s) URLs on the api's origin get the conversation token appended, so a
  // crafted attachment URL can neither run script nor leak the token elsewhere.
  function attachmentUrl(url) {
    if (typeof url !== "string" || !url) return null;
    let resolved;
    try {
      resolved = new URL(/^[a-z][a-z0-9+.-]*:/i.test(url) ? url : config.apiBase + (url[0] === "/" ? "" : "/") + url);
    } catch (_) {
      return null;
    }
    if (resolved.protocol !== "https:" && resolved.protocol !== "http:") return null;
    const apiOrigin = new URL(config.apiBase).origin;
    if (resolved.origin !== apiOrigin) return resolved.href;
    const token = state.saved && state.saved.token;
    if (token) resolved.searchParams.set("token", token);
    return resolved.href;
  }

  // ====================================================================== open/close
  function openPanel() {
    if (destroyed) return;
    state.open = true;
    state.unread = 0;
    markSellerSeen();
    ui.root.classList.add("is-open");
    ui.panel.hidden = false;
    renderLauncher();
    // Lazy: a conversation starts with the first message (or resumes a saved one), so
    // visitors who only open the panel or search the FAQ create nothing.
    if (state.saved && !conn.ws && !conn.timer) connect();
    focusSoon(state.faqOpen ? ui.faqInput : ui.input);
    scrollToEnd(true);
  }

  function closePanel(returnFocus) {
    if (destroyed || !state.open) return;
    const hadFocus = focusIsInside();
    state.open = false;
    ui.root.classList.remove("is-open");
    ui.panel.hidden = true;
    renderLauncher();
    if (returnFocus || hadFocus) ui.launcher.focus();
  }

  function setLanguage(lang) {
    if (!LANGS.includes(lang)) return;
    if (ui) ui.langSelect.value = lang;
    if (lang === state.lang) return;
    state.lang = lang;
    if (!ui) return;
    ui.host.setAttribute("lang", lang);
    ui.root.setAttribute("lang", lang);
    applyStrings();
    if (state.faqOpen && ui.faqInput.value.trim().length >= FAQ_MIN_CHARS) runFaq(ui.faqInput.value.trim());
    // The next "start" carries the language; with a live session that start is sent now
    // (a resume on the same socket, answered by a fresh session frame).
    if (conn.ready) sendStart();
  }

  function destroy() {
    if (destroyed) return;
    destroyed = true;
    clearTimeout(conn.timer);
    clearTimeout(conn.sessionTimer);
    clearTimeout(faq.timer);
    if (faq.ctrl) faq.ctrl.abort();
    const ws = conn.ws;
    conn.ws = null;
    if (ws) {
      try {
        ws.close(1000);
      } catch (_) {
        /* already closing */
      }
    }
    window.removeEventListener("online", reconnectNow);
    if (ui && ui.host.isConnected) ui.host.remove();
    if (window.marketdesk === api) window.marketdesk = undefined;
  }

  // ========================================================================== mount
  const pending = [];
  const whenMounted = (fn) => (ui ? fn() : pending.push(fn));
  const api = {
    open: () => whenMounted(openPanel),
    close: () => whenMounted(() => closePanel(false)),
    setLanguage: (lang) => (ui ? setLanguage(lang) : LANGS.includes(lang) && (state.lang = lang)),
    destroy,
    get language() {
      return state.lang;
    },
  };
  // Claimed synchronously, so a second copy of the script loaded meanwhile backs off.
  window.marketdesk = api;

  // The element class holds no state: a later copy of this script (after the old one was
  // removed) reuses it, and each instance tears down its own connection when removed.
  if (!customElements.get(TAG)) {
    customElements.define(
      TAG,
      class extends HTMLElement {
        disconnectedCallback() {
          const el = this;
          // Moving the element within the page reconnects it at once: only a real removal ends it.
          queueMicrotask(() => {
            if (!el.isConnected && typeof el.__marketdeskDestroy === "function") el.__marketdeskDestroy();
          });
        }
      },
    );
  }

  function mount() {
    if (destroyed || ui) return;
    const host = document.createElement(TAG);
    host.setAttribute("lang", state.lang);
    host.__marketdeskDestroy = destroy;
    const shadow = host.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = CSS;
    shadow.appendChild(style);
    const tpl = document.createElement("template");
    tpl.innerHTML = SKELETON; // static markup, see SKELETON
    shadow.appendChild(tpl.content);
    const $ = (sel) => shadow.querySelector(sel);
    ui = {
      host,
      shadow,
      root: $(".root"),
      launcher: $(".launcher"),
      badge: $(".badge"),
      panel: $(".panel"),
      title: $(".title"),
      langSelect: $(".lang"),
      faqBtn: $(".faq-btn"),
      closeBtn: $(".close"),
      status: $(".status"),
      offline: $(".offline"),
      notices: $(".notices"),
      noticesInput: $(".notices-input"),
      noticesLabel: $(".notices-label"),
      chatView: $(".chat-view"),
      emptyHint: $(".empty-hint"),
      log: $(".log"),
      typing: $(".typing"),
      typingText: $(".typing-text"),
      form: $(".composer"),
      attach: $(".attach"),
      fileInput: $(".file"),
      inputLabel: $('label[for="md-input"]'),
      input: $(".input"),
      send: $(".send"),
      faqView: $(".faq-view"),
      faqBack: $(".back"),
      faqLabel: $(".faq-label"),
      faqInput: $(".faq-input"),
      faqStatus: $(".faq-status"),
      faqResults: $(".faq-results"),
      csat: null,
    };
    ui.root.setAttribute("lang", state.lang);
    ui.langSelect.value = state.lang;
    ui.input.maxLength = config.maxChars;

    // Static strings, repainted on every language switch.
    bind(ui.title, "title", null, null, true);
    bind(ui.langSelect, "language", null, "aria-label", true);
    bind(ui.faqBtn, "faqButton", null, null, true);
    bind(ui.faqBtn, "faqOpen", null, "aria-label", true);
    bind(ui.closeBtn, "close", null, "aria-label", true);
    bind(ui.log, "logLabel", null, "aria-label", true);
    bind(ui.emptyHint, "emptyHint", null, null, true);
    bind(ui.attach, "attach", null, "aria-label", true);
    bind(ui.fileInput, "fileInput", null, "aria-label", true);
    bind(ui.inputLabel, "inputLabel", null, null, true);
    bind(ui.input, "placeholder", null, "placeholder", true);
    bind(ui.send, "send", null, null, true);
    bind(ui.faqBack, "faqBack", null, null, true);
    bind(ui.faqLabel, "faqLabel", null, null, true);
    bind(ui.faqInput, "faqPlaceholder", null, "placeholder", true);
    bind(ui.noticesLabel, "noticesToggle", null, null, true);

    ui.launcher.addEventListener("click", () => (state.open ? closePanel(true) : openPanel()));
    ui.closeBtn.addEventListener("click", () => closePanel(true));
    ui.langSelect.addEventListener("change", () => setLanguage(ui.langSelect.value));
    ui.faqBtn.addEventListener("click", () => setFaqOpen(!state.faqOpen));
    ui.noticesInput.addEventListener("change", () => saveNotices(ui.noticesInput.checked));
    ui.faqBack.addEventListener("click", () => setFaqOpen(false));
    ui.faqInput.addEventListener("input", scheduleFaq);
    ui.faqInput.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault(); // search now instead of waiting for the debounce
        clearTimeout(faq.timer);
        const q = ui.faqInput.value.trim();
        if (q.length >= FAQ_MIN_CHARS) runFaq(q);
      }
    });
    ui.form.addEventListener("submit", onSubmit);
    ui.input.addEventListener("keydown", onInputKey);
    ui.input.addEventListener("input", autoGrow);
    ui.attach.addEventListener("click", () => ui.fileInput.click());
    ui.fileInput.addEventListener("change", onFilePicked);
    // Escape anywhere in the widget (panel or launcher) closes it and focuses the launcher.
    ui.root.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && state.open && !e.defaultPrevented) {
        e.preventDefault();
        closePanel(true);
      }
    });
    window.addEventListener("online", reconnectNow);

    document.body.appendChild(host);
    applyStrings();
    // A returning buyer may have agent messages waiting: resume at once.
    if (state.saved) connect();
    pending.splice(0).forEach((fn) => fn());
  }

  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount, { once: true });
})();
