#!/bin/bash
# Map a corpus on a Slurm cluster in N shards and merge the result
# (docs/scaling.md).
#
#   kgmap-slurm.sh [-n N] [-k KGMAP] [-w WORK_DIR] -o OUTPUT.nq -- KGMAP-ARGS...
#
# Submits a job array of N tasks (map-shard.sbatch: task K runs
# `kgmap --shard K/N -f nquads`), then a merge job that depends on every
# task succeeding (merge.sbatch), and waits for the merge.  KGMAP-ARGS are
# the mapping files and options (-s NAME=PATH ...), as for one kgmap run;
# paths must be valid on the compute nodes (a shared file system).  Exit
# status: 0 when OUTPUT holds the whole graph, non-zero otherwise (no
# OUTPUT is written then).  Extra sbatch options: SBATCH_ARGS.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
n=4
kgmap=$(command -v kgmap || true)
work=
output=
while getopts n:k:w:o: opt; do
  case $opt in
  n) n=$OPTARG ;;
  k) kgmap=$OPTARG ;;
  w) work=$OPTARG ;;
  o) output=$OPTARG ;;
  *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = -- ] && shift
if [ -z "$output" ] || [ -z "$kgmap" ] || [ $# -eq 0 ] || ! [ "$n" -ge 1 ] 2>/dev/null; then
  echo "usage: kgmap-slurm.sh [-n N] [-k KGMAP] [-w WORK_DIR] -o OUTPUT.nq -- KGMAP-ARGS..." >&2
  exit 2
fi
kgmap=$(realpath "$kgmap")
output=$(realpath -m "$output")
work=${work:-$output.shards}
mkdir -p "$work"
work=$(realpath "$work")
# shellcheck disable=SC2086
array=$(sbatch --parsable ${SBATCH_ARGS:-} --array="0-$((n - 1))" \
  --output="$work/shard-%a.log" "$here/map-shard.sbatch" "$work" "$kgmap" "$@")
array=${array%%;*}
# shellcheck disable=SC2086
sbatch --parsable --wait ${SBATCH_ARGS:-} --dependency="afterok:$array" \
  --kill-on-invalid-dep=yes --output="$work/merge.log" \
  "$here/merge.sbatch" "$work" "$n" "$output" >/dev/null || {
  echo "kgmap-slurm: the job array $array failed; logs in $work" >&2
  exit 1
}
[ -f "$output" ] || { echo "kgmap-slurm: no merged output; logs in $work" >&2; exit 1; }
