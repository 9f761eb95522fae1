#!/usr/bin/env bash
# The HCL differential check and throughput comparison: python-hcl2 (from PyPI, in a venv under
# .bench/) against plumb's parser on a generated corpus. Not part of CI: it needs PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_DIR="${BENCH_DIR:-.bench}"
FILES="${FILES:-400}"
mkdir -p "$BENCH_DIR"
if [ ! -x "$BENCH_DIR/venv/bin/python" ]; then
  python3 -m venv "$BENCH_DIR/venv"
  "$BENCH_DIR/venv/bin/pip" install -q python-hcl2
fi
corpus="$BENCH_DIR/hcl-corpus-$FILES"
[ -d "$corpus" ] || python3 scripts/hcl-corpus.py "$corpus" --files "$FILES" >/dev/null
swift build -c release --product plumb >/dev/null
"$BENCH_DIR/venv/bin/python" scripts/hcl-differential.py "$(swift build -c release --show-bin-path)/plumb" "$corpus"
