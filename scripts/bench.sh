#!/usr/bin/env bash
# Benchmarks plumb against plain git doing the comparable walk, on estates from shared/bench/make-estate.
# Prints medians of several runs, ratios, and plumb's peak memory. Timings are never asserted in tests.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_DIR="${BENCH_DIR:-.bench}"
SHARED_DIR="${SHARED_DIR:-../shared}"
RUNS="${RUNS:-5}"
MAKE_ESTATE="$SHARED_DIR/bench/make-estate"
PLUMB="$(swift build -c release --static-swift-stdlib --show-bin-path)/plumb"
[ -x "$MAKE_ESTATE" ] || { echo "bench: $MAKE_ESTATE not found (set SHARED_DIR)"; exit 1; }
mkdir -p "$BENCH_DIR"

estate() {  # estate NAME ARGS... : generates once, then reuses
  local dir="$BENCH_DIR/$1"; shift
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    echo "bench: generating $dir ($*)" >&2
    python3 "$MAKE_ESTATE" "$dir" "$@" >/dev/null
    touch "$dir/.complete"
  fi
  echo "$dir"
}

source scripts/bench-lib.sh

git_ls_tree_all() {
  for repo in "$1"/*/; do git -C "$repo" ls-tree -r HEAD >/dev/null; done
}
git_ls_tree_parallel() {
  ls -d "$1"/*/ | xargs -P "$(nproc)" -I{} git -C {} ls-tree -r HEAD >/dev/null
}

echo "plumb benchmarks ($(nproc) cores, medians of $RUNS runs, release build)"
echo

HEAD_ESTATE=$(estate repos200-commits200-files300 --repos 200 --commits 200 --files 300)
git_seq=$(time_runs git_ls_tree_all "$HEAD_ESTATE")
git_par=$(time_runs git_ls_tree_parallel "$HEAD_ESTATE")
plumb_scan=$(time_runs "$PLUMB" scan "$HEAD_ESTATE" --no-attribution --format json --output /dev/null)
plumb_one=$(time_runs "$PLUMB" scan "$HEAD_ESTATE" --no-attribution --jobs 1 --format json --output /dev/null)
mem=$(peak_mb "$PLUMB" scan "$HEAD_ESTATE" --no-attribution --format json --output /dev/null)
plumb_attr=$(time_runs "$PLUMB" scan "$HEAD_ESTATE" --format json --output /dev/null)
printf "HEAD scan, 200 repos x 200 commits x 300 files\n"
printf "  git ls-tree -r HEAD, one repo after another   %8.3f s\n" "$git_seq"
printf "  git ls-tree -r HEAD, %d at a time (xargs -P)   %8.3f s\n" "$(nproc)" "$git_par"
printf "  plumb scan --no-attribution --jobs 1          %8.3f s\n" "$plumb_one"
printf "  plumb scan --no-attribution (--jobs %d)        %8.3f s\n" "$(nproc)" "$plumb_scan"
printf "  plumb scan with attribution (--jobs %d)        %8.3f s\n" "$(nproc)" "$plumb_attr"
printf "  ratio plumb / git ls-tree (sequential)        %8.2fx   (target <= 2)\n" "$(echo "$plumb_scan / $git_seq" | bc -l)"
printf "  ratio plumb / git ls-tree (parallel)          %8.2fx\n" "$(echo "$plumb_scan / $git_par" | bc -l)"
printf "  plumb peak memory                             %8s MB  (target < 150)\n" "$mem"

plumb_pins=$(time_runs "$PLUMB" pins "$HEAD_ESTATE" --format json --output /dev/null)
pins_mem=$(peak_mb "$PLUMB" pins "$HEAD_ESTATE" --format json --output /dev/null)
printf "  plumb pins (inventory + roll-up)              %8.3f s, peak %s MB\n" "$plumb_pins" "$pins_mem"
echo

PLUMB="$PLUMB" BENCH_DIR="$BENCH_DIR" RUNS="$RUNS" ./scripts/bench-report.sh "$HEAD_ESTATE"
echo

