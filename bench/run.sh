#!/usr/bin/env bash
# The benchmark (make bench): the real diplomacy mapping
# (mappings/diplomacy/*.yml) over generated extraction documents
# (bench/gen.c), written to bench/results.md.
#
#   bash bench/run.sh KGMAP GEN [OUT.md]
#
# Environment: BENCH_SIZES (documents, default "10000 100000 1000000"),
# BENCH_DIR (generated inputs, default build/bench/data: never committed),
# BENCH_JOBS (the -j runs, default 2), BENCH_CALLGRIND_DOCS (default 1000),
# BENCH_FULL_MAX (default 100000: larger sizes run JSON Lines to N-Triples
# and Turtle only, not N-Quads and YAML, to keep the run in minutes),
# BENCH_JOBS_AT (the size of the -j runs: default the largest size up to
# BENCH_FULL_MAX), BENCH_JOBS_ROUNDS (default 5: -j 1 and -j N alternated,
# the best wall time of each compared).  bench/notes.md, when present, is appended.
#
# For each size: JSON Lines to N-Triples, Turtle and N-Quads, and the YAML
# stream to N-Quads; wall and CPU time (user + system), statements per
# second of wall time, peak RSS (/usr/bin/time -v).  Then -j N against
# -j 1, alternated, at the largest size of the full matrix, with N runs of
# -j 1 side by side (the machine's bound for N processes), rapper over the
# N-Triples of the smallest size
# as a baseline, and instructions per statement from callgrind on a fixed
# small input: the figure to compare between commits on a noisy machine.
set -eu
KGMAP=$(realpath "$1")
GEN=$(realpath "$2")
OUT=${3:-bench/results.md}
SIZES=${BENCH_SIZES:-10000 100000 1000000}
DIR=${BENCH_DIR:-build/bench/data}
JOBS=${BENCH_JOBS:-2}
CG_DOCS=${BENCH_CALLGRIND_DOCS:-1000}
FULL_MAX=${BENCH_FULL_MAX:-100000}
JOBS_AT=${BENCH_JOBS_AT:-} # the size of the -j runs; default below
ROUNDS=${BENCH_JOBS_ROUNDS:-5}
root=$(pwd)
mkdir -p "$DIR"
DIR=$(realpath "$DIR")
maps=("$root"/mappings/diplomacy/*.yml)
src=../../out/articles.yml # the source name in the mappings
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# statements FILE: the triples (or quads) in kgmap -v's summary line
# "kgmap: 1,001 documents, 54,083 records, 140,721 triples (...)".
statements() {
  sed -n 's/^kgmap: [0-9,]* documents\{0,1\}, [0-9,]* records\{0,1\}, \([0-9,]*\) triples\{0,1\}.*/\1/p' "$1" | tr -d ,
}

input() { # SIZE EXT -> path (generated once, kept in DIR)
  local f="$DIR/articles-$1.$2"
  if [ ! -s "$f" ]; then
    "$GEN" -f "$([ "$2" = yml ] && echo yaml || echo jsonl)" "$1" >"$f.tmp"
    mv "$f.tmp" "$f"
  fi
  echo "$f"
}

# run SIZE EXT FORMAT OUTPUT [KGMAP-OPTIONS...]: one table row.
run() {
  local n=$1 ext=$2 fmt=$3 out=$4; shift 4
  local in merge=()
  in=$(input "$n" "$ext")
  [ "$fmt" = nquads ] || merge=(--merge-graphs)
  /usr/bin/time -v -o "$tmp/time" "$KGMAP" -v "$@" "${merge[@]}" -f "$fmt" \
    -s "$src=$in" -o "$out" "${maps[@]}" 2>"$tmp/err" >/dev/null
  local stmts wall user sys rss
  stmts=$(statements "$tmp/err")
  wall=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$tmp/time" |
    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
  user=$(sed -n 's/.*User time (seconds): //p' "$tmp/time")
  sys=$(sed -n 's/.*System time (seconds): //p' "$tmp/time")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time")
  echo "$n $ext $fmt $* $stmts $wall $user $sys $rss" >>"$tmp/rows"
  awk -v n="$n" -v ext="$ext" -v fmt="$fmt" -v opt="$*" -v s="$stmts" \
    -v w="$wall" -v u="$user" -v y="$sys" -v kb="$rss" -v b="$(stat -c %s "$in")" 'BEGIN {
    printf "| %d | %s | %.0f | %s | %s | %d | %.2f | %.2f | %.0f | %.0f | %.1f |\n",
      n, ext, b / 1048576, fmt, (opt == "" ? "-j 1" : opt), s, w, u + y,
      (w > 0 ? s / w : 0), (u + y > 0 ? s / (u + y) : 0), kb / 1024 }'
}

