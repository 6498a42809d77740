#!/usr/bin/env bash
# Every check the project has, cheapest first, so a mistake fails fast. Run it as `npm test`:
# npm puts node_modules/.bin first on PATH, so `node` here is the project's Node 24.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n\033[1m== %s ==\033[0m\n' "$1"; }
started=$SECONDS

step "node $(node --version)"
step "lint and format"
eslint . --max-warnings 0
prettier --check . --log-level warn
step "type check"
astro check --minimumSeverity warning
tsc --noEmit -p packages/engine
step "unit tests (vitest)"
vitest run
step "engine tests again on the JavaScript kernel backend (the run above used wasm)"
DESCENT_BACKEND=js vitest run packages/engine
step "browser"
# before the build: it prints the PDF edition with Chromium
node scripts/ensure-browser.mjs
step "build"
npm run build
step "size budget"
node scripts/size-report.mjs
step "end-to-end tests (playwright, built site under ${BASE_PATH:-/descent/})"
playwright test

printf '\nAll checks passed in %ss.\n' "$((SECONDS - started))"
