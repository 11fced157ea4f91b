#!/usr/bin/env bash
# Replay every input under tests/fuzz/regressions/TARGET/ through
# DIR/replay_TARGET (tests/fuzz/replay.c), one process per input so that a
# crash names its file.  Usage: regress.sh DIR TARGET...
# Prints "fuzz-regress: N passed, M failed".
set -u
dir=$1; shift
# Raptor's own leaks (tests/fuzz/lsan.supp), when built with ASan.
export LSAN_OPTIONS=suppressions=$(cd "$(dirname "$0")" && pwd)/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}
pass=0 fail=0
for t in "$@"; do
  for f in tests/fuzz/regressions/"$t"/*; do
    [ -f "$f" ] || continue
    if "$dir/replay_$t" "$f" >/dev/null 2>"$dir/replay.err"; then
      pass=$((pass + 1))
    else
      echo "FAIL $t: $f"; sed 's/^/  /' "$dir/replay.err" | head -20
      fail=$((fail + 1))
    fi
  done
done
echo "fuzz-regress: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