# join_run SIZE: one table row for bench/join.yml.
join_run() {
  local n=$1 p="$DIR/people-$1.jsonl" c="$DIR/countries.yml"
  [ -s "$c" ] || awk 'BEGIN { for (i = 0; i < 1000; i++) printf "---\ncode: C%d\nlabel: Pays %d\n", i, i }' >"$c"
  [ -s "$p" ] || awk -v n="$n" 'BEGIN { srand(7); for (i = 0; i < n; i++)
    printf "{\"id\": %d, \"name\": \"P %d\", \"country\": \"C%d\"}\n", i, i, int(rand() * 1000) }' >"$p"
  /usr/bin/time -v -o "$tmp/time" "$KGMAP" -v -f ntriples -s people="$p" \
    -s countries="$c" -o /dev/null "$root/bench/join.yml" 2>"$tmp/err" >/dev/null
  local stmts wall user sys rss
  stmts=$(statements "$tmp/err")
  wall=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$tmp/time" |
    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
  user=$(sed -n 's/.*User time (seconds): //p' "$tmp/time")
  sys=$(sed -n 's/.*System time (seconds): //p' "$tmp/time")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time")
  awk -v n="$n" -v s="$stmts" -v w="$wall" -v u="$user" -v y="$sys" -v kb="$rss" -v b="$(stat -c %s "$p")" 'BEGIN {
    printf "| %d | join | %.0f | ntriples | -j 1 | %d | %.2f | %.2f | %.0f | %.0f | %.1f |\n",
      n, b / 1048576, s, w, u + y, (w > 0 ? s / w : 0), (u + y > 0 ? s / (u + y) : 0), kb / 1024 }'
}

# together SIZE FORMAT: JOBS runs of -j 1 at once, each over the whole
# input; appends "SIZE FORMAT WALL" (the slowest run's wall time) to
# $tmp/together.  The machine's own bound for -j JOBS: if JOBS processes
# side by side each take longer than one alone (shared caches, memory
# bandwidth, a hypervisor's scheduling), -j JOBS cannot beat that.
together() {
  local n=$1 fmt=$2 in k pids=()
  in=$(input "$n" jsonl)
  for ((k = 0; k < JOBS; k++)); do
    /usr/bin/time -f %e -o "$tmp/tw$k" "$KGMAP" --merge-graphs -f "$fmt" \
      -s "$src=$in" -o /dev/null "${maps[@]}" 2>/dev/null &
    pids+=($!)
  done
  wait "${pids[@]}"
  echo "$n $fmt $(cat "$tmp"/tw* | sort -n | tail -1)" >>"$tmp/together"
  rm -f "$tmp"/tw*
}

# callgrind INPUT FORMAT -> "instructions statements"
callgrind() {
  valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" \
    "$KGMAP" -v --merge-graphs -f "$2" -s "$src=$1" -o /dev/null \
    "${maps[@]}" 2>"$tmp/cgerr"
  echo "$(sed -n 's/^summary: //p' "$tmp/cg.out")" \
    "$(statements "$tmp/cgerr")"
}

