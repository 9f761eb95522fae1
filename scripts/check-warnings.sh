#!/usr/bin/env bash
# Fails when the build log holds compiler warnings about plumb's own code (dependencies are not ours to fix).
set -euo pipefail
log="$1"
root="$(cd "$(dirname "$0")/.." && pwd)"
if grep -E "^($root/)?(Sources|Tests)/[^:]+:[0-9]+:[0-9]+: warning:" "$log" | sort -u | grep .; then
  echo "check-warnings: the build has warnings in plumb's code (above); Swift 6 mode here means none." >&2
  exit 1
fi
