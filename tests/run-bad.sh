#!/usr/bin/env bash
# Hostile and broken input: every folder tests/bad/CATEGORY/CASE/ is one
# case, run in a scratch copy of its folder:
#   args            kgmap's arguments (one line, word-split; default
#                   `mapping.yml`); the runner adds `-o OUT` in front
#   run             instead of args: a bash script run with $KGMAP set, for
#                   cases -o cannot express (/dev/full, a closed stdout)
#   gen             a bash script run first in the scratch folder: makes the
#                   big inputs (100 MB strings, deep nesting, alias bombs),
#                   which are never committed
#   expected-error  the exact standard error (with `-o`, kgmap writes
#                   nothing to stdout)
#   expected-exit   the exit status (default 1)
#   expected-output exit 0 cases: the exact output file (serdi must read
#                   it in any case)
#   limits          `mem=KB time=SECONDS` (default mem=150000 time=10):
#                   peak resident memory (/usr/bin/time %M) and wall time
#   big             present: the input is too big to check -o twice
# Checks: exit status, the exact stderr, no file at a new -o path, an
# existing -o file untouched, no temporary file left beside it, and the
# memory and time bounds.  Exit 0 cases must write a file that serdi reads.
# Run from the repository root with KGMAP set (see Makefile).  VALGRIND=1:
# KGMAP runs kgmap under valgrind (make valgrind's wrapper script), so
# memory is not checked, time limits are 20 times longer, the cases with
# generated input (`gen`, `big`) are skipped, and each case runs once (with
# an existing -o file).  SANITIZED=1 (make asan, make ubsan): memory is
# not checked and time limits are 5 times longer.
set -u
bin=${KGMAP:-build/kgmap}
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
vg=${VALGRIND:-}
# SANITIZED=1: kgmap built with sanitizers (make asan): their shadow memory
# makes peak memory meaningless, and they run slower.
san=${SANITIZED:-}
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 skip=0
only=${1:-}

fail_case() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

# The output format of a case, for the serdi check of exit-0 cases.
out_format() {
  case " $1 " in
    *" -f nquads "* | *" -f nq "*) echo nquads ;;
    *" -f ntriples "* | *" -f nt "*) echo ntriples ;;
    *" -f trig "*) echo trig ;;
    *) echo turtle ;;
  esac
}

# run_kgmap WORK ARGS...: kgmap in WORK with stderr to $tmp/err; sets rc,
# mem (KB) and secs.
run_kgmap() {
  local work=$1; shift
  (cd "$work" && exec /usr/bin/time -f '%M %e' -o "$tmp/time" \
    timeout -s KILL "$tlimit" "$bin" "$@") >"$tmp/stdout" 2>"$tmp/err"
  rc=$?
  read -r mem secs < <(tail -1 "$tmp/time" 2>/dev/null) || { mem=0 secs=0; }
  # /usr/bin/time adds a line when the command fails: keep kgmap's stderr.
  sed -i '/^Command exited with non-zero status\|^Command terminated by signal/d' "$tmp/err"
  sed -i "s|$work|WORK|g" "$tmp/err" # RML names maps by the file's IRI
}

check_common() {
  local name=$1
  if [ "$rc" -eq 137 ]; then fail_case "$name" "killed after ${tlimit}s (hang?)"; return 1; fi
  if [ "$rc" -ne "$want" ]; then
    fail_case "$name" "exit $rc, expected $want; stderr: $(head -3 "$tmp/err")"; return 1
  fi
  if ! cmp -s "$tmp/err" "$case_dir/expected-error"; then
    fail_case "$name" "stderr differs:"
    diff "$case_dir/expected-error" "$tmp/err" | head -10 | sed 's/^/    /'; return 1
  fi
  if [ -z "$vg$san" ] && [ "$mem" -gt "$mlimit" ]; then
    fail_case "$name" "peak memory ${mem} KB > ${mlimit} KB"; return 1
  fi
  return 0
}

