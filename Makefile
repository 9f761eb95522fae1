# plumb: `make demo` and `make test` are all a fresh Debian machine needs.
SHELL := /bin/bash
SWIFT ?= swift
DEMO_DIR ?= out/demo
BENCH_DIR ?= .bench

.PHONY: deps build release demo test bench format clean

deps:
	@./scripts/install-deps.sh

build: deps
	$(SWIFT) build

# The shipped binary links Swift's runtime statically: about 15 ms less to start, for every command.
RELEASE_FLAGS = -c release --static-swift-stdlib
release: deps
	$(SWIFT) build $(RELEASE_FLAGS)

# Builds, materialises the demo estate from fixtures/demo, scans it, writes the findings and the pin
# inventory, and ends with the proof report built from them.
REPORT_INPUTS = $(DEMO_DIR)/findings.json $(DEMO_DIR)/pins.json $(DEMO_DIR)/adoption.json
PLUMB_BIN = $$($(SWIFT) build --show-bin-path)/plumb
demo: deps
	$(SWIFT) build --product plumb-fixtures
	$(SWIFT) build --product plumb
	@rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)/estate
	@$$($(SWIFT) build --show-bin-path)/plumb-fixtures fixtures/demo --into $(DEMO_DIR)/estate >/dev/null
	@cp fixtures/demo.estate.yml $(DEMO_DIR)/estate/estate.yml
	@echo "== plumb scan --manifest $(DEMO_DIR)/estate/estate.yml --config fixtures/demo.plumb.yml"
	@$(PLUMB_BIN) scan --manifest $(DEMO_DIR)/estate/estate.yml --config fixtures/demo.plumb.yml; \
	  status=$$?; \
	  echo "== exit status $$status (1: findings at or above error, 3: a repository could not be read)"
	@echo "== the nightly run: plumb scan --store $(DEMO_DIR)/plumb.sqlite --format json --output $(DEMO_DIR)/findings.json"
	@$(PLUMB_BIN) scan --manifest $(DEMO_DIR)/estate/estate.yml --config fixtures/demo.plumb.yml \
	  --store $(DEMO_DIR)/plumb.sqlite --format json --output $(DEMO_DIR)/findings.json || true
	@$(PLUMB_BIN) pins --manifest $(DEMO_DIR)/estate/estate.yml --config fixtures/demo.plumb.yml \
	  --format json --output $(DEMO_DIR)/pins.json || true
	@echo "== plumb adoption --since 2025-06-01 --every month --output $(DEMO_DIR)/adoption.json"
	@$(PLUMB_BIN) adoption --manifest $(DEMO_DIR)/estate/estate.yml --config fixtures/demo.plumb.yml \
	  --since 2025-06-01 --every month --format json --output $(DEMO_DIR)/adoption.json || true
	@echo "== plumb report $(REPORT_INPUTS) --store $(DEMO_DIR)/plumb.sqlite --output $(DEMO_DIR)/report"
	@$(PLUMB_BIN) report $(REPORT_INPUTS) --store $(DEMO_DIR)/plumb.sqlite --config fixtures/demo.plumb.yml \
	  --manifest $(DEMO_DIR)/estate/estate.yml --output $(DEMO_DIR)/report
	@echo "== open $(DEMO_DIR)/report/index.html in a browser (one self-contained file)"

# The whole suite; fails on compiler warnings in plumb's own code. Chromium is for the proof report's
# browser test, which is skipped (and says so) when it cannot be installed.
test: deps
	@./scripts/install-chromium.sh || true
	@mkdir -p .build
	$(SWIFT) build --build-tests 2>&1 | tee .build/build.log
	@./scripts/check-warnings.sh .build/build.log
	$(SWIFT) test --skip-build --disable-swift-testing 2>&1 | tee .build/test.log; status=$${PIPESTATUS[0]}; \
	  ./scripts/test-summary.sh .build/test.log; exit $$status

# Wall time and peak memory against plain git doing the comparable walk (see scripts/bench.sh).
bench: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product plumb
	BENCH_DIR=$(BENCH_DIR) ./scripts/bench.sh

format:
	$(SWIFT) format --in-place --recursive Sources Tests Package.swift

clean:
	rm -rf .build out $(BENCH_DIR)
