#!/usr/bin/env bash
# Data-driven mapping cases: every folder under tests/cases/ that holds a
# mapping.yml or mapping.ttl is one case.
#   expected.nq   the expected dataset (compared as a graph by rdfcmp); the
#                 Turtle or TriG output is also checked with serdi (strict)
#                 and must give the same graph
#   expected.err  lines that must all appear in stderr; the exit status must
#                 be expected.exit (default 1) and no -o file may be left
#   args          extra command-line arguments (one line, word-split)
# Run from the repository root with KGMAP and TOOLS set (see Makefile).
set -u
KGMAP=${KGMAP:-build/kgmap}
TOOLS=${TOOLS:-build/tools}
# KGMAP may carry a wrapper (valgrind ...) before the binary's path.
bin=${KGMAP##* } wrap=${KGMAP% *}
[ "$wrap" = "$KGMAP" ] && wrap=
KGMAP="$wrap $(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
TOOLS=$(cd "$TOOLS" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

fail_case() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

run_graph_case() {
  local dir=$1 name=$2 mapping=$3; shift 3
  local out=$tmp/out.nq err=$tmp/err
  if ! (cd "$dir" && $KGMAP "$@" -f nquads -o "$out" "$mapping") 2>"$err"; then
    fail_case "$name" "kgmap failed: $(head -3 "$err")"; return
  fi
  if ! "$TOOLS/rdfcmp" "$dir/expected.nq" "$out" >"$tmp/diff" 2>&1; then
    fail_case "$name" "graph differs:"; sed 's/^/    /' "$tmp/diff" | head -20; return
  fi
  # The pretty formats: strict parse, then the same graph as N-Quads.
  # Turtle unless the mapping has named graphs, which need TriG.
  local fmt=turtle
  if ! (cd "$dir" && $KGMAP "$@" -f turtle -o "$tmp/pretty" "$mapping") 2>"$err"; then
    if ! grep -q 'named graphs' "$err"; then
      fail_case "$name" "turtle output failed: $(head -3 "$err")"; return
    fi
    fmt=trig
    (cd "$dir" && $KGMAP "$@" -f trig -o "$tmp/pretty" "$mapping") 2>"$err" || {
      fail_case "$name" "trig output failed: $(head -3 "$err")"; return; }
  fi
  if ! serdi -i $fmt -o nquads "$tmp/pretty" >"$tmp/pretty.nq" 2>"$err"; then
    fail_case "$name" "serdi rejects the $fmt output: $(head -3 "$err")"; return
  fi
  if ! "$TOOLS/rdfcmp" "$out" "$tmp/pretty.nq" >"$tmp/diff" 2>&1; then
    fail_case "$name" "$fmt output is a different graph:"; sed 's/^/    /' "$tmp/diff" | head -20; return
  fi
  pass=$((pass + 1))
}

run_error_case() {
  local dir=$1 name=$2 mapping=$3; shift 3
  local want=1 err=$tmp/err rc
  [ -f "$dir/expected.exit" ] && want=$(cat "$dir/expected.exit")
  rm -f "$tmp/never.nq"
  (cd "$dir" && $KGMAP "$@" -f nquads -o "$tmp/never.nq" "$mapping") 2>"$err" >/dev/null
  rc=$?
  if [ $rc -ne "$want" ]; then
    fail_case "$name" "exit $rc, expected $want; stderr: $(head -3 "$err")"; return
  fi
  if [ -e "$tmp/never.nq" ] || compgen -G "$tmp/never.nq.kgmap-*" >/dev/null; then
    fail_case "$name" "an output file was left behind"; return
  fi
  while IFS= read -r line || [ -n "$line" ]; do
    [ -z "$line" ] && continue
    if ! grep -qF -- "$line" "$err"; then
      fail_case "$name" "stderr lacks '$line'; it was: $(head -3 "$err")"; return
    fi
  done <"$dir/expected.err"
  pass=$((pass + 1))
}

while IFS= read -r dir; do
  name=${dir#tests/cases/}
  mapping=$(cd "$dir" && ls mapping.yml mapping.yaml mapping.ttl 2>/dev/null | head -1)
  args=()
  [ -f "$dir/args" ] && read -r -a args <"$dir/args"
  if [ -f "$dir/expected.nq" ]; then
    run_graph_case "$dir" "$name" "$mapping" "${args[@]}"
  elif [ -f "$dir/expected.err" ]; then
    run_error_case "$dir" "$name" "$mapping" "${args[@]}"
  else
    fail_case "$name" "neither expected.nq nor expected.err"
  fi
done < <(find tests/cases -name 'mapping.yml' -o -name 'mapping.yaml' -o -name 'mapping.ttl' | xargs -r -n1 dirname | sort -u)

echo "cases: $pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
