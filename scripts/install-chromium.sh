#!/usr/bin/env bash
# Installs Debian's chromium for the proof report's browser test, only when it is missing (safe to run again).
# Without it that test is skipped, and says so; nothing else needs a browser.
set -uo pipefail

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "install-chromium: need root to install chromium; run: sudo apt-get install -y chromium" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: no apt-get here; install Chromium with your package manager for the browser test." >&2
  exit 1
fi
echo "install-chromium: installing chromium with apt-get (about a minute and a half)"
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null 2>&1; then
  $SUDO apt-get update -qq >/dev/null 2>&1 || true
  if ! $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null; then
    echo "install-chromium: apt-get could not install chromium; the browser test will be skipped." >&2
    exit 1
  fi
fi
echo "install-chromium: ok ($(chromium --version 2>/dev/null))"
