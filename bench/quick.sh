#!/usr/bin/env bash
# A quick throughput and memory check: N people records (default 100000,
# 10 statements each) mapped to N-Triples and Turtle.  Prints one line per
# format: statements, seconds, statements per second, peak RSS.
#   bash bench/quick.sh [N] [KGMAP]
set -eu
N=${1:-100000}
KGMAP=$(realpath "${2:-build/kgmap}")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp "$(dirname "$0")/quick.yml" "$dir/"
awk -v n="$N" 'BEGIN { srand(42); for (i = 0; i < n; i++)
  printf "{\"id\": %d, \"name\": \"Personne %d \\\"dite\\\" é\", \"post\": \"post %d\", \"born\": %d, \"country\": \"C%d\", \"aliases\": [\"A%d\", \"B%d\"], \"knows\": %d, \"note\": \"line\\nbreak %d\"}\n", i, i, i % 97, 1900 + i % 100, i % 200, i, i, int(rand() * n), i }' >"$dir/people.jsonl"
for fmt in ntriples turtle; do
  /usr/bin/time -f '%e %M' -o "$dir/time" "$KGMAP" -f $fmt -o "$dir/out" "$dir/quick.yml"
  read -r secs kb <"$dir/time"
  lines=$(grep -c . "$dir/out" || true)
  [ $fmt = ntriples ] && stmts=$lines
  awk -v f=$fmt -v s="$stmts" -v t="$secs" -v kb="$kb" -v n="$N" 'BEGIN {
    printf "%-9s %d records, %d statements, %.2f s, %.0f statements/s, peak RSS %.1f MiB\n",
      f, n, s, t, (t > 0 ? s / t : 0), kb / 1024 }'
done
