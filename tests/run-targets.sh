#!/usr/bin/env bash
# YARRRML local file targets: every folder under tests/targets/ is a case,
# run in a copy of itself (targets write beside the mapping):
#   kgmap -f nquads -o default.nq [args] mapping.yml
#   expected/PATH.nq   the file PATH must be written, and hold this dataset
#                      (PATH's extension says its syntax: .ttl .nt .nq
#                      .trig, then .gz for gzip, which must be valid gzip);
#                      expected/default.nq is the -o output
#   expected.err       lines that must all appear in stderr; exit 1, and
#                      the folder must be left exactly as it was (no target
#                      written, an existing file untouched, no temporary)
# After a successful run the folder holds exactly the expected files more.
# Run from the repository root with KGMAP and TOOLS set (see Makefile).
# Prints "targets: N passed, M failed".
set -u
KGMAP=$(cd "$(dirname "${KGMAP:-build/kgmap}")" && pwd)/$(basename "${KGMAP:-build/kgmap}")
TOOLS=$(cd "${TOOLS:-build/tools}" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
fail_case() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

# The files under a folder, with a checksum each.
listing() { (cd "$1" && find . -type f -exec md5sum {} + | sort -k2); }

syntax_of() {
  case ${1%.gz} in
    *.ttl) echo turtle ;; *.nt) echo ntriples ;; *.nq) echo nquads ;;
    *.trig) echo trig ;; *) echo unknown ;;
  esac
}

# check_output NAME RUN REL: the file RUN/REL against expected/REL.nq.
check_output() {
  local name=$1 run=$2 rel=$3 want=$4 file=$2/$3 plain=$tmp/plain
  if [ ! -f "$file" ]; then fail_case "$name" "$rel was not written"; return 1; fi
  if [[ $rel == *.gz ]]; then
    gzip -t "$file" 2>/dev/null || { fail_case "$name" "$rel is not valid gzip"; return 1; }
    gzip -dc "$file" >"$plain"
  else
    cp "$file" "$plain"
  fi
  if ! serdi -q -i "$(syntax_of "$rel")" -o nquads "$plain" >"$tmp/got.nq" 2>"$tmp/err"; then
    fail_case "$name" "$rel does not parse as $(syntax_of "$rel"): $(head -2 "$tmp/err")"; return 1
  fi
  if ! "$TOOLS/rdfcmp" "$want" "$tmp/got.nq" >"$tmp/diff" 2>&1; then
    fail_case "$name" "$rel differs:"; sed 's/^/    /' "$tmp/diff" | head -10; return 1
  fi
  # rdfcmp collapses duplicates: a line-based file must not repeat one.
  case $(syntax_of "$rel") in ntriples | nquads)
    if [ "$(grep -c . "$plain")" -ne "$(grep -c . "$want")" ]; then
      fail_case "$name" "$rel has $(grep -c . "$plain") lines, expected $(grep -c . "$want")"; return 1
    fi ;;
  esac
}

run_case() {
  local dir=$1 name=${1#tests/targets/} run=$tmp/run args=() rc
  rm -rf "$run" && mkdir -p "$run"
  (cd "$dir" && tar cf - --exclude=./expected --exclude=./expected.err .) | (cd "$run" && tar xf -)
  [ -f "$dir/args" ] && read -r -a args <"$dir/args"
  listing "$run" >"$tmp/before"
  (cd "$run" && "$KGMAP" -q -f nquads -o default.nq "${args[@]}" mapping.yml) >/dev/null 2>"$tmp/stderr"
  rc=$?
  if [ -f "$dir/expected.err" ]; then
    [ $rc -eq 1 ] || { fail_case "$name" "exit $rc, expected 1"; return; }
    while IFS= read -r line || [ -n "$line" ]; do
      [ -z "$line" ] && continue
      grep -qF -- "$line" "$tmp/stderr" || { fail_case "$name" "stderr lacks '$line': $(head -3 "$tmp/stderr")"; return; }
    done <"$dir/expected.err"
    listing "$run" >"$tmp/after"
    if ! diff -q "$tmp/before" "$tmp/after" >/dev/null; then
      fail_case "$name" "the failed run changed the folder: $(diff "$tmp/before" "$tmp/after" | grep '^[<>]' | head -3 | tr '\n' ' ')"; return
    fi
    pass=$((pass + 1)); return
  fi
  [ $rc -eq 0 ] || { fail_case "$name" "exit $rc: $(head -3 "$tmp/stderr")"; return; }
  local want rel expected_files=()
  while IFS= read -r want; do
    rel=${want#"$dir/expected/"}; rel=${rel%.nq}
    [ "$rel" = default ] && rel=default.nq
    check_output "$name" "$run" "$rel" "$want" || return
    expected_files+=("./$rel")
  done < <(find "$dir/expected" -type f -name '*.nq' | sort)
  # Nothing else: no temporary file left, no stray output.
  local extra
  extra=$(cd "$run" && find . -type f | sort | comm -23 - <( (cut -c35- "$tmp/before"; printf '%s\n' "${expected_files[@]}") | sort))
  [ -z "$extra" ] || { fail_case "$name" "unexpected files: $extra"; return; }
  # Byte-identical on a second run.
  listing "$run" >"$tmp/first"
  (cd "$run" && "$KGMAP" -q -f nquads -o default.nq "${args[@]}" mapping.yml) 2>/dev/null
  listing "$run" >"$tmp/second"
  diff -q "$tmp/first" "$tmp/second" >/dev/null || { fail_case "$name" "a second run wrote different bytes"; return; }
  pass=$((pass + 1))
}

for dir in tests/targets/*/; do
  run_case "${dir%/}"
done
echo "targets: $pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
