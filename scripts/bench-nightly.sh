#!/usr/bin/env bash
# Nightly-run benchmarks (issue: the estate at scale): a run with --store, an unchanged re-run, a re-run
# after 10 repositories got new commits, and peak memory at 1,000 repositories (the HEAD scan against
# `git ls-tree -r` is in scripts/bench.sh). Sourced by scripts/bench.sh: needs its `estate` helper and
# scripts/bench-lib.sh.
set -euo pipefail

nightly_bench() {
  local source_estate="$1"
  local work="$BENCH_DIR/nightly-work"
  local store="$BENCH_DIR/nightly.sqlite"
  # A private copy: the bench adds commits to it.
  rm -rf "$work" "$store" "$store"-wal "$store"-shm
  cp -a "$source_estate" "$work"
  local start end first unchanged changed
  # The first run's median over 3 fresh stores: it is the denominator of the 5% target.
  first_run() { rm -f "$store" "$store"-wal "$store"-shm; "$PLUMB" scan "$work" --store "$store" --format jsonl --output /dev/null; }
  first=$(RUNS=3 time_runs first_run)
  unchanged=$(time_runs "$PLUMB" scan "$work" --store "$store" --format jsonl --output /dev/null)
  local unchanged_mem
  unchanged_mem=$(peak_mb "$PLUMB" scan "$work" --store "$store" --format jsonl --output /dev/null)
  for repo in $(ls -d "$work"/*/ | head -10); do
    local file
    file=$(git -C "$repo" ls-files | grep -v '^\.' | sed -n 1p)
    echo "nightly $(date +%s%N)" >>"$repo/$file"
    git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -qam "bench: a new commit" >/dev/null
  done
  start=$(now); "$PLUMB" scan "$work" --store "$store" --format jsonl --output /dev/null >/dev/null 2>&1 || true; end=$(now)
  changed=$(echo "$end - $start" | bc -l)
  printf "Nightly run with --store, 200 repos x 200 commits x 300 files (with attribution)\n"
  printf "  first run                                     %8.3f s\n" "$first"
  printf "  unchanged re-run                              %8.3f s  (%.1f%% of the first; target <= 5%%), peak %s MB\n" \
    "$unchanged" "$(echo "100 * $unchanged / $first" | bc -l)" "$unchanged_mem"
  printf "  re-run after 10 repositories got a commit     %8.3f s  (%.1f%% of the first)\n" \
    "$changed" "$(echo "100 * $changed / $first" | bc -l)"
  rm -rf "$work"
}

memory_bench() {
  local big
  big=$(estate repos1000-commits20-files50 --repos 1000 --commits 20 --files 50)
  local store="$BENCH_DIR/big.sqlite"
  rm -f "$store" "$store"-wal "$store"-shm
  local mem mem_store
  mem=$(peak_mb "$PLUMB" scan "$big" --format jsonl --output /dev/null)
  mem_store=$(peak_mb "$PLUMB" scan "$big" --store "$store" --format jsonl --output /dev/null)
  printf "Peak memory, 1,000 repos x 20 commits x 50 files\n"
  printf "  plumb scan --format jsonl                     %8s MB  (target < 200)\n" "$mem"
  printf "  plumb scan --store --format jsonl             %8s MB  (target < 200)\n" "$mem_store"
  # Adoption across the estate: one commit a repository for most periods, and a long weekly series to write.
  local weekly=(env PLUMB_TODAY=2026-11-30 "$PLUMB" adoption "$big" --since 2019-01-01 --every week)
  local start end weekly_json weekly_csv
  start=$(now); "${weekly[@]}" --format json --output /dev/null >/dev/null 2>&1 || true; end=$(now)
  weekly_json=$(echo "$end - $start" | bc -l)
  start=$(now); "${weekly[@]}" --format csv --output /dev/null >/dev/null 2>&1 || true; end=$(now)
  weekly_csv=$(echo "$end - $start" | bc -l)
  printf "  plumb adoption --since 2019-01-01 --every week (to 2026-11-30), json / csv, one run each\n"
  printf "                                                %8.3f s / %.3f s, peak %s MB / %s MB\n" \
    "$weekly_json" "$weekly_csv" "$(peak_mb "${weekly[@]}" --format json --output /dev/null)" \
    "$(peak_mb "${weekly[@]}" --format csv --output /dev/null)"
}
