#!/usr/bin/env bash
# The RML-Core conformance suite (see /work/shared/conformance/README.md),
# driven from its manifest.
#
#   run.sh [--markdown FILE | --list] DIR
#
# DIR holds one folder per case and manifest.ttl (N-Triples; metadata.csv
# when there is no manifest).  Each case runs in its folder:
#   $KGMAP --base BASE -f nquads -o OUT MAPPING
# A graph case passes when rdfcmp finds OUT equal to the expected output (in
# --lenient mode when a strict parser rejects the expected file itself: the
# rml:UnsafeIRI case); an error case passes when kgmap exits non-zero with a
# message and leaves no output file.
#
# expected-failures.txt lists known failures ("ID reason"); a listed case
# that passes fails the run, so the list stays true.  Prints one line per
# case and "conformance: N passed, M failed"; --markdown also writes a table
# of every case (docs/conformance.md).
set -u
here=$(cd "$(dirname "$0")" && pwd)
markdown= list=
if [ "${1:-}" = --markdown ]; then
  markdown=$2
  shift 2
elif [ "${1:-}" = --list ]; then
  list=1 # print the case lines (see below) and stop: parity.sh uses them
  shift
fi
if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: run.sh [--markdown FILE | --list] DIR" >&2
  exit 2
fi
dir=$(cd "$1" && pwd)
KGMAP=${KGMAP:-build/kgmap}
TOOLS=$(cd "${TOOLS:-build/tools}" && pwd)
TIMEOUT=${TIMEOUT:-30}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The comparer first: every verdict below rests on it.
if ! bash "$here/test-rdfcmp.sh" "$TOOLS/rdfcmp" >"$tmp/selftest" 2>&1; then
  cat "$tmp/selftest"
  echo "conformance: rdfcmp fails its self-test; no case was run"
  exit 1
fi

# One line per case: ID <TAB> graph|error <TAB> mapping <TAB> base IRI
# <TAB> expected output file, sorted by ID.
cases_from_manifest() {
  awk '
    function lit(o) { sub(/^"/, "", o); sub(/".*$/, "", o); return o }
    function iri(o) { sub(/^</, "", o); sub(/>$/, "", o); return o }
    {
      s = $1; p = $2; o = $0
      sub(/^[^ \t]+[ \t]+[^ \t]+[ \t]+/, "", o); sub(/[ \t]*\.[ \t]*$/, "", o)
      T = "<http://w3id.org/rml/test/"
      if (p == "<http://purl.org/dc/terms/identifier>") id[s] = lit(o)
      else if (p == T "hasError>") err[s] = (o ~ /^"true"/)
      else if (p == T "mappingDocument>") map[s] = lit(o)
      else if (p == T "defaultBaseIRI>") base[s] = iri(o)
      else if (p == T "output>" && o ~ /^</) out[s] = o
      else if (p == T "output>") file[s] = lit(o)
      else if (o == "<http://www.w3.org/2006/03/test-description#TestCase>") tc[s] = 1
    }
    END {
      for (s in tc)
        printf "%s\t%s\t%s\t%s\t%s\n", id[s], err[s] ? "error" : "graph",
               map[s], base[s], (s in out) ? file[out[s]] : ""
    }' "$dir/manifest.ttl" | sort
}

# metadata.csv: RFC 4180 fields (quoted, "" for a quote).  Prints
# ID <TAB> field N for every record; with N = "cases", the case line.
csv_fields() {
  awk -v want="$1" '
    function parse(line,   i, c, q, f, n) {
      n = 0; f = ""; q = 0
      for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (q && c == "\"" && substr(line, i + 1, 1) == "\"") { f = f c; i++ }
        else if (c == "\"") q = !q
        else if (c == "," && !q) { F[++n] = f; f = "" }
        else f = f c
      }
      F[++n] = f
      return n
    }
    { sub(/\r$/, "") }
    NR == 1 { n = parse($0); for (i = 1; i <= n; i++) col[F[i]] = i; next }
    {
      parse($0)
      if (want == "cases")
        printf "%s\t%s\t%s\t%s\t%s\n", F[col["ID"]],
               F[col["error"]] == "true" ? "error" : "graph",
               F[col["mapping"]], F[col["base_iri"]], F[col["output1"]]
      else {
        t = F[col[want]]; gsub(/^"|"$/, "", t)
        printf "%s\t%s\n", F[col["ID"]], t
      }
    }' "$dir/metadata.csv" | sort
}

if [ -f "$dir/manifest.ttl" ]; then
  cases_from_manifest >"$tmp/cases"
elif [ -f "$dir/metadata.csv" ]; then
  csv_fields cases >"$tmp/cases"
else
  echo "run.sh: $dir has neither manifest.ttl nor metadata.csv" >&2
  exit 2
fi
if [ -n "$list" ]; then
  cat "$tmp/cases"
  exit 0
