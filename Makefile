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

release: deps
	$(SWIFT) build -c release

# Builds, materialises the demo estate from fixtures/demo, scans it and writes the findings.
demo: deps
	$(SWIFT) build --product plumb-fixtures
	$(SWIFT) build --product plumb
	@rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)/estate
	@$$($(SWIFT) build --show-bin-path)/plumb-fixtures fixtures/demo --into $(DEMO_DIR)/estate >/dev/null
	@echo "== plumb scan $(DEMO_DIR)/estate --config fixtures/demo.plumb.yml"
	@$$($(SWIFT) build --show-bin-path)/plumb scan $(DEMO_DIR)/estate --config fixtures/demo.plumb.yml; \
	  status=$$?; \
	  $$($(SWIFT) build --show-bin-path)/plumb scan $(DEMO_DIR)/estate --config fixtures/demo.plumb.yml \
	    --format json --output $(DEMO_DIR)/findings.json; \
	  echo "== exit status $$status (1: findings at or above error, 3: a repository could not be read)"; \
	  echo "== findings written to $(DEMO_DIR)/findings.json"

# The whole suite; fails on compiler warnings in plumb's own code.
test: deps
	@mkdir -p .build
	$(SWIFT) build --build-tests 2>&1 | tee .build/build.log
	@./scripts/check-warnings.sh .build/build.log
	$(SWIFT) test --skip-build --disable-swift-testing 2>&1 | tee .build/test.log; status=$${PIPESTATUS[0]}; \
	  ./scripts/test-summary.sh .build/test.log; exit $$status

# Wall time and peak memory against plain git doing the comparable walk (see scripts/bench.sh).
bench: deps
	$(SWIFT) build -c release --product plumb
	BENCH_DIR=$(BENCH_DIR) ./scripts/bench.sh

format:
	$(SWIFT) format --in-place --recursive Sources Tests Package.swift

clean:
	rm -rf .build out $(BENCH_DIR)
