#!/usr/bin/env bash
# Run every cmocka unit-test binary given as an argument; with VALGRIND=1,
# under valgrind.  Prints one summary line "unit: N passed, M failed".
set -u
pass=0 fail=0
for t in "$@"; do
  if [ "${VALGRIND:-}" = 1 ]; then
    run=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 "$t")
  else
    run=("$t")
  fi
  out=$("${run[@]}" 2>&1); rc=$?
  n_ok=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  n_bad=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  pass=$((pass + ${n_ok:-0})); fail=$((fail + ${n_bad:-0}))
  if [ $rc -ne 0 ]; then
    printf '%s\n' "$out"
    echo "FAIL $t (exit $rc)"
    [ -z "$n_bad" ] && fail=$((fail + 1))
  fi
done
echo "unit: $pass passed, $fail failed"
[ $fail -eq 0 ]
