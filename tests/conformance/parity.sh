#!/usr/bin/env bash
# YARRRML parity with the RML-Core suite: every case that YARRRML can
# express has a hand-written YARRRML mapping in yarrrml/ID.yml.  Cases
# YARRRML cannot express are listed, with the reason, in
# yarrrml/not-expressible.txt; a case in neither place, or in both, fails
# the run, so the count stays honest.
#
#   parity.sh [--markdown FILE] DIR
#
# Each case runs in a copy of its folder with the YARRRML mapping beside the
# data, as run.sh runs it.  A graph case is the same when the YARRRML
# mapping gives
#   1. the case's expected output (with the case's base IRI), and
#   2. the same dataset as kgmap's run of the RML mapping, with the case's
#      base IRI and with another one ($OTHER_BASE): the mappings must mean
#      the same, not just agree on one run (an RML mapping whose IRIs
#      depend on the base IRI cannot be matched by writing that base into
#      the YARRRML templates).
# An error case is the same when both the YARRRML and the RML runs exit
# non-zero with a message and leave no output file.
#
# Prints one line per case and "parity: N same, M differ, K not
# expressible (of T)"; exits non-zero when a case differs.  --markdown
# appends a section with the summary and a table of every case to FILE
# (docs/conformance.md, after run.sh --markdown).
set -u
here=$(cd "$(dirname "$0")" && pwd)
markdown=
if [ "${1:-}" = --markdown ]; then
  markdown=$2
  shift 2
fi
if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: parity.sh [--markdown FILE] DIR" >&2
  exit 2
fi
dir=$(cd "$1" && pwd)
KGMAP=$(cd "$(dirname "${KGMAP:-build/kgmap}")" && pwd)/$(basename "${KGMAP:-build/kgmap}")
TOOLS=$(cd "${TOOLS:-build/tools}" && pwd)
TIMEOUT=${TIMEOUT:-30}
OTHER_BASE=${OTHER_BASE:-http://other.example.org/base/}
ydir=$here/yarrrml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ID -> reason of the cases YARRRML cannot express.
declare -A nox=()
while read -r id reason; do
  case $id in '' | '#'*) continue ;; esac
  nox[$id]=${reason:-no reason given}
done <"$ydir/not-expressible.txt"

TOOLS=$TOOLS bash "$here/run.sh" --list "$dir" >"$tmp/cases" || exit 1

# run ID MAPPING BASE OUT: kgmap in a copy of the case folder (the YARRRML
# mapping copied in when MAPPING is mapping.yml); prints the exit status,
# stderr in $tmp/err.
run() {
  rm -rf "$tmp/case" "$4"
  cp -r "$dir/$1" "$tmp/case"
  [ "$2" = mapping.yml ] && cp "$ydir/$1.yml" "$tmp/case/$2"
  (cd "$tmp/case" && timeout "$TIMEOUT" "$KGMAP" --base "$3" -f nquads \
    -o "$4" "$2") >/dev/null 2>"$tmp/err"
  echo $?
}

# failed_cleanly RC OUT: an error exit with a message and no output file.
failed_cleanly() {
  [ "$1" -ge 1 ] && [ "$1" -lt 124 ] && [ -s "$tmp/err" ] && [ ! -e "$2" ]
}

# same_error ID MAPPING BASE: prints nothing and returns 0 when both runs
# fail cleanly, else prints the reason.
same_error() {
  local yrc rrc msg
  yrc=$(run "$1" mapping.yml "$3" "$tmp/y.nq")
  msg=$(head -1 "$tmp/err")
  if ! failed_cleanly "$yrc" "$tmp/y.nq"; then
    echo "expected an error, the YARRRML run exited $yrc"; return 1
  fi
  rrc=$(run "$1" "$2" "$3" "$tmp/r.nq")
  if ! failed_cleanly "$rrc" "$tmp/r.nq"; then
    echo "the RML run did not fail cleanly (exit $rrc)"; return 1
  fi
  echo "$msg" >"$tmp/msg"
}

# compare WHAT A B: rdfcmp (lenient when the expected file needs it).
compare() {
  if ! "$TOOLS/rdfcmp" $mode "$2" "$3" >"$tmp/diff" 2>&1; then
    echo "YARRRML graph differs from $1"
    sed 's/^/    /' "$tmp/diff" | head -12
    return 1
  fi
}

