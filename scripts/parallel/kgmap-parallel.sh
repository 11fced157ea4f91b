#!/bin/bash
# Map a corpus in N shards with GNU parallel, on this machine or on SSH
# hosts, and merge the result (docs/scaling.md).
#
#   kgmap-parallel.sh [-n N] [-k KGMAP] [-S HOSTS] [-w WORK_DIR] -o OUTPUT.nq -- KGMAP-ARGS...
#
# Shard K runs `kgmap --shard K/N -f nquads -o WORK_DIR/shard-K.nq
# KGMAP-ARGS` (N jobs at once); HOSTS is GNU parallel's -S list
# (`-S 4/node1,4/node2`, `:` for this machine), with the paths valid on
# every host (a shared file system).  The first failing shard stops the
# others; the shards are concatenated in order into OUTPUT, atomically.
set -eu
n=4
kgmap=$(command -v kgmap || true)
hosts=
work=
output=
while getopts n:k:S:w:o: opt; do
  case $opt in
  n) n=$OPTARG ;;
  k) kgmap=$OPTARG ;;
  S) hosts=$OPTARG ;;
  w) work=$OPTARG ;;
  o) output=$OPTARG ;;
  *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = -- ] && shift
if [ -z "$output" ] || [ -z "$kgmap" ] || [ $# -eq 0 ] || ! [ "$n" -ge 1 ] 2>/dev/null; then
  echo "usage: kgmap-parallel.sh [-n N] [-k KGMAP] [-S HOSTS] [-w WORK_DIR] -o OUTPUT.nq -- KGMAP-ARGS..." >&2
  exit 2
fi
kgmap=$(realpath "$kgmap")
output=$(realpath -m "$output")
work=${work:-$output.shards}
mkdir -p "$work"
work=$(realpath "$work")
remote=()
[ -n "$hosts" ] && remote=(-S "$hosts" --workdir .)
# -q: the command's words are passed as they are (no shell splitting).
parallel -q --will-cite --halt now,fail=1 -j "$n" "${remote[@]}" \
  "$kgmap" --shard "{}/$n" -f nquads -o "$work/shard-{}.nq" "$@" \
  ::: $(seq 0 $((n - 1)))
tmp="$output.merge-$$"
trap 'rm -f "$tmp"' EXIT
for ((k = 0; k < n; k++)); do cat "$work/shard-$k.nq"; done >"$tmp"
mv "$tmp" "$output"
trap - EXIT