fi
: >"$tmp/titles"
[ -f "$dir/metadata.csv" ] && csv_fields title >"$tmp/titles"

# ID -> reason of the expected failures.
declare -A xfail=()
while read -r id reason; do
  case $id in '' | '#'*) continue ;; esac
  xfail[$id]=${reason:-no reason given}
done <"$here/expected-failures.txt"

# run_case ID KIND MAPPING BASE OUTPUT: prints nothing and returns 0 when
# the case passes, else prints the reason.
run_case() {
  local id=$1 kind=$2 mapping=$3 base=$4 expected=$5 rc
  local out=$tmp/out.nq err=$tmp/err
  rm -f "$out"
  (cd "$dir/$id" && timeout "$TIMEOUT" $KGMAP --base "$base" -f nquads \
    -o "$out" "$mapping") >/dev/null 2>"$err"
  rc=$?
  if [ $rc -eq 124 ]; then
    echo "kgmap did not finish within ${TIMEOUT}s"; return 1
  fi
  if [ $rc -ge 128 ]; then
    echo "kgmap crashed (exit $rc): $(head -c 300 "$err")"; return 1
  fi
  if [ "$kind" = error ]; then
    if [ $rc -eq 0 ]; then echo "expected an error, kgmap exited 0"; return 1; fi
    if [ ! -s "$err" ]; then echo "exit $rc without a message"; return 1; fi
    if [ -e "$out" ]; then echo "failed but left an output file"; return 1; fi
    return 0
  fi
  if [ $rc -ne 0 ]; then
    echo "kgmap exit $rc: $(head -3 "$err" | tr '\n' ' ')"; return 1
  fi
  local mode=
  "$TOOLS/rdfcmp" "$dir/$id/$expected" "$dir/$id/$expected" >/dev/null 2>&1 ||
    mode=--lenient
  if ! "$TOOLS/rdfcmp" $mode "$dir/$id/$expected" "$out" >"$tmp/diff" 2>&1; then
    echo "graph differs: $(tail -1 "$tmp/diff")"
    sed '$d; s/^/    /' "$tmp/diff" | head -22
    return 1
  fi
  return 0
}

pass=0 fail=0 xfails=0
: >"$tmp/results"
while IFS=$'\t' read -r id kind mapping base expected; do
  reason=$(run_case "$id" "$kind" "$mapping" "$base" "$expected")
  ok=$?
  if [ -n "${xfail[$id]+x}" ]; then
    if [ $ok -eq 0 ]; then
      echo "FAIL $id: passes but is listed in expected-failures.txt (remove it)"
      fail=$((fail + 1)); result="pass (listed as expected failure)"
    else
      echo "XFAIL $id: ${xfail[$id]}"
      xfails=$((xfails + 1)); result="expected failure: ${xfail[$id]}"
    fi
  elif [ $ok -eq 0 ]; then
    echo "PASS $id"; pass=$((pass + 1)); result=pass
  else
    echo "FAIL $id: $reason"; fail=$((fail + 1))
    result="FAIL: $(printf '%s' "$reason" | head -1)"
  fi
  printf '%s\t%s\t%s\n' "$id" "$kind" "$result" >>"$tmp/results"
done <"$tmp/cases"
for id in "${!xfail[@]}"; do
  if ! cut -f1 "$tmp/cases" | grep -qx -- "$id"; then
    echo "FAIL $id: listed in expected-failures.txt but not in the suite"
    fail=$((fail + 1))
  fi
done

# The table of docs/conformance.md.
write_markdown() {
  local total
  total=$(wc -l <"$tmp/cases")
  {
    echo "# RML-Core conformance"
    echo
    echo "The RML-Core test cases with JSON sources (W3C KG-Construct CG,"
    echo "kg-construct/rml-core, test-cases), run by"
    echo "\`tests/conformance/run.sh\`. Regenerate with \`make conformance-doc\`."
    echo
    echo "$pass of $total cases pass; $fail fail; $xfails are expected failures"
    echo "(\`tests/conformance/expected-failures.txt\`)."
    echo
    echo "| Case | Expects | Result | Title |"
    echo "|------|---------|--------|-------|"
    while IFS=$'\t' read -r id kind result; do
      local title
      title=$(awk -F'\t' -v id="$id" '$1 == id { print $2 }' "$tmp/titles")
      printf '| %s | %s | %s | %s |\n' "$id" "$kind" \
        "$(printf '%s' "$result" | sed 's/|/\\|/g')" \
        "$(printf '%s' "$title" | sed 's/|/\\|/g')"
    done <"$tmp/results"
  } >"$markdown.tmp" && mv "$markdown.tmp" "$markdown"
}
[ -n "$markdown" ] && write_markdown

note=
[ $xfails -gt 0 ] && note=" ($xfails expected failures)"
echo "conformance: $pass passed, $fail failed$note"
[ $fail -eq 0 ]
