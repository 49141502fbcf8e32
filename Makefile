# podmortem: build, serve and test. Every target installs what it needs first (scripts/setup.sh,
# fast when everything is present).
#   make serve   build the web app (release) and serve dist/ at http://127.0.0.1:8080/
#   make test    everything CI runs: fmt, clippy, native + wasm tests, release build, e2e, size report
#   make size    size report of dist/ (raw, gzip -9, the shipped .gz copies, brotli)
#   make single-file   dist-single/podmortem.html: one self-contained file that works from file://
#   make perf    budget figures (load, first diagnosis, 20 KB paste) in headless Chromium
# Native cargo commands use the rustup toolchain (plain `cargo`); wasm32 commands run with
# .tools/wasm-env.sh (written by setup: rustup's wasm32 target, or Debian's rustc-web + build-std);
# the release build (dist/) with .tools/release-env.sh (Debian's rustc-web, std rebuilt for size).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.NOTPARALLEL:

HOST ?= 127.0.0.1
PORT ?= 8080
ENV := source .tools/env.sh &&
WASM_ENV := source .tools/wasm-env.sh &&
RELEASE_ENV := source .tools/release-env.sh &&
STEP := scripts/step
# sub-makes started by `make test` skip the setup that already ran
SUBMAKE := $(MAKE) --no-print-directory SKIP_SETUP=1

.PHONY: help setup build single-file perf serve test fmt-check clippy test-native test-wasm e2e size clean distclean

help:
	@echo "make serve   release build, then serve dist/ at http://$(HOST):$(PORT)/"
	@echo "make test    fmt, clippy, native tests, wasm tests (headless chromium), release build, e2e, size"
	@echo "make build   release build into dist/ (trunk)"
	@echo "make size    size report of dist/"
	@echo "make single-file  one self-contained HTML file: dist-single/podmortem.html"
	@echo "make perf    budget figures in headless Chromium (after make build)"
	@echo "make setup   install the pinned tools (scripts/setup.sh)"
	@echo "make clean   remove dist/ and test-artifacts/ (distclean: also target/, .tools/, node_modules/)"

ifeq ($(SKIP_SETUP),1)
setup: ;
else
setup:
	@$(STEP) setup scripts/setup.sh
endif

build: setup
	@$(STEP) "trunk build --release" bash -c '$(RELEASE_ENV) trunk build index.html --release'

single-file: build
	@$(STEP) "single-file" node scripts/single-file.mjs dist dist-single/podmortem.html

perf: setup
	@test -f dist/index.html || { echo "dist/ missing: make build first"; exit 1; }
	@bash -c '$(ENV) node scripts/perf.mjs'

serve: build
	@echo "podmortem: open http://$(HOST):$(PORT)/"
	node scripts/static-server.mjs dist $(PORT) $(HOST)

test:
	@rm -f test-artifacts/timings.txt
	@$(MAKE) --no-print-directory setup
	@$(SUBMAKE) fmt-check
	@$(SUBMAKE) clippy
	@$(SUBMAKE) test-native
	@$(SUBMAKE) test-wasm
	@$(SUBMAKE) build
	@$(STEP) "single-file" node scripts/single-file.mjs dist dist-single/podmortem.html
	@$(SUBMAKE) e2e
	@$(SUBMAKE) size
	@echo; echo "All checks passed. Timings:"; cat test-artifacts/timings.txt

fmt-check: setup
	@$(STEP) "cargo fmt --check" bash -c '$(ENV) cargo fmt --all --check'

clippy: setup
	@$(STEP) "cargo clippy" bash -c '$(ENV) cargo clippy --all-targets -- -D warnings'
	@$(STEP) "cargo clippy --features web" bash -c '$(ENV) cargo clippy --all-targets --features web -- -D warnings'

test-native: setup
	@$(STEP) "cargo test" bash -c '$(ENV) cargo test'
	@$(STEP) "cargo test --features web" bash -c '$(ENV) cargo test --features web'

# wasm-bindgen tests: run_in_browser ones in headless Chromium (chromedriver + webdriver.json), others in node
test-wasm: setup
	@$(STEP) "cargo test wasm32 (headless chromium)" bash -c '$(WASM_ENV) cargo test --target wasm32-unknown-unknown --features web'

e2e: setup
	@test -f dist/index.html || { echo "dist/ missing: make build first"; exit 1; }
	@$(STEP) "e2e (playwright-core, chromium)" bash -c '$(ENV) node --test tests/e2e/'

size:
	@node scripts/size-report.mjs dist

clean:
	rm -rf dist dist-single test-artifacts

distclean: clean
	rm -rf target .tools node_modules
