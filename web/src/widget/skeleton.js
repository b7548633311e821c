// Static markup only: no message or server data is ever interpolated here.
export const SKELETON = `
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
