#!/usr/bin/env bash
# The project's whole check, as `npm test` and CI run it:
#   1. two lanes side by side (one per core), each step stopping its lane on failure:
#        lint (eslint), then the API docs check (typedoc: every export documented, links between pages valid);
#        format (prettier), type-check (tsc), build (tsc, then the bin bundled by esbuild), then packaging
#        (npm pack, publint, attw, install + import + require + bin smoke test);
#   2. the mocha specs (examples, doctests of README/docs/TSDoc, the browser spec in headless Chromium) under
#      c8, measured once, with the thresholds of .c8rc.json. Coverage counts the processes that run the specs
#      and the in-process CLI worker, never spawned children (spec/support/coverage.cjs).
# Each step prints its time. The output ends with the plain line "N passed, N failed"; any failing step makes
# it "… N failed" with N ≥ 1 and the exit status non-zero.
set -uo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# step NAME COMMAND…: runs one step, prints its name, output and time; returns its status
step() {
  local name="$1"
  shift
  local start=$SECONDS
  echo "── $name"
  "$@" 2>&1
  local status=$?
  if [[ $status -ne 0 ]]; then
    echo "$name failed ($((SECONDS - start)) s)"
  else
    echo "   $name: $((SECONDS - start)) s"
  fi
  return $status
}

lane_static() {
  step "lint (eslint)" npx eslint . &&
    step "API docs (typedoc: every export documented; links between pages)" node scripts/docs.mjs --check
}
lane_build() {
  step "format (prettier)" npx prettier --check . --log-level warn &&
    step "type-check (tsc)" npx tsc -p tsconfig.json &&
    step "build (tsc, the bundled bin)" npm run build --silent &&
    step "packaging (npm pack, publint, attw, smoke test)" node scripts/packCheck.mjs
}

begin=$SECONDS
lane_static >"$work/static.log" 2>&1 &
static_pid=$!
lane_build >"$work/build.log" 2>&1 &
build_pid=$!
wait "$static_pid"
static_status=$?
wait "$build_pid"
build_status=$?
cat "$work/static.log" "$work/build.log"
if [[ $static_status -ne 0 || $build_status -ne 0 ]]; then
  echo
  echo "0 passed, 1 failed"
  exit 1
fi
echo "   checks before the specs: $((SECONDS - begin)) s"

echo "── specs (mocha) with coverage (c8, thresholds in .c8rc.json)"
start=$SECONDS
log="$work/mocha.log"
npx c8 mocha 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
echo "   specs with coverage: $((SECONDS - start)) s; npm test: $((SECONDS - begin)) s"

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