# same_graph ID MAPPING BASE EXPECTED: as same_error, for a graph case.
same_graph() {
  local id=$1 rml=$2 base=$3 yrc rrc b
  mode=
  "$TOOLS/rdfcmp" "$dir/$id/$4" "$dir/$id/$4" >/dev/null 2>&1 || mode=--lenient
  for b in "$base" "$OTHER_BASE"; do
    yrc=$(run "$id" mapping.yml "$b" "$tmp/y.nq")
    if [ "$yrc" -ne 0 ]; then
      echo "YARRRML run (base $b) exited $yrc: $(head -2 "$tmp/err" | tr '\n' ' ')"
      return 1
    fi
    rrc=$(run "$id" "$rml" "$b" "$tmp/r.nq")
    if [ "$rrc" -ne 0 ]; then echo "the RML run (base $b) exited $rrc"; return 1; fi
    if [ "$b" = "$base" ]; then
      compare "the expected output" "$dir/$id/$4" "$tmp/y.nq" || return 1
    fi
    compare "the RML run with base $b" "$tmp/r.nq" "$tmp/y.nq" || return 1
  done
}

same=0 differ=0 skipped=0
: >"$tmp/results"
while IFS=$'\t' read -r id kind mapping base expected; do
  if [ -n "${nox[$id]+x}" ]; then
    if [ -f "$ydir/$id.yml" ]; then
      echo "FAIL $id: has a YARRRML mapping and is listed as not expressible"
      differ=$((differ + 1)); result="FAIL: listed as not expressible but has a YARRRML mapping"
    else
      echo "SKIP $id: ${nox[$id]}"; skipped=$((skipped + 1))
      result="not expressible: ${nox[$id]}"
    fi
  elif [ ! -f "$ydir/$id.yml" ]; then
    echo "FAIL $id: no yarrrml/$id.yml and not in not-expressible.txt"
    differ=$((differ + 1)); result="FAIL: no YARRRML mapping"
  else
    rm -f "$tmp/msg"
    if [ "$kind" = error ]; then
      reason=$(same_error "$id" "$mapping" "$base")
    else
      reason=$(same_graph "$id" "$mapping" "$base" "$expected")
    fi
    if [ $? -eq 0 ]; then
      note=
      [ -s "$tmp/msg" ] && note=" (error: $(cat "$tmp/msg"))"
      echo "SAME $id$note"; same=$((same + 1))
      result="same ([\`$id.yml\`](../tests/conformance/yarrrml/$id.yml))"
    else
      echo "FAIL $id: $reason"; differ=$((differ + 1))
      result="FAIL: $(printf '%s' "$reason" | head -1)"
    fi
  fi
  printf '%s\t%s\t%s\n' "$id" "$kind" "$result" >>"$tmp/results"
done <"$tmp/cases"
for id in "${!nox[@]}"; do
  cut -f1 "$tmp/cases" | grep -qx -- "$id" ||
    { echo "FAIL $id: in not-expressible.txt but not in the suite"; differ=$((differ + 1)); }
done
total=$(wc -l <"$tmp/cases")

write_markdown() {
  echo
  echo "## YARRRML parity"
  echo
  echo "Hand-written YARRRML versions of the cases (\`tests/conformance/yarrrml/\`),"
  echo "run by \`tests/conformance/parity.sh\` (part of \`make conformance\`). A"
  echo "graph case is the same when its YARRRML mapping gives the expected output"
  echo "and the same dataset as the RML mapping, with the case's base IRI and"
  echo "with another one; an error case when both mappings fail."
  echo
  echo "$same of $total cases give the same result in YARRRML; $differ differ;"
  echo "$skipped cannot be expressed in YARRRML"
  echo "(\`tests/conformance/yarrrml/not-expressible.txt\`)."
  echo
  echo "| Case | Expects | YARRRML |"
  echo "|------|---------|---------|"
  while IFS=$'\t' read -r id kind result; do
    printf '| %s | %s | %s |\n' "$id" "$kind" "$(printf '%s' "$result" | sed 's/[\\|]/\\&/g')"
  done <"$tmp/results"
}
if [ -n "$markdown" ]; then
  write_markdown >>"$markdown"
fi

echo "parity: $same same, $differ differ, $skipped not expressible (of $total)"
[ "$differ" -eq 0 ]
