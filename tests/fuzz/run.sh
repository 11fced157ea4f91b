#!/usr/bin/env bash
# Run each fuzz target for FUZZ_TIME seconds (default 60) and report its
# runs, executions per second, coverage and crashes.
# Usage: run.sh BUILD TARGET...   (BUILD holds fuzz_TARGET; see Makefile)
# Environment: FUZZ_TIME, SHARED (for the conformance seeds), FUZZ_ARGS
# (more libFuzzer options).  The corpus grows in BUILD/corpus/TARGET across
# runs; crashes, leaks and timeouts are written to BUILD/artifacts/TARGET/.
# Prints "fuzz: N passed, M failed" (a target fails when it found anything).
set -u
build=$1; shift
time=${FUZZ_TIME:-60}
here=$(dirname "$0")
bash "$here/seeds.sh" "$build" "${SHARED:-../shared}" >/dev/null || exit 1

# The dictionary and the longest input of each target.
dicts() {
  case $1 in
    doc) echo yaml ;;
    jsonpath) echo jsonpath ;;
    template) echo template jsonpath ;;
    yarrrml) echo yarrrml yaml template ;;
    rml) echo turtle template ;;
    pipeline) echo yarrrml turtle yaml template ;;
  esac
}
max_len() {
  case $1 in
    jsonpath|template) echo 4096 ;;
    *) echo 16384 ;;
  esac
}

export LSAN_OPTIONS=suppressions=$(cd "$here" && pwd)/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}
pass=0 fail=0
printf '%-9s %10s %9s %7s %7s %8s\n' target runs exec/s cov ft crashes
for t in "$@"; do
  corpus=$build/corpus/$t art=$build/artifacts/$t log=$build/fuzz_$t.log
  mkdir -p "$corpus" "$art"
  dict=$build/$t.dict
  for d in $(dicts "$t"); do cat "$here/$d.dict"; done >"$dict"
  before=$(ls "$art" | wc -l)
  # The regression inputs are run first, by this clang build: some checks
  # (UBSan's null-pointer arithmetic) exist only here, not in the gcc
  # builds that replay them in make check.
  regress=$here/regressions/$t
  [ -d "$regress" ] || regress=
  # shellcheck disable=SC2086
  "$build/fuzz_$t" -max_total_time="$time" -max_len="$(max_len "$t")" \
    -timeout=10 -rss_limit_mb=2048 -dict="$dict" -print_final_stats=1 \
    -artifact_prefix="$art/" ${FUZZ_ARGS:-} "$corpus" "$build/seeds/$t" \
    $regress >"$log" 2>&1
  rc=$?
  crashes=$(( $(ls "$art" | wc -l) - before ))
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  printf '%-9s %10s %9s %7s %7s %8s\n' "$t" "${runs:-?}" "${eps:-?}" \
    "${cov:-?}" "${ft:-?}" "$crashes"
  if [ $rc -ne 0 ] || [ "$crashes" -ne 0 ]; then
    fail=$((fail + 1))
    echo "FAIL $t (exit $rc): see $log and $art/"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz: )' "$log" | head -5 | sed 's/^/  /'
  else
    pass=$((pass + 1))
  fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
