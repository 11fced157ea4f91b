#!/usr/bin/env bash
# YARRRML parity with the RML-Core suite: every case that YARRRML can
# express has a hand-written YARRRML mapping in yarrrml/ID.yml; each must
# give the same dataset as the case's expected output and as kgmap's run of
# the RML (Turtle) mapping, or fail the same way for an error case.  Cases
# YARRRML cannot express are listed, with the reason, in
# yarrrml/not-expressible.txt; a case in neither place fails the run, so
# the count stays honest.
#
#   parity.sh [--markdown FILE] DIR
#
# Each case runs in a copy of its folder with the YARRRML mapping beside the
# data.  Prints one line per case and "parity: N same, M differ, K not
# expressible (of T)"; --markdown appends the summary to FILE.
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
ydir=$here/yarrrml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

declare -A nox=()
while read -r id reason; do
  case $id in '' | '#'*) continue ;; esac
  nox[$id]=${reason:-no reason given}
done <"$ydir/not-expressible.txt"

TOOLS=$TOOLS bash "$here/run.sh" --list "$dir" >"$tmp/cases" || exit 1

# run ID MAPPING OUT: kgmap in a copy of the case folder; prints its exit.
run() {
  rm -rf "$tmp/case" "$3"
  cp -r "$dir/$1" "$tmp/case"
  [ "${2##*.}" = yml ] && cp "$ydir/$1.yml" "$tmp/case/$2"
  (cd "$tmp/case" && timeout "$TIMEOUT" "$KGMAP" --base "$base" -f nquads \
    -o "$3" "$2") >/dev/null 2>"$tmp/err"
  echo $?
}

same=0 differ=0 skipped=0
while IFS=$'\t' read -r id kind mapping base expected; do
  if [ -n "${nox[$id]+x}" ]; then
    if [ -f "$ydir/$id.yml" ]; then
      echo "FAIL $id: has a YARRRML mapping and is listed as not expressible"
      differ=$((differ + 1))
    else
      echo "SKIP $id: ${nox[$id]}"; skipped=$((skipped + 1))
    fi
    continue
  fi
  if [ ! -f "$ydir/$id.yml" ]; then
    echo "FAIL $id: no yarrrml/$id.yml and not in not-expressible.txt"
    differ=$((differ + 1)); continue
  fi
  yrc=$(run "$id" mapping.yml "$tmp/y.nq")
  if [ "$kind" = error ]; then
    if [ "$yrc" -ge 1 ] && [ "$yrc" -lt 124 ] && [ -s "$tmp/err" ] && [ ! -e "$tmp/y.nq" ]; then
      echo "SAME $id (error: $(head -1 "$tmp/err"))"; same=$((same + 1))
    else
      echo "FAIL $id: expected an error, YARRRML run exited $yrc"; differ=$((differ + 1))
    fi
    continue
  fi
  if [ "$yrc" -ne 0 ]; then
    echo "FAIL $id: YARRRML run exited $yrc: $(head -2 "$tmp/err" | tr '\n' ' ')"
    differ=$((differ + 1)); continue
  fi
  rrc=$(run "$id" "$mapping" "$tmp/r.nq")
  mode=
  "$TOOLS/rdfcmp" "$dir/$id/$expected" "$dir/$id/$expected" >/dev/null 2>&1 || mode=--lenient
  if [ "$rrc" -ne 0 ]; then
    echo "FAIL $id: the RML run exited $rrc"; differ=$((differ + 1))
  elif ! "$TOOLS/rdfcmp" $mode "$dir/$id/$expected" "$tmp/y.nq" >"$tmp/diff" 2>&1; then
    echo "FAIL $id: YARRRML graph differs from the expected output"
    sed 's/^/    /' "$tmp/diff" | head -12; differ=$((differ + 1))
  elif ! "$TOOLS/rdfcmp" $mode "$tmp/r.nq" "$tmp/y.nq" >"$tmp/diff" 2>&1; then
    echo "FAIL $id: YARRRML graph differs from the RML run"
    sed 's/^/    /' "$tmp/diff" | head -12; differ=$((differ + 1))
  else
    echo "SAME $id"; same=$((same + 1))
  fi
done <"$tmp/cases"
for id in "${!nox[@]}"; do
  cut -f1 "$tmp/cases" | grep -qx -- "$id" ||
    { echo "FAIL $id: in not-expressible.txt but not in the suite"; differ=$((differ + 1)); }
done
total=$(wc -l <"$tmp/cases")
summary="parity: $same same, $differ differ, $skipped not expressible (of $total)"
echo "$summary"
if [ -n "$markdown" ]; then
  {
    echo
    echo "## YARRRML parity"
    echo
    echo "Hand-written YARRRML versions of the cases (\`tests/conformance/yarrrml/\`),"
    echo "run by \`tests/conformance/parity.sh\` and compared as datasets with the"
    echo "expected output and with the RML mapping's output: $same of $total cases"
    echo "give the same result in YARRRML; $differ differ; $skipped cannot be"
    echo "expressed in YARRRML:"
    echo
    echo "| Case | Why YARRRML cannot express it |"
    echo "|------|-------------------------------|"
    for id in $(printf '%s\n' "${!nox[@]}" | sort); do
      printf '| %s | %s |\n' "$id" "${nox[$id]}"
    done
  } >>"$markdown"
fi
[ "$differ" -eq 0 ]
