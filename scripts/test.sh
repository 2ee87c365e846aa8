#!/usr/bin/env bash
# The project's whole check, as `npm test` and CI run it, cheapest steps first:
#   lint, format, type-check (lib, spec, examples, bench), API docs (every export documented), build,
#   packaging (npm pack, publint, attw, install + import + require + bin smoke test), then the mocha specs
#   (browser spec in headless Chromium included) under c8 with coverage thresholds (.c8rc.json).
# The output ends with the plain line "N passed, N failed"; any failing step makes it "… N failed" with N ≥ 1
# and the exit status non-zero.
set -uo pipefail
cd "$(dirname "$0")/.."

step() {
  local name="$1"
  shift
  echo "── $name"
  if ! "$@"; then
    echo "$name failed"
    echo
    echo "0 passed, 1 failed"
    exit 1
  fi
}

step "lint (eslint)" npx eslint .
step "format (prettier)" npx prettier --check . --log-level warn
step "type-check (tsc)" npx tsc -p tsconfig.json
step "API docs (typedoc: every export documented)" node scripts/docs.mjs --check
step "build (tsc)" npx tsc -p tsconfig.build.json
step "packaging (npm pack, publint, attw, smoke test)" node scripts/packCheck.mjs

echo "── specs (mocha) with coverage (c8, thresholds in .c8rc.json)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
npx c8 mocha 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# V8 coverage of TypeScript run through tsx is mapped back through the loaders' source maps, and one run in
# eight here came out at 85 % instead of 92 % with the same specs passing (coverage of child processes and
# workers merged differently). When every spec passed and only the threshold was missed, measure once more;
# a real drop fails both runs.
if [[ $status -ne 0 ]] && grep -qE '^[0-9]+ passed, 0 failed' "$log" && grep -q 'does not meet global threshold' "$log"; then
  echo "coverage below the thresholds: measuring once more (V8-to-TypeScript mapping varies between runs)"
  rm -rf coverage/tmp
  npx c8 mocha 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
fi

# mocha's reporter printed "P passed, F failed[, S skipped]"; c8's table and threshold check came after it.
summary="$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)"
if [[ -z "$summary" ]]; then
  echo "specs failed before mocha reported a summary"
  summary="0 passed, 1 failed"
  [[ $status -eq 0 ]] && status=1
elif [[ $status -ne 0 && "$summary" =~ ^([0-9]+)\ passed,\ 0\ failed(.*)$ ]]; then
  # every spec passed but a coverage threshold was missed: count it as a failed check
  echo "coverage below the thresholds in .c8rc.json"
  summary="${BASH_REMATCH[1]} passed, 1 failed${BASH_REMATCH[2]}"
fi
echo
echo "$summary"
exit "$status"