run_case() {
  local case_dir=$1 name=${1#tests/bad/}
  local work=$tmp/work want=1 mlimit=150000 tlimit=10
  [ -f "$case_dir/expected-exit" ] && want=$(cat "$case_dir/expected-exit")
  if [ -f "$case_dir/limits" ]; then
    local kv
    for kv in $(cat "$case_dir/limits"); do
      case $kv in mem=*) mlimit=${kv#mem=} ;; time=*) tlimit=${kv#time=} ;; esac
    done
  fi
  [ -n "$vg" ] && tlimit=$((tlimit * 20))
  [ -n "$san" ] && tlimit=$((tlimit * 5))
  if [ -n "$vg" ] && { [ -f "$case_dir/big" ] || [ -f "$case_dir/gen" ]; }; then
    skip=$((skip + 1)); return
  fi
  if [ ! -f "$case_dir/expected-error" ]; then fail_case "$name" "no expected-error"; return; fi
  rm -rf "$work" && cp -r "$case_dir" "$work"
  if [ -f "$work/gen" ] && ! (cd "$work" && bash ./gen) >"$tmp/gen.log" 2>&1; then
    fail_case "$name" "gen failed: $(head -3 "$tmp/gen.log")"; return
  fi
  if [ -f "$work/run" ]; then
    (cd "$work" && KGMAP=$bin exec timeout -s KILL "$tlimit" bash ./run) \
      >"$tmp/stdout" 2>"$tmp/err"
    rc=$? mem=0
    check_common "$name" && pass=$((pass + 1))
    return
  fi
  local args=(mapping.yml)
  [ -f "$work/args" ] && read -r -a args <"$work/args"
  # 1. An existing -o file: untouched on error, replaced on success.
  echo precious >"$work/out.keep"
  run_kgmap "$work" -o out.keep "${args[@]}"
  check_common "$name" || return
  if [ -s "$tmp/stdout" ]; then fail_case "$name" "wrote to stdout with -o"; return; fi
  if compgen -G "$work/out.keep.kgmap-*" >/dev/null; then
    fail_case "$name" "a temporary file was left beside -o"; return
  fi
  if [ "$want" -ne 0 ] && [ "$(cat "$work/out.keep")" != precious ]; then
    fail_case "$name" "the existing -o file was changed"; return
  fi
  if [ -f "$case_dir/expected-output" ]; then
    if ! cmp -s "$case_dir/expected-output" "$work/out.keep"; then
      fail_case "$name" "output differs:"
      diff "$case_dir/expected-output" "$work/out.keep" | head -10 | sed 's/^/    /'; return
    fi
  fi
  if [ "$want" -eq 0 ] && ! serdi -i "$(out_format " ${args[*]} ")" "$work/out.keep" >/dev/null 2>"$tmp/serdi"; then
    fail_case "$name" "serdi rejects the output: $(head -2 "$tmp/serdi")"; return
  fi
  # 2. A new -o path: no file on error (big cases: once is enough).
  if [ "$want" -ne 0 ] && [ ! -f "$case_dir/big" ] && [ -z "$vg" ]; then
    run_kgmap "$work" -o out.new "${args[@]}"
    check_common "$name (new -o)" || return
    if [ -e "$work/out.new" ] || compgen -G "$work/out.new.kgmap-*" >/dev/null; then
      fail_case "$name" "an output file was left at a new -o path"; return
    fi
  fi
  pass=$((pass + 1))
}

while IFS= read -r dir; do
  [ -n "$only" ] && [[ $dir != *"$only"* ]] && continue
  s0=$SECONDS; run_case "$dir"; [ -n "${BAD_TIMES:-}" ] && echo "$((SECONDS - s0))s $dir"
done < <(find tests/bad -mindepth 2 -maxdepth 2 -type d | sort)

[ $skip -gt 0 ] && echo "bad: skipped $skip cases with generated input under valgrind"
echo "bad: $pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
