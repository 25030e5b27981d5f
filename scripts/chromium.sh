#!/usr/bin/env bash
# Ensures Debian's headless chromium and its chromedriver are installed, and prints their paths:
#   scripts/chromium.sh   -> two lines: CHROMIUM=/usr/bin/chromium and CHROMEDRIVER=/usr/bin/chromedriver
# Idempotent: installs the `chromium` and `chromium-driver` packages with apt-get only when one is
# missing (needs root, or sudo without a password). The web UI's browser tests (io.reprise.web)
# read REPRISE_CHROMIUM / REPRISE_CHROMEDRIVER, else these paths, and skip when neither exists.
set -euo pipefail

say() { echo "chromium.sh: $*" >&2; }

find_bin() {
  for name in "$@"; do
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
  done
  return 1
}

if ! find_bin chromium chromium-browser >/dev/null || ! find_bin chromedriver >/dev/null; then
  sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { say "not root and no sudo: install chromium and chromium-driver by hand"; exit 1; }
    sudo=(sudo -n)
  fi
  say "installing chromium and chromium-driver with apt-get"
  # one installer at a time: apt holds its own lock, but a second caller should wait, not fail
  exec 9>"${TMPDIR:-/tmp}/reprise-chromium.lock"
  flock 9
  if ! find_bin chromium chromium-browser >/dev/null || ! find_bin chromedriver >/dev/null; then
    "${sudo[@]}" apt-get update -qq >&2 || say "apt-get update failed; trying the install anyway"
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
      chromium chromium-driver >&2 || { say "apt-get install failed"; exit 1; }
  fi
fi
echo "CHROMIUM=$(find_bin chromium chromium-browser)"
echo "CHROMEDRIVER=$(find_bin chromedriver)"
