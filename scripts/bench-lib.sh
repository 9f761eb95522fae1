# Timing helpers shared by scripts/bench*.sh (sourced; RUNS is the number of runs per median).

now() { date +%s.%N; }

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# time_runs CMD...: median wall seconds over $RUNS runs
time_runs() {
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(now); "$@" >/dev/null 2>&1 || true; end=$(now)
    echo "$end - $start" | bc -l
  done | median
}

peak_mb() {  # peak resident memory of one run, in MB (plumb exits 1 when it finds something: not a failure here)
  { /usr/bin/time -v "$@" 2>&1 >/dev/null || true; } | awk -F: '/Maximum resident set size/ {printf "%.1f", $2/1024}'
}