# HCL parser throughput on a generated corpus of real-world-shaped .tf files, side by side with python-hcl2.
CORPUS="$BENCH_DIR/hcl-corpus-400"
[ -d "$CORPUS" ] || python3 scripts/hcl-corpus.py "$CORPUS" --files 400 >/dev/null
echo "HCL parser, $(du -sh "$CORPUS" | cut -f1) corpus of $(ls "$CORPUS" | wc -l) files"
echo "  plumb:       $("$PLUMB" debug hcl-throughput --repeat 5 "$CORPUS"/*.tf)"
if [ ! -x "$BENCH_DIR/venv/bin/python" ]; then
  (python3 -m venv "$BENCH_DIR/venv" && "$BENCH_DIR/venv/bin/pip" install -q python-hcl2) >/dev/null 2>&1 || true
fi
if [ -x "$BENCH_DIR/venv/bin/python" ] && "$BENCH_DIR/venv/bin/python" -c "import hcl2" 2>/dev/null; then
  "$BENCH_DIR/venv/bin/python" scripts/hcl-differential.py "$PLUMB" "$CORPUS" | sed 's/^/  /'
else
  echo "  python-hcl2 not available (no PyPI?): side-by-side comparison skipped"
fi

echo
# Attribution over long histories, against git's own path-limited walk of the same paths (the paths
# findings point at). Same tree size at three history lengths, so growth with history shows.
printf "Attribution, 1 repo x 2,000 files: plumb scan with attribution minus without, against\n"
printf "git log --format=%%H -- PATHS for the finding paths (medians, seconds; peak RSS in MB)\n"
printf "  %8s %6s %9s %10s %10s %12s %7s %10s %10s\n" \
  commits paths "git log" "scan w/o" "scan with" attribution ratio "peak w/o" "peak with"
for commits in 200 2000 20000; do
  tags=$(( commits >= 2000 ? 300 : commits / 2 ))
  LONG=$(estate "repos1-commits$commits-files2000" --repos 1 --commits "$commits" --files 2000 --tags "$tags")
  REPO="$LONG/svc-0000"
  "$PLUMB" scan "$REPO" --format json --output "$BENCH_DIR/long-$commits.json" >/dev/null 2>&1 || true
  PATHS=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(' '.join(sorted({f['path'] for r in d['repositories'] for f in r['findings'] if f['path']})))" "$BENCH_DIR/long-$commits.json")
  git_log() { git -C "$REPO" log --format=%H -- $PATHS >/dev/null; }
  git_log_s=$(time_runs git_log)
  without=$(time_runs "$PLUMB" scan "$REPO" --no-attribution --format json --output /dev/null)
  with=$(time_runs "$PLUMB" scan "$REPO" --format json --output /dev/null)
  noattr_mem=$(peak_mb "$PLUMB" scan "$REPO" --no-attribution --format json --output /dev/null)
  attr_mem=$(peak_mb "$PLUMB" scan "$REPO" --format json --output /dev/null)
  attribution=$(echo "$with - $without" | bc -l)
  printf "  %8s %6d %9.3f %10.3f %10.3f %12.3f %6.2fx %10s %10s\n" "$commits" "$(echo $PATHS | wc -w)" \
    "$git_log_s" "$without" "$with" "$attribution" "$(echo "$attribution / $git_log_s" | bc -l)" "$noattr_mem" "$attr_mem"
done
printf "  targets at 20,000 commits: ratio <= 1.5; peak memory with attribution flat in the number of commits\n"
# From here on $REPO is the 20,000-commit repository.
REPO="$BENCH_DIR/repos1-commits20000-files2000/svc-0000"
# A pull-request check there: both sides scanned, only what the branch brings blamed.
check_s=$(time_runs "$PLUMB" check --base HEAD~20 "$REPO" --format json --output /dev/null)
check_all_s=$(time_runs "$PLUMB" check --base HEAD~20 "$REPO" --show-existing --format json --output /dev/null)
printf "  plumb check --base HEAD~20 (20,000 commits)  %8.3f s; with --show-existing (every finding blamed) %.3f s\n" \
  "$check_s" "$check_all_s"

