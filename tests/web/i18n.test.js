// The one translation lookup (web/src/shared/i18n.js) and the time helpers (web/src/shared/time.js).
import assert from "node:assert/strict";
import { test } from "node:test";
import { createI18n, translate } from "../../web/src/shared/i18n.js";
import { duration, mmss, parseTime } from "../../web/src/shared/time.js";

const STRINGS = {
  tr: {
    hello: "Merhaba {name}",
    only_tr: "yalnız",
    topic_returns: "İade",
    dur_d: "{n} g",
    dur_h: "{n} sa",
    dur_m: "{n} dk",
  },
  pl: { hello: "Cześć {name}", topic_returns: "Zwrot", dur_d: "{n} d.", dur_h: "{n} godz.", dur_m: "{n} min" },
};

test("a string in the language, else Turkish, else the key; placeholders filled, unknown ones kept", () => {
  assert.equal(translate(STRINGS, "pl", "hello", { name: "Ola" }), "Cześć Ola");
  assert.equal(translate(STRINGS, "pl", "only_tr"), "yalnız");
  assert.equal(translate(STRINGS, "xx", "hello", { name: "Ali" }), "Merhaba Ali");
  assert.equal(translate(STRINGS, "tr", "missing"), "missing");
  assert.equal(translate(STRINGS, "tr", "hello", {}), "Merhaba {name}");
  assert.equal(translate(STRINGS, "tr", "hello", { name: 0 }), "Merhaba 0");
});

test("t() follows the language at the time of the call; label() shows unknown codes as themselves", () => {
  let lang = "tr";
  const { t, label, has } = createI18n(STRINGS, () => lang);
  assert.equal(t("topic_returns"), "İade");
  lang = "pl";
  assert.equal(t("topic_returns"), "Zwrot");
  assert.equal(label("topic_", "returns"), "Zwrot");
  assert.equal(label("topic_", "brand_new"), "brand_new");
  assert.equal(label("topic_", null), "–");
  assert.equal(label("topic_", ""), "–");
  assert.ok(has("only_tr") && !has("nope"));
});

test("api timestamps without an offset are UTC", () => {
  assert.equal(parseTime("2026-03-01T10:00:00").toISOString(), "2026-03-01T10:00:00.000Z");
  assert.equal(parseTime("2026-03-01T10:00:00+03:00").toISOString(), "2026-03-01T07:00:00.000Z");
  assert.equal(parseTime(""), null);
  assert.equal(parseTime("garbage"), null);
});

test("durations and clocks", () => {
  const t = (key, vars) => translate(STRINGS, "tr", key, vars);
  assert.equal(duration(0, t), "0 dk");
  assert.equal(duration(-5 * 60000, t), "5 dk");
  assert.equal(duration(90 * 60000, t), "1 sa 30 dk");
  assert.equal(duration(2 * 3600000, t), "2 sa");
  assert.equal(duration(26 * 3600000 + 5 * 60000, t), "1 g 2 sa");
  assert.equal(mmss(425), "07:05");
  assert.equal(mmss(-3), "00:00");
});
