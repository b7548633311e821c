/*!
 * marketdesk seller portal. Vanilla JS, no build step, no dependencies; served at /seller.
 *
 * Talks to /api/v1/seller (see api/routers/seller.py): bearer token from POST /login kept in
 * sessionStorage. No socket: the inbox and the open thread are polled.
 *
 * Everything shown comes from buyers or sellers: it is rendered with textContent /
 * createElement only, never as markup.
 *
 * Sections: config, strings, state, helpers, api, banners, rendering (header, inbox, thread,
 * status form, metrics), actions, timers, boot.
 */
(() => {
  "use strict";

  // ========================================================================= config
  const API = "/api/v1/seller";
  const LANGS = ["tr", "pl"];
  const LOCALES = { tr: "tr-TR", pl: "pl-PL" };
  const ZONES = { TR: "Europe/Istanbul", PL: "Europe/Warsaw" };
  const TOKEN_KEY = "marketdesk-seller:token";
  const LANG_KEY = "marketdesk-seller:lang";
  const POLL_MS = 20000;
  const METRICS_POLL_MS = 60000;
  const TICK_MS = 30000;
  const NOTICE_MS = 6000;

  // ======================================================================== strings
  const STRINGS = {
    tr: {
      pageTitle: "marketdesk · Satıcı paneli",
      appTitle: "marketdesk · Satıcı paneli",
      uiLanguage: "Dil",
      logout: "Çıkış yap",
      signedInAs: "{name} · {seller}",
      loginTitle: "Satıcı girişi",
      username: "Kullanıcı adı",
      password: "Şifre",
      loginButton: "Giriş yap",
      dismiss: "Kapat",
      inboxTitle: "Alıcı mesajları",
      inboxCount: "{n} yanıt bekleyen yazışma",
      filterState: "Durum",
      filterOrder: "Sipariş no",
      filterOrderPlaceholder: "TR12345678",
      filterApply: "Filtrele",
      state_all: "Tümü",
      state_unanswered: "Yanıt bekleyen",
      state_overdue: "Süresi geçen",
      state_answered: "Yanıtlanan",
      inboxEmpty: "Bu filtreye uyan yazışma yok.",
      urgent: "Acil",
      overdue: "Süresi geçti",
      escalated: "Platform desteğine aktarıldı",
      answeredFlag: "Yanıtlandı",
      openCount: "{n} soru bekliyor",
      due: "Son yanıt: {due}",
      leftWall: "{time} kaldı",
      lateWall: "{time} gecikti",
      businessLeft: "{n} iş saati kaldı",
      zone_TR: "İstanbul saati",
      zone_PL: "Varşova saati",
      dur_d: "{n} g",
      dur_h: "{n} sa",
      dur_m: "{n} dk",
      noSelection: "Soldaki listeden bir sipariş yazışması seçin.",
      threadTitle: "Sipariş {order}",
      timelineLabel: "Yazışma geçmişi",
      orderStatus: "Sipariş durumu",
      buyer: "Alıcı",
      placed: "Sipariş tarihi",
      products: "Ürünler",
      who_buyer: "Alıcı",
      who_platform: "Platform",
      question_open: "Yanıt bekliyor",
      question_answered: "Yanıtlandı",
      question_closed: "Kapatıldı",
      answerThis: "Bu soruyu yanıtla",
      answerTo: "Yanıtınız (soru: “{text}”)",
      answerPlaceholder: "Alıcının sorusunu eksiksiz ve açık biçimde yanıtlayın…",
      answerHint: "Telefon, e-posta, bağlantı ve reklam içeremez; tüm iletişim platformda kalır.",
      send: "Yanıtı gönder",
      noOpenQuestion: "Bu yazışmada yanıt bekleyen soru yok. Alıcıyı durum güncellemesiyle bilgilendirebilirsiniz.",
      refusedTitle: "Yanıt gönderilmedi:",
      statusRefusedTitle: "Durum güncellemesi gönderilmedi:",
      notice_escalated: "Süre dolduğu için soru platform desteğine aktarıldı ({ref}).",
      notice_closed: "Soru platform desteği tarafından kapatıldı.",
      statusTitle: "Alıcıyı bilgilendir",
      statusLabel: "Durum",
      status_return_received: "İade ürünü teslim alındı",
      status_repair_started: "Onarım başladı",
      status_repair_finished: "Onarım tamamlandı, gönderime hazır",
      status_shipped: "Kargoya verildi",
      status_replacement_sent: "Yeni ürün gönderildi",
      carrier: "Kargo firması",
      trackingNumber: "Takip numarası",
      expectedDate: "Tahmini teslim tarihi",
      statusNote: "Not (isteğe bağlı)",
      statusSend: "Güncellemeyi gönder",
      statusLine: "{status}",
      shippingLine: "{carrier} · {tracking} · {date}",
      metricsTitle: "Yanıt sürelerim (son 30 gün)",
      metricShare: "Zamanında yanıtlanan",
      metricMedian: "Ortanca yanıt süresi",
      metricOverdue: "Süresi geçmiş açık soru",
      metricQuestions: "Soru sayısı",
      metricHours: "{n} iş saati",
      metricsHint: "İş saatleri pazarın takvimine göre sayılır (hafta sonu ve resmî tatiller hariç).",
      notice_answered: "Yanıtınız alıcıya iletildi.",
      notice_statusSent: "Durum güncellemesi alıcıya iletildi.",
      notice_loggedOut: "Çıkış yaptınız.",
      order_preparing: "Hazırlanıyor",
      order_shipped: "Kargoya verildi",
      order_in_transit: "Yolda",
      order_at_pickup_point: "Teslim noktasında",
      order_delivered: "Teslim edildi",
      order_cancelled: "İptal edildi",
      order_returned: "İade edildi",
      err_invalid_credentials: "Kullanıcı adı veya şifre hatalı.",
      err_account_locked: "Çok sayıda hatalı giriş denemesi nedeniyle hesap geçici olarak kilitlendi. {seconds} saniye sonra tekrar deneyin.",
      err_too_many_logins: "Çok fazla giriş denemesi. {seconds} saniye sonra tekrar deneyin.",
      err_unauthorized: "Oturumunuz sona erdi. Lütfen tekrar giriş yapın.",
      err_fill_login: "Kullanıcı adınızı ve şifrenizi girin.",
      err_empty_answer: "Boş yanıt gönderilemez. Lütfen alıcının sorusunu eksiksiz yanıtlayın.",
      err_network: "Sunucuya ulaşılamadı. Bağlantınızı kontrol edip tekrar deneyin.",
      err_generic: "Bir sorun oluştu. Lütfen tekrar deneyin.",
    },
    pl: {
      pageTitle: "marketdesk · Panel sprzedawcy",
      appTitle: "marketdesk · Panel sprzedawcy",
      uiLanguage: "Język",
      logout: "Wyloguj",
      signedInAs: "{name} · {seller}",
      loginTitle: "Logowanie sprzedawcy",
      username: "Nazwa użytkownika",
      password: "Hasło",
      loginButton: "Zaloguj",
      dismiss: "Zamknij",
      inboxTitle: "Wiadomości od kupujących",
      inboxCount: "Wątki czekające na odpowiedź: {n}",
      filterState: "Status",
      filterOrder: "Nr zamówienia",
      filterOrderPlaceholder: "PL12345678",
      filterApply: "Filtruj",
      state_all: "Wszystkie",
      state_unanswered: "Bez odpowiedzi",
      state_overdue: "Po terminie",
      state_answered: "Z odpowiedzią",
      inboxEmpty: "Brak wątków pasujących do filtra.",
      urgent: "Pilne",
      overdue: "Po terminie",
      escalated: "Przekazano do obsługi platformy",
      answeredFlag: "Odpowiedziano",
      openCount: "Pytania bez odpowiedzi: {n}",
      due: "Termin odpowiedzi: {due}",
      leftWall: "zostało {time}",
      lateWall: "{time} po terminie",
      businessLeft: "pozostało godzin roboczych: {n}",
      zone_TR: "czas stambulski",
      zone_PL: "czas warszawski",
      dur_d: "{n} d.",
      dur_h: "{n} godz.",
      dur_m: "{n} min",
      noSelection: "Wybierz wątek zamówienia z listy po lewej.",
      threadTitle: "Zamówienie {order}",
      timelineLabel: "Historia korespondencji",
      orderStatus: "Status zamówienia",
      buyer: "Kupujący",
      placed: "Data zamówienia",
      products: "Produkty",
      who_buyer: "Kupujący",
      who_platform: "Platforma",
      question_open: "Czeka na odpowiedź",
      question_answered: "Odpowiedziano",
      question_closed: "Zamknięte",
      answerThis: "Odpowiedz na to pytanie",
      answerTo: "Twoja odpowiedź (pytanie: „{text}”)",
      answerPlaceholder: "Odpowiedz rzetelnie i wyczerpująco na pytanie kupującego…",
      answerHint: "Bez telefonów, adresów e-mail, linków i reklam; cała komunikacja pozostaje na platformie.",
      send: "Wyślij odpowiedź",
      noOpenQuestion: "W tym wątku nie ma pytań bez odpowiedzi. Możesz poinformować kupującego aktualizacją statusu.",
      refusedTitle: "Odpowiedź nie została wysłana:",
      statusRefusedTitle: "Aktualizacja statusu nie została wysłana:",
      notice_escalated: "Termin minął, pytanie przekazano do obsługi platformy ({ref}).",
      notice_closed: "Pytanie zostało zamknięte przez obsługę platformy.",
      statusTitle: "Poinformuj kupującego",
      statusLabel: "Status",
      status_return_received: "Otrzymano zwrot",
      status_repair_started: "Rozpoczęto naprawę",
      status_repair_finished: "Naprawa zakończona, gotowe do wysyłki",
      status_shipped: "Wysłano",
      status_replacement_sent: "Wysłano produkt zastępczy",
      carrier: "Przewoźnik",
      trackingNumber: "Numer przesyłki",
      expectedDate: "Przewidywana data doręczenia",
      statusNote: "Notatka (opcjonalnie)",
      statusSend: "Wyślij aktualizację",
      statusLine: "{status}",
      shippingLine: "{carrier} · {tracking} · {date}",
      metricsTitle: "Moje czasy odpowiedzi (ostatnie 30 dni)",
      metricShare: "Odpowiedzi w terminie",
      metricMedian: "Mediana czasu odpowiedzi",
      metricOverdue: "Otwarte pytania po terminie",
      metricQuestions: "Liczba pytań",
      metricHours: "{n} godz. rob.",
      metricsHint: "Godziny robocze liczone według kalendarza rynku (bez weekendów i dni ustawowo wolnych).",
      notice_answered: "Odpowiedź została przekazana kupującemu.",
      notice_statusSent: "Aktualizacja statusu została przekazana kupującemu.",
      notice_loggedOut: "Wylogowano.",
      order_preparing: "W przygotowaniu",
      order_shipped: "Wysłane",
      order_in_transit: "W drodze",
      order_at_pickup_point: "W punkcie odbioru",
      order_delivered: "Doręczone",
      order_cancelled: "Anulowane",
      order_returned: "Zwrócone",
      err_invalid_credentials: "Nieprawidłowa nazwa użytkownika lub hasło.",
      err_account_locked: "Po zbyt wielu nieudanych próbach logowania konto jest tymczasowo zablokowane. Spróbuj ponownie za {seconds} s.",
      err_too_many_logins: "Zbyt wiele prób logowania. Spróbuj ponownie za {seconds} s.",
      err_unauthorized: "Sesja wygasła. Zaloguj się ponownie.",
      err_fill_login: "Podaj nazwę użytkownika i hasło.",
      err_empty_answer: "Nie można wysłać pustej odpowiedzi. Odpowiedz wyczerpująco na pytanie kupującego.",
      err_network: "Brak połączenia z serwerem. Sprawdź połączenie i spróbuj ponownie.",
      err_generic: "Coś poszło nie tak. Spróbuj ponownie.",
    },
  };

  // ========================================================================== state
  const state = {
    lang: loadLang(),
    token: loadToken(),
    user: null,
    threads: [],
    counts: null,
    fetchedAt: 0, // performance.now() when the inbox was fetched (the clocks tick from there)
    filter: { state: "all", order: "" },
    selected: null, // order number
    detail: null,
    detailAt: 0,
    target: null, // question id the answer box answers
    metrics: null,
    error: null,
    notice: null,
    answerRefusal: null, // {messages: []}
    statusRefusal: null,
  };
  const timers = { poll: null, metrics: null, tick: null, notice: null };
  const busy = { login: false, answer: false, status: false };

  function loadLang() {
    try {
      const saved = localStorage.getItem(LANG_KEY);
      if (LANGS.includes(saved)) return saved;
    } catch (_) {
      /* storage disabled */
    }
    const nav = (navigator.language || "").slice(0, 2).toLowerCase();
    return LANGS.includes(nav) ? nav : "tr";
  }

  function loadToken() {
    try {
      return sessionStorage.getItem(TOKEN_KEY) || null;
    } catch (_) {
      return null;
    }
  }

  function saveToken(token) {
    try {
      if (token) sessionStorage.setItem(TOKEN_KEY, token);
      else sessionStorage.removeItem(TOKEN_KEY);
    } catch (_) {
      /* the in-memory token still works for this page */
    }
  }

  // ======================================================================== helpers
  const $ = (id) => document.getElementById(id);
  const ui = {};

  function t(key, vars) {
    const table = STRINGS[state.lang] || STRINGS.tr;
    let s = table[key] != null ? table[key] : STRINGS.tr[key] != null ? STRINGS.tr[key] : key;
    if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] != null ? String(vars[k]) : m));
    return s;
  }

  function label(prefix, code) {
    if (code == null || code === "") return "–";
    return STRINGS.tr[prefix + code] != null ? t(prefix + code) : String(code);
  }

  function h(tag, attrs, text) {
    const el = document.createElement(tag);
    if (attrs) for (const k of Object.keys(attrs)) if (attrs[k] != null && attrs[k] !== false) el.setAttribute(k, attrs[k]);
    if (text != null) el.textContent = text; // text only: data never becomes markup
    return el;
  }

  function locale() {
    return LOCALES[state.lang] || "tr-TR";
  }

  function market() {
    return state.user && state.user.seller ? state.user.seller.market : "TR";
  }

  function parseTime(value) {
    if (!value) return null;
    let s = String(value);
    if (!/(Z|[+-]\d\d:?\d\d)$/.test(s)) s += "Z";
    const d = new Date(s);
    return isNaN(d.getTime()) ? null : d;
  }

  function when(value) {
    const d = parseTime(value);
    if (!d) return "";
    return d.toLocaleString(locale(), {
      timeZone: ZONES[market()] || undefined,
      day: "2-digit",
      month: "2-digit",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
    });
  }

  function dateOnly(iso) {
    if (!iso) return "";
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso));
    return m ? `${m[3]}.${m[2]}.${m[1]}` : String(iso);
  }

  function duration(ms) {
    const minutes = Math.max(0, Math.round(Math.abs(ms) / 60000));
    const d = Math.floor(minutes / 1440);
    const hrs = Math.floor((minutes % 1440) / 60);
    const m = minutes % 60;
    const parts = [];
    if (d) parts.push(t("dur_d", { n: d }));
    if (hrs) parts.push(t("dur_h", { n: hrs }));
    if (!d && (m || !hrs)) parts.push(t("dur_m", { n: m }));
    return parts.join(" ");
  }

  function number(n, digits) {
    return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits == null ? 1 : digits }).format(Number(n) || 0);
  }

  function todayInMarket() {
    // YYYY-MM-DD in the market's time zone (the api refuses expected dates before it).
    try {
      return new Intl.DateTimeFormat("en-CA", { timeZone: ZONES[market()] }).format(new Date());
    } catch (_) {
      return new Date().toISOString().slice(0, 10);
    }
  }

  // ============================================================================ api
  class ApiError extends Error {
    constructor(code, status, detail) {
      super(code);
      this.code = code;
      this.status = status;
      this.detail = detail || {};
      this.retryAfter = detail && Number.isFinite(detail.retry_after) ? detail.retry_after : null;
    }
  }

  async function api(method, path, body) {
    const headers = { Accept: "application/json", "Accept-Language": state.lang };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (state.token) headers.Authorization = "Bearer " + state.token;
    let res;
    try {
      res = await fetch(API + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
        credentials: "same-origin",
      });
    } catch (_) {
      throw new ApiError("network", 0);
    }
    let data = null;
    if (res.status !== 204) {
      try {
        data = await res.json();
      } catch (_) {
        data = null;
      }
    }
    if (!res.ok) {
      const detail = data && data.detail;
      let code = "generic";
      const obj = detail && typeof detail === "object" && !Array.isArray(detail) ? detail : null;
      if (obj && typeof obj.code === "string") code = obj.code;
      else if (res.status === 401) code = "unauthorized";
      if (res.status === 401 && path !== "/login") sessionExpired();
      throw new ApiError(code, res.status, obj);
    }
    return data;
  }

  const enc = encodeURIComponent;

  // ======================================================================== banners
  // A server message (already in the seller's language) wins over our own text for the code.
  function errorText(err) {
    if (typeof err === "string") return t(err);
    const key = "err_" + (err && err.code);
    const vars = err && err.retryAfter != null ? { seconds: err.retryAfter } : undefined;
    if (err && err.detail && typeof err.detail.message === "string" && err.detail.message) return err.detail.message;
    return STRINGS.tr[key] != null ? t(key, vars) : t("err_generic");
  }

  function showError(err) {
    state.error = errorText(err);
    renderError();
  }

  function clearError() {
    state.error = null;
    renderError();
  }

  function renderError() {
    ui.errorRegion.replaceChildren();
    if (!state.error) return;
    const banner = h("div", { class: "banner banner--error", "data-testid": "error-banner" });
    banner.append(h("span", { class: "banner-text", "data-testid": "error-text" }, state.error));
    const close = h("button", { type: "button", "data-testid": "error-dismiss" }, t("dismiss"));
    close.addEventListener("click", clearError);
    banner.append(close);
    ui.errorRegion.append(banner);
  }

  function notify(key) {
    state.notice = key;
    renderNotice();
    clearTimeout(timers.notice);
    timers.notice = setTimeout(() => {
      state.notice = null;
      renderNotice();
    }, NOTICE_MS);
  }

  function renderNotice() {
    ui.noticeRegion.replaceChildren();
    if (!state.notice) return;
    ui.noticeRegion.append(h("div", { class: "banner banner--notice", "data-testid": "notice" }, t(state.notice)));
  }

  // ==================================================================== static strings
  function applyStaticStrings() {
    document.documentElement.lang = state.lang;
    document.title = t("pageTitle");
    for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
    for (const el of document.querySelectorAll("[data-i18n-placeholder]")) {
      el.setAttribute("placeholder", t(el.dataset.i18nPlaceholder));
    }
    for (const el of document.querySelectorAll("[data-i18n-aria-label]")) {
      el.setAttribute("aria-label", t(el.dataset.i18nAriaLabel));
    }
    ui.loginLanguage.value = state.lang;
    if (state.user) ui.filterOrder.setAttribute("placeholder", market() + "12345678");
  }

  function renderAll() {
    applyStaticStrings();
    renderError();
    renderNotice();
    renderHeader();
    renderInbox();
    renderThread();
    renderStatusOptions();
    renderMetrics();
  }

  function renderHeader() {
    const signedIn = !!state.user;
    ui.who.hidden = !signedIn;
    ui.logout.hidden = !signedIn;
    if (signedIn) {
      ui.who.textContent = t("signedInAs", { name: state.user.display_name, seller: state.user.seller.name });
    }
  }

  // ========================================================================== inbox
  function elapsedMs(since) {
    return since ? performance.now() - since : 0;
  }

  function clockText(secondsLeft, since) {
    const ms = secondsLeft * 1000 - elapsedMs(since);
    return ms >= 0 ? t("leftWall", { time: duration(ms) }) : t("lateWall", { time: duration(ms) });
  }

  function renderInbox() {
    const list = ui.inboxList;
    const focused = document.activeElement && list.contains(document.activeElement) ? document.activeElement.dataset.order : null;
    list.replaceChildren();
    ui.inboxEmpty.hidden = state.threads.length > 0;
    const waiting = state.counts ? state.counts.unanswered : state.threads.filter((r) => r.open_questions).length;
    ui.inboxCount.textContent = String(waiting);
    ui.inboxCount.title = t("inboxCount", { n: waiting });
    for (const row of state.threads) {
      const li = h("li");
      const btn = h("button", {
        type: "button",
        class: "thread-btn" + (row.overdue ? " is-overdue" : ""),
        "data-testid": "seller-thread-" + row.order_number,
        "data-order": row.order_number,
        "data-state": row.state,
        "aria-current": row.order_number === state.selected ? "true" : null,
      });
      const top = h("span", { class: "row-top" });
      top.append(h("span", { class: "order-no" }, row.order_number));
      if (row.urgent) top.append(h("span", { class: "flag flag--urgent", "data-testid": "thread-urgent" }, t("urgent")));
      if (row.overdue) top.append(h("span", { class: "flag flag--overdue", "data-testid": "thread-overdue" }, t("overdue")));
      if (row.escalated) top.append(h("span", { class: "flag flag--notice", "data-testid": "thread-escalated" }, t("escalated")));
      if (!row.open_questions) top.append(h("span", { class: "flag flag--done", "data-testid": "thread-answered" }, t("answeredFlag")));
      btn.append(top);
      if (row.preview) btn.append(h("span", { class: "preview" }, row.preview));
      const sub = h("span", { class: "sub" });
      if (row.buyer_name) sub.append(h("span", null, row.buyer_name));
      if (row.open_questions) sub.append(h("span", null, t("openCount", { n: row.open_questions })));
      btn.append(sub);
      if (row.next_due) {
        const clocks = h("span", { class: "sub" });
        clocks.append(h("span", { "data-testid": "thread-due" }, t("due", { due: when(row.next_due) + " (" + t("zone_" + row.market) + ")" })));
        clocks.append(
          h("span", {
            class: row.overdue ? "late" : null,
            "data-testid": "thread-left",
            "data-seconds-left": String(row.seconds_left),
          }, clockText(row.seconds_left, state.fetchedAt)),
        );
        if (!row.overdue && row.business_hours_left != null) {
          clocks.append(h("span", { "data-testid": "thread-business-hours" }, t("businessLeft", { n: number(row.business_hours_left) })));
        }
        btn.append(clocks);
      }
      btn.addEventListener("click", () => selectThread(row.order_number));
      li.append(btn);
      list.append(li);
    }
    if (focused) {
      const again = list.querySelector(`[data-order="${CSS.escape(focused)}"]`);
      if (again) again.focus();
    }
  }

  function tickClocks() {
    for (const el of document.querySelectorAll("[data-seconds-left]")) {
      const since = ui.inboxList.contains(el) ? state.fetchedAt : state.detailAt;
      el.textContent = clockText(Number(el.dataset.secondsLeft), since);
    }
  }

  // ========================================================================= thread
  function openQuestions() {
    return state.detail ? state.detail.items.filter((i) => i.type === "question" && i.state === "open") : [];
  }

  function renderThread() {
    const d = state.detail;
    ui.threadEmpty.hidden = !!d;
    ui.threadBody.hidden = !d;
    ui.statusPanel.hidden = !d;
    if (!d) {
      ui.threadTitle.textContent = "";
      return;
    }
    ui.threadTitle.textContent = t("threadTitle", { order: d.order.number });
    renderOrderInfo();
    renderTimeline();
    renderComposer();
  }

  function renderOrderInfo() {
    const d = state.detail;
    const dl = h("dl");
    const add = (term, value, testid) => {
      dl.append(h("dt", null, term));
      dl.append(h("dd", testid ? { "data-testid": testid } : null, value));
    };
    add(t("orderStatus"), label("order_", d.order.status), "order-status");
    if (d.thread.buyer_name) add(t("buyer"), d.thread.buyer_name);
    add(t("placed"), when(d.order.placed_at));
    const products = (d.order.items || []).map((i) => (i.quantity > 1 ? `${i.quantity} × ` : "") + i.product_name);
    if (products.length) add(t("products"), products.join(", "));
    ui.orderInfo.replaceChildren(dl);
  }

  function renderTimeline() {
    const log = ui.timeline;
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    log.setAttribute("aria-busy", "true");
    log.replaceChildren();
    for (const item of state.detail.items) log.append(itemElement(item));
    log.removeAttribute("aria-busy");
    if (atBottom || !log.dataset.order || log.dataset.order !== state.detail.order.number) log.scrollTop = log.scrollHeight;
    log.dataset.order = state.detail.order.number;
  }

  function itemElement(item) {
    const type = ["question", "answer", "status", "notice"].includes(item.type) ? item.type : "notice";
    const el = h("div", {
      class: "item item--" + type + (type === "question" && item.id === state.target ? " is-target" : ""),
      "data-testid": "thread-" + type,
      "data-item-id": item.id != null ? String(item.id) : null,
    });
    const head = h("div", { class: "item-head" });
    if (type === "question") {
      head.append(h("span", { class: "item-who" }, t("who_buyer")));
      if (item.urgent) head.append(h("span", { class: "flag flag--urgent", "data-testid": "question-urgent" }, t("urgent")));
      const cls = item.state === "open" ? (item.overdue ? "flag--overdue" : "flag--open") : item.state === "answered" ? "flag--done" : "flag--closed";
      head.append(h("span", { class: "flag " + cls, "data-testid": "question-state" }, item.overdue ? t("overdue") : t("question_" + item.state)));
    } else if (type === "notice") {
      head.append(h("span", { class: "item-who" }, t("who_platform")));
    } else {
      head.append(h("span", { class: "item-who" }, item.author || item.author_name || ""));
    }
    const at = parseTime(item.created_at);
    if (at) head.append(h("time", { datetime: at.toISOString() }, when(item.created_at)));
    el.append(head);
    if (type === "question") {
      el.append(h("div", { class: "item-text", lang: market() === "PL" ? "pl" : "tr" }, item.text || ""));
      if (item.state === "open") {
        const clocks = h("div", { class: "item-head" });
        clocks.append(h("span", null, t("due", { due: when(item.answer_due) + " (" + t("zone_" + market()) + ")" })));
        clocks.append(h("span", {
          class: item.overdue ? "late" : null,
          "data-seconds-left": String(item.seconds_left),
        }, clockText(item.seconds_left, state.detailAt)));
        if (!item.overdue && item.business_hours_left != null) {
          clocks.append(h("span", null, t("businessLeft", { n: number(item.business_hours_left) })));
        }
        el.append(clocks);
        if (openQuestions().length > 1 && item.id !== state.target) {
          const pick = h("button", { type: "button", class: "btn", "data-testid": "answer-this" }, t("answerThis"));
          pick.addEventListener("click", () => {
            state.target = item.id;
            renderTimeline();
            renderComposer();
            ui.answerInput.focus();
          });
          el.append(pick);
        }
      }
    } else if (type === "answer") {
      el.append(h("div", { class: "item-text" }, item.text || ""));
    } else if (type === "status") {
      const box = h("div", { class: "item-text" });
      box.append(h("strong", { "data-testid": "status-name" }, label("status_", item.status)));
      if (item.status === "shipped") {
        box.append(document.createTextNode("\n" + t("shippingLine", {
          carrier: item.carrier || "",
          tracking: item.tracking_number || "",
          date: dateOnly(item.expected_date),
        })));
      }
      if (item.note) box.append(document.createTextNode("\n" + item.note));
      el.append(box);
    } else {
      const key = item.code === "escalated" ? "notice_escalated" : "notice_closed";
      el.append(h("div", { class: "item-text" }, t(key, { ref: item.ticket_reference || "–" })));
    }
    return el;
  }

  function renderComposer() {
    const open = openQuestions();
    if (!open.some((q) => q.id === state.target)) state.target = open.length ? open[0].id : null;
    ui.answerForm.hidden = !state.target;
    ui.noOpen.hidden = !!state.target;
    if (state.target) {
      const q = open.find((x) => x.id === state.target);
      const quoted = (q.text || "").length > 60 ? q.text.slice(0, 60) + "…" : q.text || "";
      ui.answerLabel.textContent = t("answerTo", { text: quoted });
      ui.answerForm.dataset.questionId = String(state.target);
    }
    renderRefusal(ui.answerRefusal, state.answerRefusal, "refusedTitle");
    ui.answerSend.disabled = busy.answer;
  }

  function renderRefusal(box, refusal, titleKey) {
    box.replaceChildren();
    box.hidden = !refusal;
    if (!refusal) return;
    if (refusal.reasons && refusal.reasons.length) {
      box.append(h("strong", null, t(titleKey)));
      const ul = h("ul");
      refusal.reasons.forEach((text, i) => ul.append(h("li", { "data-testid": "refusal-reason", "data-code": refusal.codes[i] || null }, text)));
      box.append(ul);
    } else {
      box.append(h("span", { "data-testid": "refusal-reason", "data-code": refusal.code || null }, refusal.message));
    }
  }

  function refusalOf(err) {
    const detail = err.detail || {};
    return {
      code: err.code,
      codes: Array.isArray(detail.reasons) ? detail.reasons : [],
      reasons: Array.isArray(detail.reason_messages) ? detail.reason_messages.map(String) : [],
      message: errorText(err),
    };
  }

  // =================================================================== status form
  function renderStatusOptions() {
    if (!state.user) return;
    const current = ui.statusSelect.value;
    ui.statusSelect.replaceChildren();
    for (const code of state.user.statuses || []) ui.statusSelect.append(h("option", { value: code }, label("status_", code)));
    if (current) ui.statusSelect.value = current;
    const carrier = ui.statusCarrier.value;
    ui.statusCarrier.replaceChildren();
    for (const name of state.user.carriers || []) ui.statusCarrier.append(h("option", { value: name }, name));
    if (carrier) ui.statusCarrier.value = carrier;
    ui.statusDate.min = todayInMarket();
    toggleShipping();
    renderRefusal(ui.statusRefusal, state.statusRefusal, "statusRefusedTitle");
  }

  function toggleShipping() {
    ui.shippingFields.hidden = ui.statusSelect.value !== "shipped";
  }

  // ======================================================================== metrics
  function renderMetrics() {
    const m = state.metrics;
    const set = (el, text, bad) => {
      el.textContent = text;
      el.classList.toggle("is-bad", !!bad);
    };
    if (!m) {
      for (const el of [ui.metricShare, ui.metricMedian, ui.metricOverdue, ui.metricQuestions]) set(el, "–");
      return;
    }
    let share = "–";
    if (m.share_in_time != null) {
      const pct = number(m.share_in_time * 100, 0);
      share = state.lang === "tr" ? "%" + pct : pct + "%"; // %90 in Turkish, 90% in Polish
    }
    set(ui.metricShare, share, m.share_in_time != null && m.share_in_time < 0.9);
    set(ui.metricMedian, m.median_business_hours == null ? "–" : t("metricHours", { n: number(m.median_business_hours) }));
    set(ui.metricOverdue, String(m.open_overdue), m.open_overdue > 0);
    set(ui.metricQuestions, String(m.questions));
  }

  // ======================================================================== actions
  async function refreshInbox() {
    if (!state.token) return;
    const params = new URLSearchParams();
    params.set("state", state.filter.state);
    if (state.filter.order) params.set("order_number", state.filter.order);
    try {
      const body = await api("GET", "/threads?" + params.toString());
      state.threads = Array.isArray(body.threads) ? body.threads : [];
      state.counts = body.counts || null;
      state.fetchedAt = performance.now();
      renderInbox();
    } catch (err) {
      if (err.status !== 401) showError(err);
    }
  }

  async function refreshThread() {
    if (!state.selected || !state.token) return;
    try {
      const body = await api("GET", "/threads/" + enc(state.selected));
      state.detail = body;
      state.detailAt = performance.now();
      renderThread();
    } catch (err) {
      if (err.status === 404) {
        state.selected = null;
        state.detail = null;
        renderThread();
      }
      if (err.status !== 401) showError(err);
    }
  }

  async function refreshMetrics() {
    if (!state.token) return;
    try {
      state.metrics = await api("GET", "/metrics");
      renderMetrics();
    } catch (err) {
      if (err.status !== 401) showError(err);
    }
  }

  async function selectThread(order) {
    if (state.selected !== order) {
      state.target = null;
      state.answerRefusal = null;
      state.statusRefusal = null;
      ui.answerInput.value = "";
    }
    state.selected = order;
    renderInbox();
    await refreshThread();
  }

  async function sendAnswer() {
    if (busy.answer || !state.target) return;
    const text = ui.answerInput.value.trim();
    if (!text) {
      state.answerRefusal = { code: "empty_answer", codes: [], reasons: [], message: t("err_empty_answer") };
      renderComposer();
      return;
    }
    busy.answer = true;
    ui.answerSend.disabled = true;
    try {
      await api("POST", "/questions/" + enc(String(state.target)) + "/answer", { text });
      ui.answerInput.value = "";
      state.answerRefusal = null;
      clearError();
      notify("notice_answered");
      await Promise.all([refreshThread(), refreshInbox(), refreshMetrics()]);
    } catch (err) {
      if (err.status === 401) return;
      state.answerRefusal = refusalOf(err);
      if (err.status === 409) await refreshThread();
    } finally {
      busy.answer = false;
      renderComposer();
    }
  }

  async function sendStatus() {
    if (busy.status || !state.selected) return;
    const body = { status: ui.statusSelect.value };
    if (body.status === "shipped") {
      body.carrier = ui.statusCarrier.value;
      body.tracking_number = ui.statusTracking.value.trim();
      body.expected_date = ui.statusDate.value || null;
    }
    const note = ui.statusNote.value.trim();
    if (note) body.note = note;
    busy.status = true;
    ui.statusSubmit.disabled = true;
    try {
      await api("POST", "/orders/" + enc(state.selected) + "/status-updates", body);
      state.statusRefusal = null;
      ui.statusNote.value = "";
      ui.statusTracking.value = "";
      ui.statusDate.value = "";
      notify("notice_statusSent");
      await Promise.all([refreshThread(), refreshInbox()]);
    } catch (err) {
      if (err.status === 401) return;
      state.statusRefusal = refusalOf(err);
    } finally {
      busy.status = false;
      ui.statusSubmit.disabled = false;
      renderRefusal(ui.statusRefusal, state.statusRefusal, "statusRefusedTitle");
    }
  }

  async function login(event) {
    event.preventDefault();
    if (busy.login) return;
    const username = ui.username.value.trim();
    const password = ui.password.value;
    if (!username || !password) {
      showError("err_fill_login");
      return;
    }
    busy.login = true;
    ui.loginSubmit.disabled = true;
    try {
      const body = await api("POST", "/login", { username, password, language: state.lang });
      state.token = body.token;
      saveToken(body.token);
      state.user = body.user;
      ui.password.value = "";
      clearError();
      startApp();
    } catch (err) {
      showError(err);
      ui.password.focus();
    } finally {
      busy.login = false;
      ui.loginSubmit.disabled = false;
    }
  }

  async function logout() {
    try {
      await api("POST", "/logout");
    } catch (_) {
      /* the session ends here either way */
    }
    endSession();
    notify("notice_loggedOut");
  }

  function sessionExpired() {
    endSession();
    showError("err_unauthorized");
  }

  function endSession() {
    stopTimers();
    state.token = null;
    saveToken(null);
    state.user = null;
    state.threads = [];
    state.detail = null;
    state.selected = null;
    state.metrics = null;
    state.target = null;
    showLogin();
  }

  function showLogin() {
    ui.appView.hidden = true;
    ui.loginView.hidden = false;
    renderAll();
    ui.username.focus();
  }

  function startApp() {
    if (state.user && LANGS.includes(state.user.language)) state.lang = state.user.language; // the seller's language
    ui.loginView.hidden = true;
    ui.appView.hidden = false;
    renderAll();
    refreshInbox();
    refreshMetrics();
    startTimers();
  }

  // ========================================================================= timers
  function startTimers() {
    stopTimers();
    timers.poll = setInterval(() => {
      refreshInbox();
      refreshThread();
    }, POLL_MS);
    timers.metrics = setInterval(refreshMetrics, METRICS_POLL_MS);
    timers.tick = setInterval(tickClocks, TICK_MS);
  }

  function stopTimers() {
    clearInterval(timers.poll);
    clearInterval(timers.metrics);
    clearInterval(timers.tick);
  }

  // =========================================================================== boot
  function bindUi() {
    Object.assign(ui, {
      errorRegion: $("error-region"),
      noticeRegion: $("notice-region"),
      who: $("who"),
      logout: $("logout"),
      loginView: $("login-view"),
      loginForm: $("login-form"),
      loginLanguage: $("login-language"),
      username: $("login-username"),
      password: $("login-password"),
      loginSubmit: $("login-submit"),
      appView: $("app-view"),
      inboxCount: $("inbox-count"),
      filterForm: $("filter-form"),
      filterState: $("filter-state"),
      filterOrder: $("filter-order"),
      inboxEmpty: $("inbox-empty"),
      inboxList: $("inbox-list"),
      threadTitle: $("thread-title"),
      threadEmpty: $("thread-empty"),
      threadBody: $("thread-body"),
      orderInfo: $("order-info"),
      timeline: $("timeline"),
      answerForm: $("answer-form"),
      answerLabel: $("answer-label"),
      answerInput: $("answer-input"),
      answerRefusal: $("answer-refusal"),
      answerSend: $("answer-send"),
      noOpen: $("no-open"),
      statusPanel: $("status-panel"),
      statusForm: $("status-form"),
      statusSelect: $("status-select"),
      shippingFields: $("shipping-fields"),
      statusCarrier: $("status-carrier"),
      statusTracking: $("status-tracking"),
      statusDate: $("status-date"),
      statusNote: $("status-note"),
      statusRefusal: $("status-refusal"),
      statusSubmit: $("status-submit"),
      metricShare: $("metric-share"),
      metricMedian: $("metric-median"),
      metricOverdue: $("metric-overdue"),
      metricQuestions: $("metric-questions"),
    });
    ui.loginLanguage.addEventListener("change", () => {
      state.lang = LANGS.includes(ui.loginLanguage.value) ? ui.loginLanguage.value : "tr";
      try {
        localStorage.setItem(LANG_KEY, state.lang);
      } catch (_) {
        /* only this page remembers */
      }
      state.error = null;
      renderAll();
    });
    ui.loginForm.addEventListener("submit", login);
    ui.logout.addEventListener("click", logout);
    ui.filterForm.addEventListener("submit", (event) => {
      event.preventDefault();
      state.filter = { state: ui.filterState.value, order: ui.filterOrder.value.trim() };
      refreshInbox();
    });
    ui.filterState.addEventListener("change", () => {
      state.filter = { state: ui.filterState.value, order: ui.filterOrder.value.trim() };
      refreshInbox();
    });
    ui.answerForm.addEventListener("submit", (event) => {
      event.preventDefault();
      sendAnswer();
    });
    ui.answerInput.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        sendAnswer();
      }
    });
    ui.statusSelect.addEventListener("change", toggleShipping);
    ui.statusForm.addEventListener("submit", (event) => {
      event.preventDefault();
      sendStatus();
    });
  }

  async function boot() {
    bindUi();
    applyStaticStrings();
    if (!state.token) {
      showLogin();
      return;
    }
    try {
      state.user = await api("GET", "/me");
      startApp();
    } catch (err) {
      if (err.status === 401) return; // sessionExpired() showed the login form
      state.token = null;
      saveToken(null);
      showLogin();
      showError(err);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot, { once: true });
  else boot();
})();
