#!/usr/bin/env bash
# Self-test of rdfcmp (see rdfcmp/README): prints one line per check and
# "rdfcmp: N passed, M failed"; exits 1 if any check failed.
#   usage: test-rdfcmp.sh RDFCMP
set -u
rdfcmp=$1
dir=$(cd "$(dirname "$0")/rdfcmp" && pwd)
pass=0 fail=0

# check WANT_EXIT ARGS...: rdfcmp ARGS must exit WANT_EXIT.
check() {
  local want=$1 rc; shift
  "$rdfcmp" "$@" >/dev/null 2>&1
  rc=$?
  if [ "$rc" = "$want" ]; then
    pass=$((pass + 1))
  else
    echo "FAIL rdfcmp $*: exit $rc, want $want"
    fail=$((fail + 1))
  fi
}

cd "$dir" || exit 1
check 0 cycle6-a.nq cycle6-b.nq
check 0 cycle6-b.nq cycle6-a.nq
check 1 cycle6-a.nq triangles.nq
check 1 triangles.nq cycle6-a.nq
check 0 literals-a.nq literals-b.nq
check 0 graphs-a.nq graphs-b.nq
check 1 graphs-a.nq graphs-split.nq
check 1 graphs-a.nq literals-a.nq
check 0 --lenient unsafe.nq unsafe-b.nq
check 2 unsafe.nq unsafe-b.nq
check 2 literals-a.nq bad-no-dot.nq
check 2 literals-a.nq no-such-file.nq
check 2 only-one-arg.nq
echo "rdfcmp: $pass passed, $fail failed"
[ "$fail" = 0 ]