{
  echo "# Benchmark results"
  echo
  echo "Generated by \`make bench\` (bench/run.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'),"
  echo "$(nproc) cores, $(uname -m), load before the runs:$(uptime | sed 's/.*load average:/ /')."
  echo "Mapping: mappings/diplomacy/*.yml (all $(cat "${maps[@]}" | grep -c '^  [a-z_]*:$') triples maps, registry included);"
  echo "input: bench/gen.c documents (seed 42). Statements/s is of wall time, statements/CPU-s"
  echo "of user + system time (the figure that a loaded machine disturbs least)."
  echo
  echo "| documents | input | MiB | format | jobs | statements | wall s | CPU s | statements/s | statements/CPU-s | peak RSS MiB |"
  echo "|---:|---|---:|---|---|---:|---:|---:|---:|---:|---:|"
  for n in $SIZES; do
    for fmt in ntriples turtle nquads; do
      [ "$n" -gt "$FULL_MAX" ] && [ $fmt = nquads ] && continue
      o=/dev/null
      [ "$n" = "${SIZES%% *}" ] && [ "$fmt" = ntriples ] && o=$tmp/small.nt
      run "$n" jsonl "$fmt" "$o"
    done
    [ "$n" -gt "$FULL_MAX" ] || run "$n" yml nquads /dev/null
  done
  big=${SIZES##* }
  if [ -z "$JOBS_AT" ]; then # the largest size of the full matrix
    for n in $SIZES; do [ "$n" -le "$FULL_MAX" ] && JOBS_AT=$n; done
  fi
  # -j N against -j 1: alternated, BENCH_JOBS_ROUNDS times, so that a
  # noisy minute falls on both; the best of each is compared below.
  if [ "$JOBS" -gt 1 ] && [ -n "$JOBS_AT" ]; then
    for fmt in ntriples turtle; do
      for ((r = 0; r < ROUNDS; r++)); do
        run "$JOBS_AT" jsonl "$fmt" /dev/null -j 1
        run "$JOBS_AT" jsonl "$fmt" /dev/null -j "$JOBS"
        together "$JOBS_AT" "$fmt"
      done
    done
  fi
  # Joins: people (the child side, SIZE records) joined to 1000 countries
  # (the parent side, indexed once).
  for n in $SIZES; do
    [ "$n" -gt "$FULL_MAX" ] && [ "$n" != "$big" ] && continue
    join_run "$n"
  done
  echo "| load after ||||||||||$(uptime | sed 's/.*load average://') |"
  echo
  # Linearity: seconds per 10^6 documents between the smallest and largest.
  small=${SIZES%% *}
  awk -v a="$small" -v b="$big" '$2 == "jsonl" && $3 == "ntriples" && NF == 8 {
      w[$1] = $5; c[$1] = $6 + $7 }
    END { if (b > a) printf "Slope (JSON Lines to N-Triples, %d to %d documents): %.1f s of CPU (%.1f s of wall time) per 10^6 documents; CPU time ratio %.1f for a size ratio %.0f (linear: the same ratio).\n\n", a, b, (c[b] - c[a]) / (b - a) * 1e6, (w[b] - w[a]) / (b - a) * 1e6, (c[a] > 0 ? c[b] / c[a] : 0), b / a }' "$tmp/rows"
  # The speed-up of -j N: best wall time of the alternated runs.
  awk -v n="$JOBS_AT" -v j="$JOBS" -v r="$ROUNDS" '$1 == n && $2 == "jsonl" && NF == 10 && $4 == "-j" {
      k = $3 " " $5; if (!(k in w) || $7 < w[k]) w[k] = $7 }
    END { for (f = 1; f <= 2; f++) { fmt = (f == 1 ? "ntriples" : "turtle")
        a = w[fmt " 1"]; b = w[fmt " " j]
        if (a > 0 && b > 0) printf "-j %d against -j 1, %s, %d documents, best wall time of %d alternated runs each: %.2f s against %.2f s, **%.2fx**.\n\n", j, fmt, n, r, b, a, a / b } }' "$tmp/rows"
  # The machine's bound: JOBS runs of -j 1 side by side against one alone.
  [ -s "$tmp/together" ] && awk -v n="$JOBS_AT" -v j="$JOBS" -v r="$ROUNDS" 'NR == FNR { if ($2 == "jsonl" && NF == 10 && $4 == "-j" && $5 == 1) {
      k = $1 " " $3; if (!(k in a) || $7 < a[k]) a[k] = $7 } next }
    { k = $1 " " $2; if (!(k in t) || $3 < t[k]) t[k] = $3 }
    END { for (f = 1; f <= 2; f++) { fmt = (f == 1 ? "ntriples" : "turtle"); k = n " " fmt
        if (a[k] > 0 && t[k] > 0) printf "%d runs of -j 1 side by side (%s, %d documents each, best of %d): %.2f s against %.2f s for one alone, so this machine does %d processes'"'"' work at **%.2fx** the pace of one: the bound for -j %d.\n\n", j, fmt, n, r, t[k], a[k], j, j * a[k] / t[k], j } }' "$tmp/rows" "$tmp/together"
  # The rapper baseline over the same N-Triples.
  if command -v rapper >/dev/null; then
    lines=$(wc -l <"$tmp/small.nt")
    /usr/bin/time -f '%e %M' -o "$tmp/rt" rapper -q -i ntriples -o ntriples "$tmp/small.nt" >/dev/null
    read -r secs kb <"$tmp/rt"
    awk -v l="$lines" -v s="$secs" -v kb="$kb" -v n="$small" 'BEGIN {
      printf "Baseline: `rapper -i ntriples -o ntriples` over the N-Triples of %d documents (%d statements): %.2f s, %.0f statements/s, peak RSS %.1f MiB.\n\n", n, l, s, l / s, kb / 1024 }'
  fi
  # Instructions per statement: stable where wall time is not.  The run
  # over no documents (reading the mappings and the registry) is
  # subtracted, so the figure is the cost of one more statement.
  if command -v valgrind >/dev/null; then
    cg=$(input "$CG_DOCS" jsonl)
    : >"$tmp/empty.jsonl"
    for fmt in ntriples turtle; do
      read -r ir0 st0 <<<"$(callgrind "$tmp/empty.jsonl" $fmt)"
      read -r ir st <<<"$(callgrind "$cg" $fmt)"
      awk -v ir="$ir" -v s="$st" -v ir0="$ir0" -v s0="$st0" -v n="$CG_DOCS" -v f=$fmt 'BEGIN {
        printf "Callgrind, %d documents (JSON Lines) to %s: %d instructions for %d statements, %d of them for the mappings and the registry alone (%d statements): **%.0f instructions per statement**.\n\n", n, f, ir, s, ir0, s0, (ir - ir0) / (s - s0) }'
    done
  fi
  [ -f "$root/bench/notes.md" ] && cat "$root/bench/notes.md"
} | tee "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
