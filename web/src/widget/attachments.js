// Image attachments: a quick client check, the upload, and safe thumbnail links.

import { h } from "../shared/dom.js";
import { config } from "./config.js";
import { connect } from "./connection.js";
import { formatBytes, t } from "./i18n.js";
import { addError, addMessage, addNotice, disableQuickReplies, scrollToEnd } from "./render.js";
import { conn, destroyed, newId, state, ui } from "./state.js";

// The client check only gives a fast answer; the server decides and explains refusals.
export function onFilePicked() {
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

export async function upload(file, session) {
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

export function buildAttachment(a) {
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
export function attachmentUrl(url) {
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
