#!/usr/bin/env bash
# Installs what plumb needs to build on Debian, only when it is missing (safe to run again and again).
set -euo pipefail

need=()
pkg-config --exists 'libgit2 >= 1.5' 2>/dev/null || need+=(libgit2-dev)
pkg-config --exists sqlite3 2>/dev/null || need+=(libsqlite3-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v git >/dev/null 2>&1 || need+=(git)
command -v python3 >/dev/null 2>&1 || need+=(python3)

if ! command -v swift >/dev/null 2>&1; then
  echo "install-deps: no 'swift' on PATH; install the Swift 6 toolchain (swift.org) and try again." >&2
  exit 1
fi

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${need[*]} with apt-get"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "install-deps: need root to install ${need[*]}; run: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: no apt-get here; install ${need[*]} (libgit2 1.5 or newer, SQLite 3 headers) with your package manager." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y -qq "${need[@]}" >/dev/null 2>&1; then
  $SUDO apt-get update -qq >/dev/null 2>&1 || true
  if ! $SUDO apt-get install -y -qq "${need[@]}"; then
    echo "install-deps: apt-get could not install ${need[*]}; install them by hand and run make again." >&2
    exit 1
  fi
fi
pkg-config --exists 'libgit2 >= 1.5' || { echo "install-deps: libgit2 1.5+ still not found by pkg-config" >&2; exit 1; }
pkg-config --exists sqlite3 || { echo "install-deps: sqlite3 (libsqlite3-dev) still not found by pkg-config" >&2; exit 1; }
echo "install-deps: ok (libgit2 $(pkg-config --modversion libgit2), sqlite $(pkg-config --modversion sqlite3))"
