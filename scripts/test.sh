#!/usr/bin/env bash
# Runs the test suites with Node's test runner. Files are listed by shell glob: Node 20's --test given a
# directory silently finds no .ts files. Usage: scripts/test.sh [unit|sync|server|e2e ...] (default: all).
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=(unit integration sync server e2e)
files=()
for suite in "${suites[@]}"; do files+=(test/"$suite"/*.test.ts); done
if [ ${#files[@]} -eq 0 ]; then
  echo "no test files found for: ${suites[*]}" >&2
  exit 1
fi
if [[ " ${suites[*]} " == *" e2e "* ]] && [ ! -f out/renderer/index.html ]; then
  echo "out/renderer is missing: run 'npm run build' first (npm test does)" >&2
  exit 1
fi
if [[ " ${suites[*]} " == *" e2e "* ]]; then
  # Found, or installed with apt-get when root on Debian; else it says what to do and the run stops here.
  CHROMIUM_PATH=$(bash scripts/ensure-chromium.sh) || exit 1
  export CHROMIUM_PATH
fi
exec node --import tsx --test --test-reporter=spec --test-concurrency=2 "${files[@]}"
