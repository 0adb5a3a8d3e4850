#!/usr/bin/env bash
# Finds the Chromium the end-to-end suite drives and prints its path; installs it when it can. Order:
# $CHROMIUM_PATH, then chromium / chromium-browser / google-chrome(-stable) on PATH; if none, and this runs as
# root on Debian with apt-get, `apt-get install chromium`; otherwise one line saying what to do, exit 1.
# Only bash builtins are used on the way to that line (test/unit/ensure-chromium.test.ts runs it with an
# empty PATH).
set -uo pipefail

if [ -n "${CHROMIUM_PATH:-}" ]; then
  if [ -x "$CHROMIUM_PATH" ]; then
    echo "$CHROMIUM_PATH"
    exit 0
  fi
  echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file: point it at Chromium or Chrome, or unset it" >&2
  exit 1
fi

find_chromium() {
  local name found
  for name in chromium chromium-browser google-chrome-stable google-chrome; do
    found=$(command -v "$name") && {
      echo "$found"
      return 0
    }
  done
  return 1
}

if find_chromium; then exit 0; fi

if [ "${EUID:-$(id -u)}" -eq 0 ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null; then
  echo "Chromium is missing (the end-to-end tests drive it): installing it with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends chromium >&2 && find_chromium; then
    exit 0
  fi
  echo "apt-get install chromium failed (see above): install Chromium, or set CHROMIUM_PATH, and run again" >&2
  exit 1
fi

echo "The end-to-end tests need Chromium: install it (Debian/Ubuntu: sudo apt-get install chromium; Fedora: sudo dnf install chromium; macOS: brew install --cask chromium) or set CHROMIUM_PATH=/path/to/chrome, then run npm test again" >&2
exit 1