echo
# Adoption over the same history, month by month from its first commit, against git's own first-parent walk.
SINCE=$(git -C "$REPO" log -1 --max-parents=0 --format=%cs)
LAST=$(git -C "$REPO" log -1 --format=%cs)
git_first_parent() { git -C "$REPO" log --first-parent --format=%H >/dev/null; }
git_first_parent_no_graph() { git -C "$REPO" -c core.commitGraph=false log --first-parent --format=%H >/dev/null; }
adoption() { PLUMB_TODAY="$LAST" "$PLUMB" adoption "$REPO" --every month --since "$SINCE" --format json --output "$1"; }
# What git itself spends reading the same inputs: runbook/stale's history (the root trees of the chain, as
# `git log -- RUNBOOK.md` reads them) and each period's file list (`git ls-tree -r`, one process per period).
git_runbook_history() { git -C "$REPO" log --first-parent --format=%H -- RUNBOOK.md >/dev/null; }
PERIOD_COMMITS=$(git -C "$REPO" log --first-parent --format='%H %cs' | awk '{m = substr($2, 1, 7); if (m != last) print $1; last = m}')
git_period_listings() { for commit in $PERIOD_COMMITS; do git -C "$REPO" ls-tree -r "$commit" >/dev/null; done; }
git_fp=$(time_runs git_first_parent)
git_fp_no_graph=$(time_runs git_first_parent_no_graph)
git_runbook=$(time_runs git_runbook_history)
git_listings=$(time_runs git_period_listings)
adoption_s=$(time_runs adoption /dev/null)
adoption_mem=$(PLUMB_TODAY="$LAST" peak_mb "$PLUMB" adoption "$REPO" --every month --since "$SINCE" --format json --output /dev/null)
adoption "$BENCH_DIR/adoption.json" >/dev/null 2>&1 || true
cpu_s() { { /usr/bin/time -f "%U %S" "$@" 2>&1 >/dev/null || true; } | tail -1 | awk '{print $1 + $2}'; }  # user+sys of one run
adoption_cpu=$(cpu_s env PLUMB_TODAY="$LAST" "$PLUMB" adoption "$REPO" --every month --since "$SINCE" --format json --output /dev/null)
git_fp_cpu=$(cpu_s git -C "$REPO" log --first-parent --format=%H)
git_fp_no_graph_cpu=$(cpu_s git -C "$REPO" -c core.commitGraph=false log --first-parent --format=%H)
read -r periods evaluations < <(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(len(d['periods']), sum(r['rule_evaluations'] for r in d['repositories']))" "$BENCH_DIR/adoption.json")
printf "Adoption, 1 repo x 20,000 commits x 2,000 files, --every month from %s to %s (%d periods)\n" "$SINCE" "$LAST" "$periods"
printf "  git log --first-parent --format=%%H             %8.3f s\n" "$git_fp"
printf "  the same without the commit-graph file         %8.3f s   (core.commitGraph=false)\n" "$git_fp_no_graph"
printf "  git log --first-parent -- RUNBOOK.md           %8.3f s   (the root trees runbook/stale reads)\n" "$git_runbook"
printf "  git ls-tree -r at each period's commit         %8.3f s   (the file lists the rules read; a process each)\n" \
  "$git_listings"
printf "  plumb adoption --every month                   %8.3f s, peak %s MB, %d rule runs\n" "$adoption_s" "$adoption_mem" "$evaluations"
printf "  ratio adoption / git log --first-parent        %8.2fx   (target <= 3)\n" "$(echo "$adoption_s / $git_fp" | bc -l)"
printf "  ratio adoption / the same without commit-graph %8.2fx\n" "$(echo "$adoption_s / $git_fp_no_graph" | bc -l)"
printf "  ratio adoption / git's reads of its inputs     %8.2fx   (the runbook history plus the period listings)\n" \
  "$(echo "$adoption_s / ($git_runbook + $git_listings)" | bc -l)"
printf "  CPU (user+sys) of one run: adoption %s s, git log %s s, without commit-graph %s s\n" \
  "$adoption_cpu" "$git_fp_cpu" "$git_fp_no_graph_cpu"

echo
# The estate at scale: nightly runs with the store, and memory at 1,000 repositories.
source scripts/bench-nightly.sh
nightly_bench "$HEAD_ESTATE"
echo
memory_bench
