// All CSS lives in the shadow root; the host is reset so page rules cannot leak in.
// Sizes are px (not em/rem) because the host page controls the root font size.

export const WIDGET_CSS = `
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
