#!/usr/bin/env bash
# The project's whole check, as `npm test` runs it: lint, format, type-check (lib, spec, examples, bench),
# build, then the mocha specs. The output ends with the plain line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

step() {
  local name="$1"
  shift
  echo "── $name"
  if ! "$@"; then
    echo "$name failed"
    echo "0 passed, 1 failed"
    exit 1
  fi
}

step "lint (eslint)" npx eslint .
step "format (prettier)" npx prettier --check . --log-level warn
step "type-check (tsc)" npx tsc -p tsconfig.json
step "build (tsc)" npx tsc -p tsconfig.build.json
echo "── specs (mocha)"
npx mocha
