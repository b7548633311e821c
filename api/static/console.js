/*!
 * marketdesk agent console. Vanilla JS, no build step, no dependencies; served at /console.
 *
 * Talks to /api/v1/console (see api/routers/console.py): bearer token from POST /login kept
 * in sessionStorage; a WebSocket for live news (queue_changed, and the messages of the
 * conversations this console asked to watch).
 *
 * Everything shown comes from buyers, agents or the bot: it is rendered with textContent /
 * createElement only, never as markup.
 *
 * Sections: config, strings, state, helpers, api, banners, rendering (queue, mine,
 * conversation, seller threads, notes, tickets), actions, live socket, timers, boot.
 */
(() => {
  "use strict";

  // ========================================================================= config
  const API = "/api/v1/console";
  const LANGS = ["tr", "pl"];
  const LOCALES = { tr: "tr-TR", pl: "pl-PL" };
  const ZONES = { TR: "Europe/Istanbul", PL: "Europe/Warsaw" };
  const TOKEN_KEY = "marketdesk-console:token";
  const LANG_KEY = "marketdesk-console:lang";
  const POLL_MS = 10000; // queue + my conversations, in case a queue_changed frame was missed
  const TICKETS_POLL_MS = 30000;
  const BACKOFF_BASE_MS = 500;
  const BACKOFF_MAX_MS = 15000;
  const TYPING_IDLE_MS = 3000; // no keystroke this long: typing off
  const TYPING_REFRESH_MS = 4000; // at most one "typing on" per this while typing goes on
  const REFRESH_DEBOUNCE_MS = 150;
  const NOTICE_MS = 6000;

  // ======================================================================== strings
  // Every visible or announced string, in Turkish and Polish. {name} placeholders via t().
  const STRINGS = {
    tr: {
      pageTitle: "marketdesk · Temsilci konsolu",
      // Life cycle notices (api/helpdesk/idle.py, reopen.py): frames on the agent's notice channel.
      idleReminderAgent: "Bir sohbette {minutes} dakikadır yazışma yok: lütfen müşteriye dönün.",
      idleReminderSupervisor: "{agent} adlı temsilcinin sohbetinde {minutes} dakikadır yazışma yok.",
      ticketMessage: "Müşteri, açık talebe ({reference}) yeni bir mesaj yazdı.",
      reopenedLabel: "Yeniden açıldı",
      reopenedHint: "Müşteri çözümden sonra döndü ({n}. kez); önceki yazışma aşağıda.",
      previousLabel: "Önceki sohbet",
      abandonedFormLabel: "Yarım kalan form",
      appTitle: "marketdesk · Temsilci konsolu",
      uiLanguage: "Arayüz dili",
      presence: "Durum",
      presence_online: "Çevrimiçi",
      presence_away: "Uzakta",
      presence_offline: "Çevrimdışı",
      logout: "Çıkış yap",
      signedInAs: "Temsilci: {name}",
      loginTitle: "Temsilci girişi",
      username: "Kullanıcı adı",
      password: "Şifre",
      loginButton: "Giriş yap",
      dismiss: "Kapat",
      connLive: "Canlı bağlantı açık",
      connDown: "Canlı bağlantı koptu, yeniden bağlanılıyor…",
      queueTitle: "Bekleyenler",
      queueEmpty: "Sırada bekleyen görüşme yok.",
      queueCount: "{n} görüşme bekliyor",
      mineTitle: "Görüşmelerim",
      mineEmpty: "Üzerinizde görüşme yok.",
      claim: "Üstlen",
      claimLabel: "Görüşmeyi üstlen: {who}",
      wait: "Bekleme {time}",
      priority: "Öncelik {p} (etkin {e})",
      accessibility: "Erişilebilirlik",
      accessibilityHint: "Müşteri erişilebilirlik desteği istedi: yazılı destek ve öncelikli yönlendirme.",
      reasonShort: "Neden: {reason}",
      unread: "Yeni mesaj",
      anonymous: "Giriş yapmamış ziyaretçi",
      conversationTitle: "Görüşme",
      noSelection: "Soldaki listeden bir görüşme seçin ya da sıradan bir görüşme üstlenin.",
      handoffTitle: "Devir özeti ve toplanan bilgiler",
      buyerLabel: "Müşteri",
      marketLabel: "Pazar / dil",
      stateLabel: "Durum",
      reasonLabel: "Neden",
      topicLabel: "Konu",
      priorityLabel: "Öncelik",
      waitedLabel: "Sırada bekleme",
      summaryLabel: "Özet",
      noDetails: "Asistan ek bilgi toplamadı.",
      transcriptLabel: "Görüşme dökümü",
      readOnly: "Bu görüşme şu anda sizde değil; yalnızca okuyabilir ve not ekleyebilirsiniz.",
      canned: "Hazır yanıt",
      cannedPlaceholder: "Hazır yanıt seçin…",
      replyLabel: "Yanıtınız",
      replyPlaceholder: "Yanıtınızı yazın…",
      replyHint: "Enter gönderir, Shift+Enter yeni satır ekler.",
      send: "Gönder",
      sender_buyer: "Müşteri",
      sender_bot: "Asistan",
      sender_agent: "Temsilci",
      sender_system: "Sistem",
      offered: "Sunulan seçenekler",
      attachmentAlt: "Müşterinin gönderdiği görsel: {name}",
      attachmentOpen: "Görseli tam boyutta aç: {name}",
      actionsTitle: "İşlemler",
      transferLanguage: "Başka dile aktar",
      transfer: "Aktar",
      resolve: "Çözüldü, kapat",
      handback: "Asistana devret",
      notesTitle: "İç notlar",
      noteLabel: "Yeni not (müşteri görmez)",
      noteSave: "Notu kaydet",
      notesEmpty: "Henüz not yok.",
      ticketsTitle: "Talepler ve SLA süreleri",
      ticketsEmpty: "Açık talep yok.",
      thisConversation: "Bu görüşme",
      firstResponse: "İlk yanıt",
      resolution: "Çözüm",
      dueLine: "{label}: {due} ({zone})",
      dueIn: "{time} kaldı",
      overdue: "{time} gecikti",
      answered: "yanıtlandı",
      breached: "SLA aşıldı",
      breachedWhich: "Aşılan: {which}",
      hoursLeft: "Kalan iş saati: {n}",
      zone_TR: "İstanbul saati",
      zone_PL: "Varşova saati",
      dur_d: "{n} g",
      dur_h: "{n} sa",
      dur_m: "{n} dk",
      langName_tr: "Türkçe",
      langName_pl: "Lehçe",
      market_TR: "Türkiye",
      market_PL: "Polonya",
      state_bot: "Asistanda",
      state_queued: "Sırada",
      state_with_agent: "Temsilcide",
      state_resolved: "Kapandı",
      status_open: "Açık",
      status_pending: "Müşteri bekleniyor",
      status_resolved: "Çözüldü",
      prio_urgent: "Acil",
      prio_high: "Yüksek",
      prio_normal: "Normal",
      prio_low: "Düşük",
      reason_buyer_request: "Müşteri talebi",
      reason_bot_did_not_understand: "Asistan anlayamadı",
      reason_form_failed: "Asistan bilgileri toplayamadı",
      reason_bot_unavailable: "Asistan yanıt vermedi",
      reason_security_hold: "Güvenlik blokesi",
      reason_account_suspension: "Hesap askıya alındı",
      reason_second_return_rejection: "İade ikinci kez reddedildi",
      topic_general: "Genel",
      topic_track_order: "Sipariş takibi",
      topic_cancel_order: "Sipariş iptali",
      topic_return_request: "İade talebi",
      topic_return_status: "İade durumu",
      topic_return_rejected: "Reddedilen iade",
      topic_digital_code_issue: "Dijital kod sorunu",
      topic_wallet_frozen: "Bakiye blokesi",
      topic_delivered_not_received: "Teslim edildi görünüyor, ulaşmadı",
      topic_damaged_item: "Hasarlı ürün",
      topic_wrong_or_missing_item: "Yanlış veya eksik ürün",
      topic_contact_seller: "Satıcıyla iletişim",
      topic_account_restricted: "Hesap kısıtlaması",
      topic_complaint: "Şikâyet",
      detail_order_number: "Sipariş no",
      detail_return_code: "İade kodu",
      detail_language: "Dil",
      detail_market: "Pazar",
      detail_buyer_id: "Müşteri no",
      sender_seller: "Satıcı",
      threadsTitle: "Satıcı yazışmaları (salt okunur)",
      threadsHint: "Alıcı ile satıcı arasındaki yazışma; buradan yazılamaz.",
      threadsZone: "Saatler: {zone}.",
      threadOrder: "Sipariş {order} · {seller}",
      threadEmpty: "Bu sipariş için satıcıyla yazışma yok.",
      threadOpenQuestions: "Yanıt bekleyen soru: {n}",
      flagUrgent: "Acil",
      flagOverdue: "Süresi geçti",
      flagEscalated: "Platform desteğine aktarıldı",
      flagClosed: "Kapatıldı",
      flagAnswered: "Yanıtlandı",
      entry_question: "Alıcının sorusu",
      entry_followup: "Alıcının satıcıya yanıtı",
      entry_answer: "Satıcının yanıtı",
      entry_status: "Satıcının durum güncellemesi",
      entry_escalation: "Satıcı süresinde yanıt vermedi; {ticket} numaralı talep açıldı.",
      entryBuyer: "Alıcı",
      entrySeller: "{name} (satıcı)",
      entryPlatform: "Platform",
      entryAnswerDue: "Yanıt süresi: {due}",
      entryFromHere: "bu görüşmeden",
      entryQuestionRef: "Soru #{id}",
      caseStatus_return_received: "İade satıcıya ulaştı",
      caseStatus_repair_started: "Onarım başladı",
      caseStatus_repair_finished: "Onarım tamamlandı, gönderime hazır",
      caseStatus_shipped: "Kargoya verildi",
      caseStatus_replacement_sent: "Yeni ürün gönderildi",
      shipmentLine: "{carrier}, takip no {tracking}, tahmini teslim {date}",
      sellerNote: "Not: {text}",
      ticketOpen: "Görüşmeyi aç",
      ticketOpenLabel: "{ref} talebinin görüşmesini aç",
      notice_claimed: "Görüşmeyi üstlendiniz.",
      notice_transferred: "Görüşme {lang} sırasına aktarıldı.",
      notice_resolved: "Görüşme çözüldü olarak kapatıldı.",
      notice_handedBack: "Görüşme asistana devredildi.",
      notice_noteSaved: "Not kaydedildi ({ticket}).",
      notice_loggedOut: "Çıkış yaptınız.",
      err_invalid_credentials: "Kullanıcı adı veya şifre hatalı.",
      err_too_many_logins: "Çok fazla giriş denemesi. Lütfen biraz sonra tekrar deneyin.",
      err_account_locked: "Çok sayıda hatalı giriş denemesi nedeniyle bu hesap geçici olarak kilitlendi. {seconds} saniye sonra tekrar deneyin.",
      err_supervisor_only: "Bu işlem yalnızca süpervizörlere açıktır.",
      err_unauthorized: "Oturumunuz sona erdi. Lütfen tekrar giriş yapın.",
      err_already_claimed: "Bu görüşmeyi başka bir temsilci üstlendi.",
      err_at_capacity: "Aynı anda yürütebileceğiniz görüşme sınırına ulaştınız.",
      err_wrong_language: "Bu görüşmenin dili için yetkiniz yok.",
      err_not_yours: "Bu görüşme artık sizde değil.",
      err_unknown_conversation: "Görüşme bulunamadı.",
      err_empty_message: "Boş mesaj gönderilemez.",
      err_invalid: "Girilen bilgi geçersiz.",
      err_fill_login: "Kullanıcı adınızı ve şifrenizi girin.",
      err_network: "Sunucuya ulaşılamadı. Bağlantınızı kontrol edip tekrar deneyin.",
      err_generic: "Bir sorun oluştu. Lütfen tekrar deneyin.",
    },
    pl: {
      pageTitle: "marketdesk · Konsola konsultanta",
      idleReminderAgent: "W jednej z rozmów od {minutes} min nikt nie pisze: wróć do klienta.",
      idleReminderSupervisor: "W rozmowie konsultanta {agent} od {minutes} min nikt nie pisze.",
      ticketMessage: "Klient napisał nową wiadomość do otwartego zgłoszenia ({reference}).",
      reopenedLabel: "Ponownie otwarta",
      reopenedHint: "Klient wrócił po rozwiązaniu ({n}. raz); wcześniejsza rozmowa poniżej.",
      previousLabel: "Poprzednia rozmowa",
      abandonedFormLabel: "Porzucony formularz",
      appTitle: "marketdesk · Konsola konsultanta",
      uiLanguage: "Język interfejsu",
      presence: "Status",
      presence_online: "Dostępny",
      presence_away: "Zaraz wracam",
      presence_offline: "Niedostępny",
      logout: "Wyloguj",
      signedInAs: "Konsultant: {name}",
      loginTitle: "Logowanie konsultanta",
      username: "Nazwa użytkownika",
      password: "Hasło",
      loginButton: "Zaloguj",
      dismiss: "Zamknij",
      connLive: "Połączenie na żywo aktywne",
      connDown: "Połączenie przerwane, łączę ponownie…",
      queueTitle: "Kolejka",
      queueEmpty: "Nikt nie czeka w kolejce.",
      queueCount: "Czekających rozmów: {n}",
      mineTitle: "Moje rozmowy",
      mineEmpty: "Nie prowadzisz teraz żadnej rozmowy.",
      claim: "Przejmij",
      claimLabel: "Przejmij rozmowę: {who}",
      wait: "Czeka {time}",
      priority: "Priorytet {p} (efektywny {e})",
      accessibility: "Dostępność",
      accessibilityHint: "Kupujący prosi o wsparcie dostępności: pomoc pisemna i pierwszeństwo w kolejce.",
      reasonShort: "Powód: {reason}",
      unread: "Nowa wiadomość",
      anonymous: "Niezalogowany gość",
      conversationTitle: "Rozmowa",
      noSelection: "Wybierz rozmowę z listy albo przejmij rozmowę z kolejki.",
      handoffTitle: "Podsumowanie przekazania i zebrane dane",
      buyerLabel: "Kupujący",
      marketLabel: "Rynek / język",
      stateLabel: "Status",
      reasonLabel: "Powód",
      topicLabel: "Temat",
      priorityLabel: "Priorytet",
      waitedLabel: "Czekanie w kolejce",
      summaryLabel: "Podsumowanie",
      noDetails: "Asystent nie zebrał dodatkowych danych.",
      transcriptLabel: "Przebieg rozmowy",
      readOnly: "Ta rozmowa nie jest teraz przypisana do Ciebie; możesz ją czytać i dodawać notatki.",
      canned: "Gotowa odpowiedź",
      cannedPlaceholder: "Wybierz gotową odpowiedź…",
      replyLabel: "Twoja odpowiedź",
      replyPlaceholder: "Napisz odpowiedź…",
      replyHint: "Enter wysyła, Shift+Enter dodaje nową linię.",
      send: "Wyślij",
      sender_buyer: "Kupujący",
      sender_bot: "Asystent",
      sender_agent: "Konsultant",
      sender_system: "System",
      offered: "Zaproponowane opcje",
      attachmentAlt: "Zdjęcie od kupującego: {name}",
      attachmentOpen: "Otwórz zdjęcie w pełnym rozmiarze: {name}",
      actionsTitle: "Działania",
      transferLanguage: "Przekaż do kolejki w języku",
      transfer: "Przekaż",
      resolve: "Rozwiązane, zamknij",
      handback: "Oddaj asystentowi",
      notesTitle: "Notatki wewnętrzne",
      noteLabel: "Nowa notatka (kupujący jej nie widzi)",
      noteSave: "Zapisz notatkę",
      notesEmpty: "Brak notatek.",
      ticketsTitle: "Zgłoszenia i terminy SLA",
      ticketsEmpty: "Brak otwartych zgłoszeń.",
      thisConversation: "Ta rozmowa",
      firstResponse: "Pierwsza odpowiedź",
      resolution: "Rozwiązanie",
      dueLine: "{label}: {due} ({zone})",
      dueIn: "zostało {time}",
      overdue: "{time} po terminie",
      answered: "odpowiedziano",
      breached: "SLA przekroczone",
      breachedWhich: "Przekroczono: {which}",
      hoursLeft: "Pozostało godzin roboczych: {n}",
      zone_TR: "czas stambulski",
      zone_PL: "czas warszawski",
      dur_d: "{n} d.",
      dur_h: "{n} godz.",
      dur_m: "{n} min",
      langName_tr: "turecki",
      langName_pl: "polski",
      market_TR: "Turcja",
      market_PL: "Polska",
      state_bot: "U asystenta",
      state_queued: "W kolejce",
      state_with_agent: "U konsultanta",
      state_resolved: "Zamknięta",
      status_open: "Otwarte",
      status_pending: "Czeka na kupującego",
      status_resolved: "Rozwiązane",
      prio_urgent: "Pilny",
      prio_high: "Wysoki",
      prio_normal: "Normalny",
      prio_low: "Niski",
      reason_buyer_request: "Prośba kupującego",
      reason_bot_did_not_understand: "Asystent nie zrozumiał",
      reason_form_failed: "Asystent nie zebrał danych",
      reason_bot_unavailable: "Asystent nie odpowiadał",
      reason_security_hold: "Blokada bezpieczeństwa",
      reason_account_suspension: "Zawieszenie konta",
      reason_second_return_rejection: "Zwrot odrzucony po raz drugi",
      topic_general: "Ogólne",
      topic_track_order: "Śledzenie zamówienia",
      topic_cancel_order: "Anulowanie zamówienia",
      topic_return_request: "Zgłoszenie zwrotu",
      topic_return_status: "Status zwrotu",
      topic_return_rejected: "Odrzucony zwrot",
      topic_digital_code_issue: "Problem z kodem cyfrowym",
      topic_wallet_frozen: "Zablokowane saldo",
      topic_delivered_not_received: "Dostarczone, ale nie otrzymane",
      topic_damaged_item: "Uszkodzony produkt",
      topic_wrong_or_missing_item: "Błędny lub brakujący produkt",
      topic_contact_seller: "Kontakt ze sprzedawcą",
      topic_account_restricted: "Ograniczenie konta",
      topic_complaint: "Skarga",
      detail_order_number: "Nr zamówienia",
      detail_return_code: "Kod zwrotu",
      detail_language: "Język",
      detail_market: "Rynek",
      detail_buyer_id: "ID kupującego",
      sender_seller: "Sprzedawca",
      threadsTitle: "Korespondencja ze sprzedawcą (tylko do odczytu)",
      threadsHint: "Korespondencja kupującego ze sprzedawcą; tutaj nie można odpowiadać.",
      threadsZone: "Godziny: {zone}.",
      threadOrder: "Zamówienie {order} · {seller}",
      threadEmpty: "Brak korespondencji ze sprzedawcą w sprawie tego zamówienia.",
      threadOpenQuestions: "Pytania bez odpowiedzi: {n}",
      flagUrgent: "Pilne",
      flagOverdue: "Po terminie",
      flagEscalated: "Przekazano do obsługi platformy",
      flagClosed: "Zamknięte",
      flagAnswered: "Odpowiedziano",
      entry_question: "Pytanie kupującego",
      entry_followup: "Odpowiedź kupującego dla sprzedawcy",
      entry_answer: "Odpowiedź sprzedawcy",
      entry_status: "Aktualizacja statusu od sprzedawcy",
      entry_escalation: "Sprzedawca nie odpowiedział w terminie; utworzono zgłoszenie {ticket}.",
      entryBuyer: "Kupujący",
      entrySeller: "{name} (sprzedawca)",
      entryPlatform: "Platforma",
      entryAnswerDue: "Termin odpowiedzi: {due}",
      entryFromHere: "z tej rozmowy",
      entryQuestionRef: "Pytanie #{id}",
      caseStatus_return_received: "Sprzedawca otrzymał zwrot",
      caseStatus_repair_started: "Rozpoczęto naprawę",
      caseStatus_repair_finished: "Naprawa zakończona, produkt gotowy do wysyłki",
      caseStatus_shipped: "Wysłano",
      caseStatus_replacement_sent: "Wysłano produkt zastępczy",
      shipmentLine: "{carrier}, nr przesyłki {tracking}, przewidywana dostawa {date}",
      sellerNote: "Notatka: {text}",
      ticketOpen: "Otwórz rozmowę",
      ticketOpenLabel: "Otwórz rozmowę zgłoszenia {ref}",
      notice_claimed: "Rozmowa przejęta.",
      notice_transferred: "Rozmowa przekazana do kolejki: {lang}.",
      notice_resolved: "Rozmowa zamknięta jako rozwiązana.",
      notice_handedBack: "Rozmowa wróciła do asystenta.",
      notice_noteSaved: "Notatka zapisana ({ticket}).",
      notice_loggedOut: "Wylogowano.",
      err_invalid_credentials: "Nieprawidłowa nazwa użytkownika lub hasło.",
      err_too_many_logins: "Zbyt wiele prób logowania. Spróbuj ponownie za chwilę.",
      err_account_locked: "Po zbyt wielu nieudanych próbach logowania to konto jest tymczasowo zablokowane. Spróbuj ponownie za {seconds} s.",
      err_supervisor_only: "Ta operacja jest dostępna tylko dla przełożonych.",
      err_unauthorized: "Sesja wygasła. Zaloguj się ponownie.",
      err_already_claimed: "Tę rozmowę przejął już inny konsultant.",
      err_at_capacity: "Prowadzisz już maksymalną liczbę równoczesnych rozmów.",
      err_wrong_language: "Nie obsługujesz języka tej rozmowy.",
      err_not_yours: "Ta rozmowa nie jest już przypisana do Ciebie.",
      err_unknown_conversation: "Nie znaleziono rozmowy.",
      err_empty_message: "Nie można wysłać pustej wiadomości.",
      err_invalid: "Nieprawidłowe dane.",
      err_fill_login: "Podaj nazwę użytkownika i hasło.",
      err_network: "Brak połączenia z serwerem. Sprawdź połączenie i spróbuj ponownie.",
      err_generic: "Coś poszło nie tak. Spróbuj ponownie.",
    },
  };

  // ========================================================================== state
  const state = {
    lang: loadLang(),
    token: loadToken(),
    agent: null,
    queue: [],
    queueAt: 0, // performance.now() when the queue was fetched (the wait clocks tick from there)
    mine: [],
    tickets: [],
    selectedId: null,
    detail: null, // {conversation, messages: [], ids: Set, tickets, notes, threads}
    unread: new Set(),
    watched: new Set(),
    canned: {}, // lang -> responses
    error: null, // {key, vars}
    notice: null,
  };
  const conn = { ws: null, attempt: 0, timer: null, live: false };
  const timers = { poll: null, tickets: null, tick: null, refresh: null, notice: null, live: null };
  const typing = { on: false, lastSent: 0, idle: null, conversationId: null };
  const busy = { send: false, action: false, note: false, login: false };
  let liveBuffer = [];

  function loadLang() {
    try {
      const saved = localStorage.getItem(LANG_KEY);
      if (LANGS.includes(saved)) return saved;
    } catch (_) {
      /* storage disabled: Turkish */
    }
    return "tr";
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

  // A code from the api (topic, reason...) shown by its label, or as itself if unknown.
  function label(prefix, code) {
    if (code == null || code === "") return "–";
    const key = prefix + code;
    return STRINGS.tr[key] != null ? t(key) : String(code);
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

  function parseTime(value) {
    if (!value) return null;
    let s = String(value);
    if (!/(Z|[+-]\d\d:?\d\d)$/.test(s)) s += "Z"; // the api speaks UTC
    const d = new Date(s);
    return isNaN(d.getTime()) ? null : d;
  }

  function mmss(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    return String(Math.floor(s / 60)).padStart(2, "0") + ":" + String(s % 60).padStart(2, "0");
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

  function number(n) {
    return new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(Number(n) || 0);
  }

  function clockTime(value) {
    const d = parseTime(value);
    return d ? d.toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit" }) : "";
  }

  function buyerName(row) {
    if (row && row.buyer && row.buyer.name) return row.buyer.name;
    return t("anonymous");
  }

  function safeLang(code) {
    return LANGS.includes(code) ? code : null;
  }

  function isMine(id) {
    return state.mine.some((r) => r.conversation_id === id);
  }

  // ============================================================================ api
  class ApiError extends Error {
    constructor(code, status, retryAfter) {
      super(code);
      this.code = code;
      this.status = status;
      this.retryAfter = retryAfter; // seconds, on 429s (account_locked, too_many_logins)
    }
  }

  async function api(method, path, body) {
    const headers = { Accept: "application/json" };
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
      if (detail && typeof detail === "object" && !Array.isArray(detail) && typeof detail.code === "string") code = detail.code;
      else if (res.status === 422) code = "invalid";
      else if (res.status === 401) code = "unauthorized";
      if (res.status === 401 && path !== "/login") sessionExpired();
      const retryAfter = detail && typeof detail === "object" && Number.isFinite(detail.retry_after) ? detail.retry_after : null;
      throw new ApiError(code, res.status, retryAfter);
    }
    return data;
  }

  const enc = encodeURIComponent;

  // ======================================================================== banners
  function showError(errOrKey) {
    let key = "err_generic";
    if (typeof errOrKey === "string") key = errOrKey;
    else if (errOrKey && errOrKey.code) key = "err_" + errOrKey.code;
    if (STRINGS.tr[key] == null) key = "err_generic";
    const vars = errOrKey && errOrKey.retryAfter != null ? { seconds: errOrKey.retryAfter } : undefined;
    state.error = { key, vars };
    renderError();
  }

  function clearError() {
    state.error = null;
    renderError();
  }

  function renderError() {
    const region = ui.errorRegion;
    region.replaceChildren();
    if (!state.error) return;
    const banner = h("div", { class: "banner banner--error", "data-testid": "error-banner" });
    banner.append(h("span", { class: "banner-text", "data-testid": "error-text" }, t(state.error.key, state.error.vars)));
    const close = h("button", { type: "button", "data-testid": "error-dismiss" }, t("dismiss"));
    close.addEventListener("click", clearError);
    banner.append(close);
    region.append(banner);
  }

  function notify(key, vars) {
    state.notice = { key, vars };
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
    ui.noticeRegion.append(
      h("div", { class: "banner banner--notice", "data-testid": "notice" }, t(state.notice.key, state.notice.vars)),
    );
  }

  // ========================================================================= static strings
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
    ui.langSelect.value = state.lang;
  }

  function renderAll() {
    applyStaticStrings();
    renderError();
    renderNotice();
    renderHeader();
    renderQueue();
    renderMine();
    renderConversation(true);
    renderTickets();
  }

  function renderHeader() {
    const signedIn = !!state.agent;
    ui.agentName.hidden = !signedIn;
    ui.presenceField.hidden = !signedIn;
    ui.logout.hidden = !signedIn;
    ui.connection.hidden = !signedIn;
    if (signedIn) {
      ui.agentName.textContent = t("signedInAs", { name: state.agent.display_name || state.agent.username });
      ui.presence.value = state.agent.presence || "offline";
    }
    renderConnection();
  }

  function renderConnection() {
    ui.connection.textContent = conn.live ? t("connLive") : t("connDown");
    ui.connection.classList.toggle("is-down", !conn.live);
  }

  // ========================================================================== queue
  function renderQueue() {
    const list = ui.queueList;
    const focusedId = focusedConversation(list, "claim-button");
    list.replaceChildren();
    ui.queueEmpty.hidden = state.queue.length > 0;
    ui.queueCount.textContent = String(state.queue.length);
    ui.queueCount.title = t("queueCount", { n: state.queue.length });
    for (const row of state.queue) {
      const item = h("li", { class: "qitem", "data-testid": "queue-item", "data-conversation-id": row.conversation_id });
      const top = h("div", { class: "qitem-top" });
      top.append(h("span", { class: "chip", "data-testid": "queue-language", lang: safeLang(row.language) }, String(row.language || "").toUpperCase()));
      top.append(h("strong", { "data-testid": "queue-topic" }, label("topic_", row.topic || "general")));
      if (row.accessibility) {
        top.append(h("span", { class: "badge-a11y", "data-testid": "accessibility-badge", title: t("accessibilityHint") }, t("accessibility")));
      }
      item.append(top);
      item.append(h("div", { class: "mine-sub" }, buyerName(row)));
      const meta = h("div", { class: "qitem-meta" });
      meta.append(h("span", { "data-testid": "queue-reason" }, t("reasonShort", { reason: label("reason_", row.reason) })));
      const wait = h("span", { class: "wait", "data-testid": "queue-wait", "data-wait-base": String(row.wait_seconds || 0) });
      wait.textContent = t("wait", { time: mmss(row.wait_seconds || 0) });
      meta.append(wait);
      meta.append(
        h("span", { "data-testid": "queue-priority" }, t("priority", { p: number(row.priority), e: number(row.effective_priority) })),
      );
      item.append(meta);
      const claim = h("button", {
        type: "button",
        class: "btn",
        "data-testid": "claim-button",
        "aria-label": t("claimLabel", { who: buyerName(row) + " · " + label("topic_", row.topic || "general") }),
      }, t("claim"));
      claim.addEventListener("click", () => claimConversation(row.conversation_id, claim));
      item.append(claim);
      list.append(item);
    }
    restoreFocus(list, "claim-button", focusedId);
    tickWaits();
  }

  // Rebuilding a list must not throw the keyboard user's focus to <body>.
  function focusedConversation(list, testid) {
    const el = document.activeElement;
    if (!el || !list.contains(el) || el.dataset.testid !== testid) return null;
    const item = el.closest("[data-conversation-id]");
    return item ? item.dataset.conversationId : null;
  }

  function restoreFocus(list, testid, id) {
    if (!id) return;
    for (const item of list.querySelectorAll("[data-conversation-id]")) {
      if (item.dataset.conversationId === id) {
        const target = item.dataset.testid === testid ? item : item.querySelector(`[data-testid="${testid}"]`);
        if (target) target.focus();
        return;
      }
    }
  }

  function tickWaits() {
    const elapsed = state.queueAt ? (performance.now() - state.queueAt) / 1000 : 0;
    for (const el of ui.queueList.querySelectorAll("[data-wait-base]")) {
      el.textContent = t("wait", { time: mmss(Number(el.dataset.waitBase) + elapsed) });
    }
  }

  // ===================================================================== my conversations
  function renderMine() {
    const list = ui.mineList;
    const focusedId = focusedConversation(list, "mine-item");
    list.replaceChildren();
    ui.mineEmpty.hidden = state.mine.length > 0;
    for (const row of state.mine) {
      const li = h("li");
      const btn = h("button", {
        type: "button",
        class: "mine-btn",
        "data-testid": "mine-item",
        "data-conversation-id": row.conversation_id,
        "aria-current": row.conversation_id === state.selectedId ? "true" : null,
      });
      btn.append(h("strong", null, buyerName(row)));
      btn.append(
        h("span", { class: "mine-sub" }, String(row.language || "").toUpperCase() + " · " + label("topic_", row.topic || "general")),
      );
      if (row.accessibility) btn.append(h("span", { class: "badge-a11y", title: t("accessibilityHint") }, t("accessibility")));
      if (state.unread.has(row.conversation_id)) btn.append(h("span", { class: "unread", "data-testid": "unread" }, t("unread")));
      btn.addEventListener("click", () => selectConversation(row.conversation_id));
      li.append(btn);
      list.append(li);
    }
    restoreFocus(list, "mine-item", focusedId);
  }

  // ===================================================================== conversation
  function renderConversation(repaintTranscript) {
    const d = state.detail;
    ui.convEmpty.hidden = !!d;
    ui.convBody.hidden = !d;
    ui.actionsPanel.hidden = !d;
    ui.notesPanel.hidden = !d;
    if (!d) {
      ui.convTitle.textContent = t("conversationTitle");
      return;
    }
    const c = d.conversation;
    ui.convTitle.textContent = [buyerName(c), String(c.language || "").toUpperCase(), label("state_", c.state)].join(" · ");
    renderHandoff();
    renderThreads();
    if (repaintTranscript) repaintMessages();
    renderCanned();
    renderNotes();
    updateControls();
  }

  function renderHandoff() {
    const c = state.detail.conversation;
    const box = ui.handoffDetails;
    box.replaceChildren();
    const dl = h("dl");
    const add = (term, value, testid) => {
      dl.append(h("dt", null, term));
      dl.append(h("dd", testid ? { "data-testid": testid } : null, value));
    };
    add(t("buyerLabel"), c.buyer ? `${c.buyer.name} (${c.buyer.id})` : t("anonymous"));
    add(t("marketLabel"), `${label("market_", c.market)} / ${label("langName_", c.language)}`);
    add(t("stateLabel"), label("state_", c.state));
    add(t("reasonLabel"), label("reason_", c.reason), "handoff-reason");
    add(t("topicLabel"), label("topic_", c.topic || "general"), "handoff-topic");
    add(t("priorityLabel"), t("priority", { p: number(c.priority), e: number(c.effective_priority) }));
    if (c.accessibility) add(t("accessibility"), t("accessibilityHint"));
    if (c.summary) add(t("summaryLabel"), c.summary, "handoff-summary");
    if (c.reopen_count) add(t("reopenedLabel"), t("reopenedHint", { n: number(c.reopen_count) }), "reopened");
    if (c.previous_conversation_id) add(t("previousLabel"), c.previous_conversation_id, "previous-conversation");
    if (c.abandoned_form && c.abandoned_form.form) {
      add(t("abandonedFormLabel"), `${c.abandoned_form.form} / ${c.abandoned_form.slot || "–"}`, "abandoned-form");
    }
    const details = c.details && typeof c.details === "object" ? Object.entries(c.details) : [];
    for (const [key, value] of details) add(label("detail_", key), detailValue(key, value));
    box.append(dl);
    if (!details.length) box.append(h("p", { class: "muted" }, t("noDetails")));
  }

  function detailValue(key, value) {
    if (value == null || value === "") return "–";
    if (key === "language") return label("langName_", value);
    if (key === "market") return label("market_", value);
    return String(value);
  }

  function repaintMessages() {
    const log = ui.transcript;
    log.setAttribute("aria-busy", "true"); // a repaint (language switch) is not news
    log.replaceChildren();
    for (const m of state.detail.messages) log.append(messageElement(m));
    log.removeAttribute("aria-busy");
    log.scrollTop = log.scrollHeight;
  }

  function messageElement(m) {
    const sender = ["buyer", "bot", "agent", "seller", "system"].includes(m.sender) ? m.sender : "system";
    const el = h("div", {
      class: "msg msg--" + sender,
      "data-testid": "transcript-message",
      "data-sender": sender,
      "data-message-id": String(m.id),
    });
    const head = h("div", { class: "msg-head" });
    let who = t("sender_" + sender);
    if (sender === "buyer" && state.detail && state.detail.conversation.buyer) who = state.detail.conversation.buyer.name;
    if (sender === "agent" && m.agent_name) who = m.agent_name;
    if (sender === "seller" && m.agent_name) who = t("entrySeller", { name: m.agent_name });
    head.append(h("span", { class: "msg-who" }, who));
    const when = parseTime(m.created_at);
    if (when) head.append(h("time", { datetime: when.toISOString() }, clockTime(m.created_at)));
    el.append(head);
    if (m.text) {
      const lang = sender === "buyer" && state.detail ? safeLang(state.detail.conversation.language) : null;
      el.append(h("div", { class: "msg-text", lang }, m.text));
    }
    if (Array.isArray(m.buttons) && m.buttons.length) {
      const offered = h("ul", { class: "offered", "aria-label": t("offered") });
      for (const b of m.buttons) offered.append(h("li", null, b && b.title != null ? String(b.title) : ""));
      el.append(offered);
    }
    if (m.attachment && m.attachment.id != null) {
      const src = `${API}/attachments/${enc(String(m.attachment.id))}?token=${enc(state.token || "")}`;
      const name = String(m.attachment.filename || "");
      const link = h("a", {
        class: "thumb-link",
        href: src,
        target: "_blank",
        rel: "noopener noreferrer",
        "aria-label": t("attachmentOpen", { name }),
      });
      link.append(h("img", {
        class: "thumb",
        src,
        alt: t("attachmentAlt", { name }),
        loading: "lazy",
        referrerpolicy: "no-referrer",
        "data-testid": "attachment-thumb",
      }));
      el.append(link);
    }
    return el;
  }

  // New messages (reply, live frame, refresh) in id order, each once.
  function addMessages(messages) {
    const d = state.detail;
    if (!d) return;
    const log = ui.transcript;
    const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    let added = false;
    for (const m of messages) {
      if (!m || m.id == null || d.ids.has(m.id)) continue;
      d.ids.add(m.id);
      const el = messageElement(m);
      const after = d.messages.findIndex((x) => Number(x.id) > Number(m.id));
      if (after === -1) {
        d.messages.push(m);
        log.append(el);
      } else {
        const before = log.querySelector(`[data-message-id="${CSS.escape(String(d.messages[after].id))}"]`);
        d.messages.splice(after, 0, m);
        log.insertBefore(el, before);
      }
      added = true;
    }
    if (added && nearBottom) log.scrollTop = log.scrollHeight;
  }

  function canAct() {
    const d = state.detail;
    return !!d && d.conversation.state === "with_agent" && isMine(d.conversation.conversation_id);
  }

  function updateControls() {
    const active = canAct();
    ui.readonly.hidden = active;
    ui.readonly.textContent = t("readOnly");
    ui.reply.disabled = !active;
    ui.replySend.disabled = !active || busy.send;
    ui.canned.disabled = !active;
    for (const b of [ui.transferButton, ui.resolveButton, ui.handbackButton]) b.disabled = !active || busy.action;
    ui.transferLanguage.disabled = !active;
    ui.noteSave.disabled = busy.note;
  }

  async function renderCannedAsync(lang) {
    if (state.canned[lang]) return;
    try {
      const body = await api("GET", "/canned?lang=" + enc(lang));
      state.canned[lang] = Array.isArray(body && body.responses) ? body.responses : [];
    } catch (err) {
      if (err.status !== 401) showError(err);
      return;
    }
    renderCanned();
  }

  function renderCanned() {
    const d = state.detail;
    const select = ui.canned;
    const lang = d ? safeLang(d.conversation.language) || "tr" : "tr";
    const list = state.canned[lang];
    // Rebuilt only when something shown changes, so a refresh does not close an open select.
    const key = [state.lang, lang, list ? "loaded" : "loading"].join(":");
    if (select.dataset.built === key) return;
    select.dataset.built = key;
    select.replaceChildren(h("option", { value: "" }, t("cannedPlaceholder")));
    if (!list) {
      if (d) renderCannedAsync(lang);
      return;
    }
    for (const r of list) {
      const opt = h("option", { value: String(r.id) }, String(r.title || r.id));
      opt.lang = lang;
      select.append(opt);
    }
  }

  function renderNotes() {
    const notes = (state.detail && state.detail.notes) || [];
    ui.notesList.replaceChildren();
    ui.notesEmpty.hidden = notes.length > 0;
    for (const n of notes) {
      const li = h("li", { class: "note", "data-testid": "note" });
      const when = parseTime(n.created_at);
      const meta = [n.author, n.ticket, when ? when.toLocaleString(locale(), { dateStyle: "short", timeStyle: "short" }) : ""]
        .filter(Boolean)
        .join(" · ");
      li.append(h("div", { class: "note-meta" }, meta));
      li.append(h("div", { class: "note-text" }, n.text));
      ui.notesList.append(li);
    }
  }

  // ================================================================= seller threads
  // Read-only: the buyer-seller thread of each order the conversation is about (handoff details,
  // tickets, questions sent from it), oldest first, with who wrote what and when.
  function fullTime(value, market) {
    const d = parseTime(value);
    if (!d) return "";
    const options = { dateStyle: "short", timeStyle: "short" };
    if (ZONES[market]) options.timeZone = ZONES[market];
    try {
      return new Intl.DateTimeFormat(locale(), options).format(d);
    } catch (_) {
      return d.toLocaleString(locale());
    }
  }

  function flag(key, kind) {
    return h("span", { class: "tflag tflag--" + kind, "data-testid": "thread-flag-" + kind }, t(key));
  }

  function renderThreads() {
    const d = state.detail;
    const threads = d && Array.isArray(d.threads) ? d.threads : [];
    const box = ui.threadsInner;
    box.replaceChildren();
    ui.threads.hidden = !threads.length;
    if (!threads.length) return;
    const market = d.conversation.market;
    const zone = ZONES[market] ? " " + t("threadsZone", { zone: t("zone_" + market) }) : "";
    box.append(h("p", { class: "muted hint" }, t("threadsHint") + zone));
    for (const th of threads) {
      if (!th || typeof th.order_number !== "string") continue;
      const seller = th.seller && th.seller.name ? String(th.seller.name) : "–";
      const title = t("threadOrder", { order: th.order_number, seller });
      const section = h("section", {
        class: "thread" + (th.overdue ? " is-overdue" : ""),
        "data-testid": "seller-thread",
        "data-order-number": th.order_number,
        "aria-label": title,
      });
      const head = h("div", { class: "thread-head" });
      head.append(h("h3", { class: "thread-title" }, title));
      if (th.urgent) head.append(flag("flagUrgent", "urgent"));
      if (th.overdue) head.append(flag("flagOverdue", "overdue"));
      if (th.escalated) head.append(flag("flagEscalated", "escalated"));
      section.append(head);
      if (th.open_questions) section.append(h("div", { class: "muted" }, t("threadOpenQuestions", { n: th.open_questions })));
      const entries = Array.isArray(th.entries) ? th.entries : [];
      if (!entries.length) section.append(h("p", { class: "muted" }, t("threadEmpty")));
      const list = h("ol", { class: "thread-entries" });
      for (const e of entries) if (e && typeof e === "object") list.append(threadEntry(e, market));
      if (entries.length) section.append(list);
      box.append(section);
    }
  }

  function threadEntry(e, market) {
    const kind = ["question", "answer", "status", "escalation"].includes(e.kind) ? e.kind : "question";
    const li = h("li", {
      class: "tentry tentry--" + kind,
      "data-testid": "thread-entry",
      "data-kind": kind,
      "data-entry-id": e.id != null ? String(e.id) : null,
    });
    const head = h("div", { class: "tentry-head" });
    let who = t("entryPlatform");
    if (kind === "question") who = t("entryBuyer");
    else if (kind === "answer" || kind === "status") who = t("entrySeller", { name: e.author_name || t("sender_seller") });
    const what = kind === "question" && e.reply_to_id != null ? "entry_followup" : "entry_" + kind;
    head.append(h("span", { class: "msg-who" }, who));
    head.append(h("span", null, kind === "escalation" ? "" : t(what)));
    const when = parseTime(e.at);
    if (when) head.append(h("time", { datetime: when.toISOString() }, fullTime(e.at, market)));
    li.append(head);
    if (kind === "question") {
      li.append(h("div", { class: "tentry-text", lang: safeLang(state.detail.conversation.language) }, e.text || ""));
      const meta = h("div", { class: "tentry-meta" });
      meta.append(h("span", null, t("entryQuestionRef", { id: e.id })));
      if (e.answer_due) meta.append(h("span", null, t("entryAnswerDue", { due: fullTime(e.answer_due, market) })));
      if (e.from_this_conversation) meta.append(h("span", null, t("entryFromHere")));
      if (e.urgent) meta.append(flag("flagUrgent", "urgent"));
      if (e.answered) meta.append(flag("flagAnswered", "answered"));
      if (e.overdue) meta.append(flag("flagOverdue", "overdue"));
      if (e.escalated_at) meta.append(flag("flagEscalated", "escalated"));
      if (e.closed_at) meta.append(flag("flagClosed", "closed"));
      li.append(meta);
    } else if (kind === "answer") {
      li.append(h("div", { class: "tentry-text" }, e.text || ""));
      if (e.question_id != null) li.append(h("div", { class: "tentry-meta" }, t("entryQuestionRef", { id: e.question_id })));
    } else if (kind === "status") {
      li.append(h("div", { class: "tentry-text" }, label("caseStatus_", e.status)));
      if (e.status === "shipped") {
        const date = e.expected_date ? new Date(e.expected_date + "T12:00:00Z").toLocaleDateString(locale()) : "–";
        li.append(h("div", { class: "tentry-meta" }, t("shipmentLine", { carrier: e.carrier || "–", tracking: e.tracking_number || "–", date })));
      }
      if (e.text) li.append(h("div", { class: "tentry-text" }, t("sellerNote", { text: e.text })));
    } else {
      li.append(h("div", { class: "tentry-text" }, t("entry_escalation", { ticket: e.ticket_reference || "–" })));
      if (e.question_id != null) li.append(h("div", { class: "tentry-meta" }, t("entryQuestionRef", { id: e.question_id })));
    }
    return li;
  }

  // The panel lives between the handoff summary and the transcript; its styles with it.
  const THREADS_CSS = `
  .msg--seller { align-self: flex-start; }
  .msg--seller .msg-text { background: #fff6e5; border: 1px solid #d9a441; border-bottom-left-radius: 4px; }
  .threads { flex: none; border-color: #d9a441; background: #fffbf2; }
  .threads .handoff-inner { max-height: 32vh; display: flex; flex-direction: column; gap: 8px; }
  .thread { border: 1px solid #e6d3a8; border-radius: 8px; background: #fff; padding: 6px 8px; }
  .thread.is-overdue { border-color: #b3261e; }
  .thread-head { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
  .thread-title { font-size: 14px; margin: 0; }
  .thread-entries { list-style: none; margin: 6px 0 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
  .tentry { border-left: 3px solid #9aa3b2; padding: 2px 0 2px 8px; }
  .tentry--answer, .tentry--status { border-left-color: #d9a441; }
  .tentry--escalation { border-left-color: #b3261e; }
  .tentry-head { display: flex; flex-wrap: wrap; gap: 8px; font-size: 12px; color: #4b5563; }
  .tentry-text { white-space: pre-wrap; overflow-wrap: anywhere; }
  .tentry-meta { display: flex; flex-wrap: wrap; gap: 4px 8px; font-size: 12px; color: #4b5563; }
  .tflag { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 12px; font-weight: 700;
           background: #eef1f6; color: #1d2433; }
  .tflag--urgent, .tflag--overdue { background: #b3261e; color: #fff; }
  .tflag--escalated { background: #fff4d6; color: #5c3d00; border: 1px solid #e0c36a; }
  .tflag--answered { background: #e3f4e9; color: #17603a; }
  .ticket-open { margin-top: 4px; }
  `;

  function mountThreads() {
    const style = document.createElement("style");
    style.textContent = THREADS_CSS;
    document.head.append(style);
    const box = h("details", { id: "seller-threads", class: "handoff threads", "data-testid": "seller-threads", open: "" });
    box.hidden = true;
    box.append(h("summary", { "data-i18n": "threadsTitle" }));
    const inner = h("div", {
      id: "seller-threads-inner",
      class: "handoff-inner",
      role: "region",
      tabindex: "0",
      "data-i18n-aria-label": "threadsTitle",
    });
    box.append(inner);
    const handoff = $("handoff");
    handoff.parentNode.insertBefore(box, handoff.nextSibling);
    ui.threads = box;
    ui.threadsInner = inner;
  }

  // ========================================================================= tickets
  function marketOf(ticket) {
    const prefix = String(ticket.reference || "").slice(0, 2).toUpperCase();
    return ZONES[prefix] ? prefix : null;
  }

  function dueText(ticket, field, labelKey, breached, done) {
    const due = parseTime(ticket[field]);
    if (!due) return null;
    const market = marketOf(ticket);
    const options = { dateStyle: "short", timeStyle: "short" };
    if (market) options.timeZone = ZONES[market];
    let when;
    try {
      when = new Intl.DateTimeFormat(locale(), options).format(due);
    } catch (_) {
      when = due.toLocaleString(locale());
    }
    const zone = market ? t("zone_" + market) : Intl.DateTimeFormat().resolvedOptions().timeZone;
    let line = t("dueLine", { label: t(labelKey), due: when, zone });
    const left = due.getTime() - Date.now();
    if (done) line += " · " + t("answered");
    else line += " · " + (left >= 0 ? t("dueIn", { time: duration(left) }) : t("overdue", { time: duration(left) }));
    const el = h("div", { class: "sla-line" + (breached ? " is-late" : ""), "data-testid": "sla-" + field.replace(/_/g, "-") }, line);
    return el;
  }

  function renderTickets() {
    const list = ui.ticketsList;
    list.replaceChildren();
    const currentId = state.detail ? state.detail.conversation.conversation_id : null;
    const own = state.detail ? state.detail.tickets || [] : [];
    const seen = new Set();
    const rows = [];
    for (const tk of [...own, ...state.tickets]) {
      if (!tk || seen.has(tk.reference)) continue;
      seen.add(tk.reference);
      rows.push(tk);
    }
    ui.ticketsEmpty.hidden = rows.length > 0;
    for (const tk of rows) {
      const breached = tk.breached || {};
      const isBreached = !!(breached.first_response || breached.resolution);
      const current = currentId && tk.conversation_id === currentId;
      const li = h("li", {
        class: "ticket" + (isBreached ? " is-breached" : "") + (current ? " is-current" : ""),
        "data-testid": "ticket-item",
        "data-reference": tk.reference,
        "data-breached": isBreached ? "true" : "false",
      });
      const head = h("div", { class: "ticket-head" });
      head.append(h("span", { class: "ticket-ref" }, tk.reference));
      if (current) head.append(h("span", { class: "here" }, t("thisConversation")));
      if (isBreached) head.append(h("span", { class: "breached", "data-testid": "sla-breached" }, t("breached")));
      li.append(head);
      li.append(
        h("div", null, [label("topic_", tk.topic), label("prio_", tk.priority), label("status_", tk.status)].join(" · ")),
      );
      const first = dueText(tk, "first_response_due", "firstResponse", breached.first_response, false);
      if (first) li.append(first);
      const resolution = dueText(tk, "resolution_due", "resolution", breached.resolution, tk.status === "resolved");
      if (resolution) li.append(resolution);
      if (tk.business_hours_left != null && tk.status !== "resolved") {
        li.append(h("div", { class: "muted" }, t("hoursLeft", { n: number(tk.business_hours_left) })));
      }
      if (isBreached) {
        const which = [breached.first_response ? t("firstResponse") : null, breached.resolution ? t("resolution") : null]
          .filter(Boolean)
          .join(", ");
        li.append(h("div", { class: "sla-line is-late" }, t("breachedWhich", { which })));
      }
      if (tk.conversation_id && !current) {
        const open = h("button", {
          type: "button",
          class: "btn ticket-open",
          "data-testid": "ticket-open",
          "aria-label": t("ticketOpenLabel", { ref: tk.reference }),
        }, t("ticketOpen"));
        open.addEventListener("click", () => selectConversation(tk.conversation_id));
        li.append(open);
      }
      list.append(li);
    }
  }

  // ========================================================================= loading
  let refreshing = null;
  let refreshAgain = false;

  async function refreshLists() {
    if (!state.token) return;
    if (refreshing) {
      refreshAgain = true;
      return refreshing;
    }
    refreshing = (async () => {
      try {
        const [q, mine] = await Promise.all([api("GET", "/queue"), api("GET", "/mine")]);
        state.queue = Array.isArray(q && q.queue) ? q.queue : [];
        state.queueAt = performance.now();
        state.mine = Array.isArray(mine && mine.conversations) ? mine.conversations : [];
        for (const row of state.mine) watch(row.conversation_id);
        for (const id of [...state.unread]) if (!isMine(id)) state.unread.delete(id);
        renderQueue();
        renderMine();
        if (state.detail) updateControls();
      } catch (err) {
        if (err.status !== 401 && err.code !== "network") showError(err);
      }
    })();
    try {
      await refreshing;
    } finally {
      refreshing = null;
    }
    if (refreshAgain) {
      refreshAgain = false;
      return refreshLists();
    }
  }

  async function refreshTickets() {
    if (!state.token) return;
    try {
      const body = await api("GET", "/tickets");
      state.tickets = Array.isArray(body && body.tickets) ? body.tickets : [];
      renderTickets();
    } catch (err) {
      if (err.status !== 401 && err.code !== "network") showError(err);
    }
  }

  function scheduleRefresh() {
    clearTimeout(timers.refresh);
    timers.refresh = setTimeout(() => {
      refreshLists();
      refreshTickets();
    }, REFRESH_DEBOUNCE_MS);
  }

  function applyDetail(body, fresh) {
    if (!body || !body.conversation) return;
    const id = body.conversation.conversation_id;
    if (fresh || !state.detail || state.detail.conversation.conversation_id !== id) {
      state.detail = { conversation: body.conversation, messages: [], ids: new Set(), tickets: [], notes: [], threads: [] };
      ui.transcript.replaceChildren();
    }
    const d = state.detail;
    d.conversation = body.conversation;
    d.tickets = Array.isArray(body.tickets) ? body.tickets : [];
    d.notes = Array.isArray(body.notes) ? body.notes : [];
    d.threads = Array.isArray(body.seller_threads) ? body.seller_threads : [];
    renderConversation(false);
    addMessages(Array.isArray(body.messages) ? body.messages : []);
    if (fresh) ui.transcript.scrollTop = ui.transcript.scrollHeight;
    renderTickets();
  }

  async function refreshDetail() {
    const id = state.selectedId;
    if (!id) return;
    try {
      const body = await api("GET", "/conversations/" + enc(id));
      if (state.selectedId === id) applyDetail(body, false);
    } catch (err) {
      if (err.status !== 401 && err.code !== "network") showError(err);
    }
  }

  // ========================================================================= actions
  async function selectConversation(id) {
    if (id !== state.selectedId) stopTyping();
    clearError();
    try {
      const body = await api("GET", "/conversations/" + enc(id));
      state.selectedId = id;
      state.unread.delete(id);
      applyDetail(body, true);
      watch(id);
      renderMine();
      resetTransfer();
    } catch (err) {
      if (err.status !== 401) showError(err);
    }
  }

  async function claimConversation(id, button) {
    clearError();
    if (button) button.disabled = true;
    try {
      const body = await api("POST", "/conversations/" + enc(id) + "/claim");
      stopTyping();
      state.selectedId = id;
      state.unread.delete(id);
      if (!isMine(id)) state.mine.push(body.conversation);
      state.queue = state.queue.filter((r) => r.conversation_id !== id);
      applyDetail(body, true);
      watch(id);
      renderQueue();
      renderMine();
      resetTransfer();
      notify("notice_claimed");
      ui.reply.focus();
    } catch (err) {
      if (err.status !== 401) showError(err);
      if (button && button.isConnected) button.disabled = false;
    }
    scheduleRefresh();
  }

  function resetTransfer() {
    const lang = state.detail ? state.detail.conversation.language : "tr";
    ui.transferLanguage.value = lang === "tr" ? "pl" : "tr"; // usually: the other language
  }

  async function sendReply() {
    const id = state.selectedId;
    const text = ui.reply.value.trim();
    if (!id || !canAct() || busy.send) return;
    if (!text) {
      showError("err_empty_message");
      return;
    }
    busy.send = true;
    updateControls();
    try {
      const message = await api("POST", "/conversations/" + enc(id) + "/messages", { text });
      if (ui.reply.value.trim() === text) ui.reply.value = "";
      clearError();
      stopTyping();
      if (state.selectedId === id) addMessages([message]);
    } catch (err) {
      if (err.status !== 401) showError(err);
      if (err.code === "not_yours") refreshLists();
    } finally {
      busy.send = false;
      updateControls();
      if (state.selectedId === id && !ui.reply.disabled) ui.reply.focus();
    }
  }

  function postTyping(id, on) {
    if (!id || !state.token) return;
    api("POST", "/conversations/" + enc(id) + "/typing", { on }).catch(() => {
      /* best effort: a lost typing signal is harmless */
    });
  }

  function onReplyInput() {
    const id = state.selectedId;
    if (!canAct()) return;
    if (!ui.reply.value.trim()) {
      stopTyping();
      return;
    }
    const now = Date.now();
    if (!typing.on || typing.conversationId !== id || now - typing.lastSent > TYPING_REFRESH_MS) {
      if (typing.on && typing.conversationId !== id) stopTyping();
      typing.on = true;
      typing.conversationId = id;
      typing.lastSent = now;
      postTyping(id, true);
    }
    clearTimeout(typing.idle);
    typing.idle = setTimeout(stopTyping, TYPING_IDLE_MS);
  }

  function stopTyping() {
    clearTimeout(typing.idle);
    if (!typing.on) return;
    typing.on = false;
    postTyping(typing.conversationId, false);
  }

  async function conversationAction(path, body, onDone) {
    const id = state.selectedId;
    if (!id || busy.action) return;
    clearError();
    stopTyping();
    busy.action = true;
    updateControls();
    try {
      const result = await api("POST", "/conversations/" + enc(id) + path, body);
      state.mine = state.mine.filter((r) => r.conversation_id !== id);
      onDone(result);
      await refreshDetail();
    } catch (err) {
      if (err.status !== 401) showError(err);
    } finally {
      busy.action = false;
      updateControls();
      scheduleRefresh();
    }
  }

  async function saveNote() {
    const id = state.selectedId;
    const text = ui.noteInput.value.trim();
    if (!id || busy.note) return;
    if (!text) {
      showError("err_empty_message");
      return;
    }
    busy.note = true;
    updateControls();
    try {
      const note = await api("POST", "/conversations/" + enc(id) + "/notes", { text });
      ui.noteInput.value = "";
      clearError();
      if (state.selectedId === id && state.detail) {
        state.detail.notes.push(note);
        renderNotes();
      }
      notify("notice_noteSaved", { ticket: note.ticket });
      refreshDetail();
      refreshTickets();
    } catch (err) {
      if (err.status !== 401) showError(err);
    } finally {
      busy.note = false;
      updateControls();
    }
  }

  // ===================================================================== session
  async function login(event) {
    event.preventDefault();
    const username = ui.username.value.trim();
    const password = ui.password.value;
    if (!username || !password) {
      showError("err_fill_login");
      (username ? ui.password : ui.username).focus();
      return;
    }
    if (busy.login) return;
    busy.login = true;
    ui.loginSubmit.disabled = true;
    try {
      const body = await api("POST", "/login", { username, password });
      state.token = body.token;
      saveToken(body.token);
      state.agent = body.agent;
      ui.password.value = "";
      clearError();
      startApp();
    } catch (err) {
      showError(err);
      ui.password.select();
    } finally {
      busy.login = false;
      ui.loginSubmit.disabled = false;
    }
  }

  async function logout() {
    const token = state.token;
    stopTyping();
    if (token) {
      // Leaving the console: stop receiving buyers first, then end the session.
      await api("PUT", "/presence", { presence: "offline" }).catch(() => {});
      await api("POST", "/logout").catch(() => {});
    }
    endSession();
    notify("notice_loggedOut");
  }

  function sessionExpired() {
    if (!state.token) return;
    endSession();
    showError("err_unauthorized");
  }

  function endSession() {
    state.token = null;
    saveToken(null);
    state.agent = null;
    state.queue = [];
    state.mine = [];
    state.tickets = [];
    state.selectedId = null;
    state.detail = null;
    state.unread.clear();
    state.watched.clear();
    stopTimers();
    disconnect();
    showLogin();
  }

  async function setPresence() {
    const wanted = ui.presence.value;
    const before = state.agent ? state.agent.presence : "offline";
    try {
      state.agent = await api("PUT", "/presence", { presence: wanted });
      clearError();
    } catch (err) {
      if (err.status !== 401) showError(err);
      ui.presence.value = before;
    }
    renderHeader();
  }

  function showLogin() {
    ui.appView.hidden = true;
    ui.loginView.hidden = false;
    renderAll();
    ui.username.focus();
  }

  function startApp() {
    ui.loginView.hidden = true;
    ui.appView.hidden = false;
    renderAll();
    connect();
    startTimers();
    refreshLists();
    refreshTickets();
  }

  // ===================================================================== live socket
  function socketUrl() {
    return location.origin.replace(/^http/i, "ws") + API + "/ws?token=" + enc(state.token || "");
  }

  function connect() {
    if (!state.token) return;
    clearTimeout(conn.timer);
    let ws;
    try {
      ws = new WebSocket(socketUrl());
    } catch (_) {
      scheduleReconnect();
      return;
    }
    conn.ws = ws;
    ws.addEventListener("message", (event) => {
      if (conn.ws !== ws) return;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch (_) {
        return;
      }
      if (frame && typeof frame === "object") onFrame(frame);
    });
    ws.addEventListener("close", () => {
      if (conn.ws !== ws) return;
      conn.ws = null;
      setLive(false);
      scheduleReconnect();
    });
  }

  function disconnect() {
    clearTimeout(conn.timer);
    const ws = conn.ws;
    conn.ws = null;
    conn.attempt = 0;
    setLive(false);
    if (ws) {
      try {
        ws.close();
      } catch (_) {
        /* already closed */
      }
    }
  }

  function scheduleReconnect() {
    if (!state.token) return;
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** conn.attempt) * (0.5 + Math.random() / 2);
    conn.attempt = Math.min(conn.attempt + 1, 10);
    clearTimeout(conn.timer);
    conn.timer = setTimeout(async () => {
      // A refused handshake looks like any drop: ask the api whether the session still holds.
      try {
        await api("GET", "/me");
      } catch (err) {
        if (err.status === 401) return; // sessionExpired() ran
      }
      if (state.token && !conn.ws) connect();
    }, delay);
  }

  function setLive(live) {
    conn.live = live;
    if (ui.connection) renderConnection();
  }

  function sendWatch(id) {
    const ws = conn.ws;
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "watch", conversation_id: id }));
  }

  function watch(id) {
    if (!id) return;
    const isNew = !state.watched.has(id);
    state.watched.add(id);
    if (isNew) sendWatch(id);
  }

  function onFrame(frame) {
    if (frame.type === "hello") {
      conn.attempt = 0;
      setLive(true);
      for (const id of state.watched) sendWatch(id); // a new socket watches nothing yet
      scheduleRefresh(); // catch up on what happened while away
      if (state.selectedId) refreshDetail();
    } else if (frame.type === "session_ended") {
      sessionExpired(); // logged out elsewhere, expired or removed: back to the login form
    } else if (frame.type === "queue_changed") {
      scheduleRefresh();
    } else if (frame.type === "idle_reminder") {
      const minutes = Number(frame.idle_minutes) || 0;
      if (frame.level === "supervisor") {
        notify("idleReminderSupervisor", { minutes, agent: String(frame.agent_name || "") });
      } else {
        notify("idleReminderAgent", { minutes });
      }
      if (typeof frame.conversation_id === "string") state.unread.add(frame.conversation_id);
      scheduleRefresh();
    } else if (frame.type === "ticket_message") {
      notify("ticketMessage", { reference: String(frame.reference || "") });
      scheduleRefresh();
    } else if (frame.type === "message" && frame.message && typeof frame.message === "object") {
      onLiveMessage(frame.message);
    }
  }

  // The frame does not say which conversation it belongs to: fetch the open one (and, if the
  // message is not there, my other conversations) and merge by message id.
  function onLiveMessage(message) {
    if (state.detail && state.detail.ids.has(message.id)) return;
    liveBuffer.push(message);
    clearTimeout(timers.live);
    timers.live = setTimeout(resolveLive, 60);
  }

  async function resolveLive() {
    const batch = liveBuffer.splice(0);
    if (!batch.length) return;
    await refreshDetail();
    const unknown = new Set(batch.filter((m) => !(state.detail && state.detail.ids.has(m.id))).map((m) => m.id));
    if (!unknown.size) return;
    for (const row of state.mine) {
      if (row.conversation_id === state.selectedId) continue;
      try {
        const body = await api("GET", "/conversations/" + enc(row.conversation_id));
        if ((body.messages || []).some((m) => unknown.has(m.id))) state.unread.add(row.conversation_id);
      } catch (_) {
        /* the next poll tells */
      }
    }
    renderMine();
  }

  // ========================================================================= timers
  function startTimers() {
    stopTimers();
    timers.poll = setInterval(refreshLists, POLL_MS);
    timers.tickets = setInterval(refreshTickets, TICKETS_POLL_MS);
    timers.tick = setInterval(tickWaits, 1000);
  }

  function stopTimers() {
    clearInterval(timers.poll);
    clearInterval(timers.tickets);
    clearInterval(timers.tick);
    clearTimeout(timers.refresh);
    clearTimeout(timers.live);
    liveBuffer = [];
  }

  // ========================================================================= boot
  function bindUi() {
    Object.assign(ui, {
      langSelect: $("ui-language"),
      agentName: $("agent-name"),
      presenceField: $("presence-field"),
      presence: $("presence-select"),
      connection: $("connection"),
      logout: $("logout"),
      errorRegion: $("error-region"),
      noticeRegion: $("notice-region"),
      loginView: $("login-view"),
      loginForm: $("login-form"),
      username: $("login-username"),
      password: $("login-password"),
      loginSubmit: $("login-submit"),
      appView: $("app-view"),
      queueList: $("queue-list"),
      queueEmpty: $("queue-empty"),
      queueCount: $("queue-count"),
      mineList: $("mine-list"),
      mineEmpty: $("mine-empty"),
      convTitle: $("conv-title"),
      convEmpty: $("conv-empty"),
      convBody: $("conv-body"),
      handoffDetails: $("handoff-details"),
      transcript: $("transcript"),
      readonly: $("readonly"),
      replyForm: $("reply-form"),
      canned: $("canned-select"),
      reply: $("reply-input"),
      replySend: $("reply-send"),
      actionsPanel: $("actions-panel"),
      transferForm: $("transfer-form"),
      transferLanguage: $("transfer-language"),
      transferButton: $("transfer-button"),
      resolveButton: $("resolve-button"),
      handbackButton: $("handback-button"),
      notesPanel: $("notes-panel"),
      noteForm: $("note-form"),
      noteInput: $("note-input"),
      noteSave: $("note-save"),
      notesList: $("notes-list"),
      notesEmpty: $("notes-empty"),
      ticketsList: $("tickets-list"),
      ticketsEmpty: $("tickets-empty"),
    });
    mountThreads();

    ui.langSelect.addEventListener("change", () => {
      state.lang = LANGS.includes(ui.langSelect.value) ? ui.langSelect.value : "tr";
      try {
        localStorage.setItem(LANG_KEY, state.lang);
      } catch (_) {
        /* only this page remembers */
      }
      renderAll();
    });
    ui.loginForm.addEventListener("submit", login);
    ui.logout.addEventListener("click", logout);
    ui.presence.addEventListener("change", setPresence);
    ui.replyForm.addEventListener("submit", (event) => {
      event.preventDefault();
      sendReply();
    });
    ui.reply.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        sendReply();
      }
    });
    ui.reply.addEventListener("input", onReplyInput);
    ui.reply.addEventListener("blur", () => {
      if (!ui.reply.value.trim()) stopTyping();
    });
    ui.canned.addEventListener("change", () => {
      const lang = state.detail ? safeLang(state.detail.conversation.language) || "tr" : "tr";
      const chosen = (state.canned[lang] || []).find((r) => String(r.id) === ui.canned.value);
      if (chosen) {
        const current = ui.reply.value.trim();
        ui.reply.value = current ? current + "\n" + chosen.text : chosen.text;
        ui.reply.focus();
        ui.reply.setSelectionRange(ui.reply.value.length, ui.reply.value.length);
        onReplyInput();
      }
      ui.canned.value = "";
    });
    ui.transferForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const language = ui.transferLanguage.value;
      conversationAction("/transfer", { language }, () => notify("notice_transferred", { lang: label("langName_", language) }));
    });
    ui.resolveButton.addEventListener("click", () => conversationAction("/resolve", undefined, () => notify("notice_resolved")));
    ui.handbackButton.addEventListener("click", () => conversationAction("/handback", undefined, () => notify("notice_handedBack")));
    ui.noteForm.addEventListener("submit", (event) => {
      event.preventDefault();
      saveNote();
    });
    window.addEventListener("online", () => {
      if (state.token && !conn.ws) {
        conn.attempt = 0;
        connect();
      }
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
      state.agent = await api("GET", "/me");
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
