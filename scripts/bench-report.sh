#!/usr/bin/env bash
# The proof report's figures: building it from the 200-repository estate's scan (target under 5 s), and a
# synthetic 2,000-repository report opened in headless Chromium (target: loaded in under 2 s).
# usage: bench-report.sh ESTATE_DIR   (scripts/bench.sh passes its cached 200-repository estate)
set -euo pipefail
cd "$(dirname "$0")/.."
ESTATE="$1"
BENCH_DIR="${BENCH_DIR:-.bench}"
RUNS="${RUNS:-5}"
PLUMB="${PLUMB:-$(swift build -c release --show-bin-path)/plumb}"
mkdir -p "$BENCH_DIR"

source scripts/bench-lib.sh

# Inputs as a nightly job would have them: the scan with attribution, and the pin inventory.
"$PLUMB" scan "$ESTATE" --format json --output "$BENCH_DIR/report-findings.json" >/dev/null 2>&1 || true
"$PLUMB" pins "$ESTATE" --format json --output "$BENCH_DIR/report-pins.json" >/dev/null 2>&1 || true
count=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(len(d['repositories']), sum(len(r['findings']) for r in d['repositories']))" "$BENCH_DIR/report-findings.json")
build=$(time_runs "$PLUMB" report "$BENCH_DIR/report-findings.json" "$BENCH_DIR/report-pins.json" \
  --output "$BENCH_DIR/report-200")
printf "Proof report\n"
printf "  plumb report, %s repositories / %s findings + pins  %8.3f s   (target < 5)\n" ${count% *} ${count#* } "$build"
# The same estate as the nightly job keeps it: a store with two runs (the second reuses every result).
STORE="$BENCH_DIR/report-200.sqlite"
rm -f "$STORE"
for _ in 1 2; do "$PLUMB" scan "$ESTATE" --store "$STORE" --format jsonl --output /dev/null >/dev/null 2>&1 || true; done
build_store=$(time_runs "$PLUMB" report --store "$STORE" --output "$BENCH_DIR/report-200-store")
printf "  plumb report --store, the same %s repositories (2 runs)  %8.3f s   (target < 5)\n" ${count% *} "$build_store"

SAMPLE="$BENCH_DIR/proof-sample-2000"
[ -f "$SAMPLE/findings.json" ] || python3 scripts/proof-sample.py "$SAMPLE" --repos 2000
build2000=$(time_runs "$PLUMB" report "$SAMPLE/findings.json" "$SAMPLE/adoption.json" "$SAMPLE/pins.json" \
  --manifest "$SAMPLE/estate.yml" --output "$BENCH_DIR/report-2000" \
  --link-template "https://git.example.com/acme/{repo}/blob/{sha}/{path}#L{line}")
size=$(du -k "$BENCH_DIR/report-2000/index.html" | cut -f1)
printf "  plumb report, 2,000 synthetic repositories (+ adoption, pins)  %8.3f s, index.html %s KB\n" "$build2000" "$size"
if command -v chromium >/dev/null 2>&1; then
  loads=$(for _ in $(seq "$RUNS"); do
    python3 scripts/report-browser-check.py "$BENCH_DIR/report-2000/index.html" \
      | python3 -c "import json,sys; print(json.load(sys.stdin)['load_ms'] / 1000)"
  done | median)
  printf "  headless Chromium load of the 2,000-repository page        %8.3f s   (target < 2)\n" "$loads"
else
  echo "  chromium not installed (scripts/install-chromium.sh): page load not measured"
fi
