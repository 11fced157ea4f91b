#!/usr/bin/env bash
# -j N and --shard K/N: -j 2 and -j 3 write byte-identical output to -j 1
# in every format, for JSON Lines and YAML streams; the N-Quads of the
# shards of a run, concatenated, are the graph of the single run (rdfcmp);
# an error stops every job count with the same message and no output;
# bad -j and --shard values are usage errors.  Inputs: bench/gen.c
# documents through the diplomacy mapping, and a join mapping over
# generated people and countries (tests/parallel/join.yml).  Prints
# "parallel: N passed, M failed".
set -u
KGMAP=$(realpath "${KGMAP:-build/kgmap}")
GEN=$(realpath "${GEN:-build/bench/gen}")
TOOLS=$(realpath "${TOOLS:-build/tools}")
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

maps=("$root"/mappings/diplomacy/*.yml)
src=../../out/articles.yml
# 300 documents: 5 chunks of 64, the last one partial.
"$GEN" -f jsonl 300 >"$tmp/a.jsonl"
"$GEN" -f yaml 300 >"$tmp/a.yml"
cp "$root/tests/parallel/join.yml" "$tmp/"
# Two documents per person, (1,2) (3,4) ...: a subject that spans a
# document boundary, and a chunk boundary (documents 63 and 64).
awk 'BEGIN { for (i = 0; i < 500; i++)
  printf "{\"id\": %d, \"name\": \"P %d\", \"country\": \"C%d\"}\n", int((i + 1) / 2), i, i % 7 }' >"$tmp/people.jsonl"
awk 'BEGIN { for (i = 0; i < 7; i++) printf "---\ncode: C%d\nlabel: Pays %d\n", i, i }' >"$tmp/countries.yml"

diplo() { "$KGMAP" -s "$src=$1" "${@:2}" "${maps[@]}"; }
join() { "$KGMAP" "$@" "$tmp/join.yml"; }

# -j N is byte-identical to -j 1.
for in in a.jsonl a.yml; do
  for fmt in ntriples turtle nquads trig; do
    merge=()
    case $fmt in ntriples | turtle) merge=(--merge-graphs) ;; esac
    diplo "$tmp/$in" -f $fmt "${merge[@]}" -o "$tmp/j1" || bad "$in $fmt -j 1: exit $?"
    [ -s "$tmp/j1" ] || bad "$in $fmt -j 1: no output"
    for j in 2 3; do
      if diplo "$tmp/$in" -j $j -f $fmt "${merge[@]}" -o "$tmp/jn" &&
        cmp -s "$tmp/j1" "$tmp/jn"; then ok; else bad "$in $fmt: -j $j differs from -j 1"; fi
    done
  done
done
for fmt in turtle nquads; do
  join -f $fmt -o "$tmp/j1"
  if join -j 2 -f $fmt -o "$tmp/jn" && cmp -s "$tmp/j1" "$tmp/jn"; then ok; else bad "join $fmt: -j 2 differs"; fi
done
# More output than a worker's ring holds (4 MiB): 3000 documents (about
# 11 MB of Turtle, 36 MB of N-Triples per worker at -j 2), and documents of 100,000 people
# each (about 6.5 MB of Turtle each, so a chunk comes in pieces), in chunk 1
# (worker 2 of 2, ahead of chunk 0) and in chunk 2.
"$GEN" -f jsonl 3000 >"$tmp/k.jsonl"
for fmt in ntriples turtle; do
  diplo "$tmp/k.jsonl" -f $fmt --merge-graphs -o "$tmp/k1" || bad "3000 documents $fmt -j 1: exit $?"
  for j in 2 3; do
    if diplo "$tmp/k.jsonl" -j $j -f $fmt --merge-graphs -o "$tmp/kn" &&
      cmp -s "$tmp/k1" "$tmp/kn"; then ok; else bad "3000 documents $fmt: -j $j differs from -j 1"; fi
  done
done
# A worker that the machine holds back (stopped for a second, as if
# another process had its core): the other one goes on claiming chunks
# until its ring is full, out of step with it, and the output is still
# byte-identical.
diplo "$tmp/k.jsonl" -f ntriples --merge-graphs -o "$tmp/k1"
diplo "$tmp/k.jsonl" -j 2 -f ntriples --merge-graphs -o "$tmp/ks" &
run=$!
worker=
for ((i = 0; i < 200; i++)); do # $run is the subshell, kgmap its child
  kg=$(pgrep -x -P $run kgmap | head -1)
  [ -n "$kg" ] && worker=$(pgrep -x -P "$kg" kgmap | head -1)
  [ -n "$worker" ] && break
  sleep 0.01
done
stopped=no
if [ -n "$worker" ] && kill -STOP "$worker" 2>/dev/null; then
  stopped=yes
  sleep 1
  kill -CONT "$worker"
fi
wait $run
rc=$?
if [ $rc -eq 0 ] && [ $stopped = yes ] && cmp -s "$tmp/k1" "$tmp/ks"; then ok; else
  bad "a worker stopped for 1 s: exit $rc, worker '${worker}' stopped: $stopped, output $(cmp "$tmp/k1" "$tmp/ks" 2>&1)"; fi
cp "$root/tests/parallel/big.yml" "$tmp/"
awk 'BEGIN { for (d = 0; d < 130; d++) {
    n = (d == 64 || d == 129) ? 100000 : 3
    printf "{\"people\": ["
    for (i = 0; i < n; i++) printf "%s{\"id\": \"%d-%d\", \"name\": \"P %d\"}", (i ? ", " : ""), d, i, i
    print "]}" } }' >"$tmp/crowd.jsonl"
for fmt in ntriples turtle; do
  "$KGMAP" -f $fmt -o "$tmp/c1" "$tmp/big.yml" || bad "big documents $fmt -j 1: exit $?"
  [ "$(stat -c %s "$tmp/c1")" -gt $((12 << 20)) ] || bad "big documents $fmt: only $(stat -c %s "$tmp/c1") bytes"
  for j in 2 3; do
    if "$KGMAP" -j $j -f $fmt -o "$tmp/cn" "$tmp/big.yml" && cmp -s "$tmp/c1" "$tmp/cn"; then ok; else
      bad "big documents $fmt: -j $j differs from -j 1"; fi
  done
done

# The Turtle, with its breaks at document ends, is the N-Triples' graph
# as rapper reads it.
diplo "$tmp/a.jsonl" -f turtle --merge-graphs -o "$tmp/t.ttl"
diplo "$tmp/a.jsonl" -f ntriples --merge-graphs -o "$tmp/t.nt"
rapper -q -i turtle -o ntriples "$tmp/t.ttl" >"$tmp/t2.nt"
if "$TOOLS/rdfcmp" "$tmp/t.nt" "$tmp/t2.nt" >"$tmp/cmp" 2>&1; then ok; else bad "turtle and ntriples differ: $(head -2 "$tmp/cmp")"; fi

# --shard: the shards concatenated are the single run's graph, each shard
# holds its share, and no statement is in two shards.
shards() { # NAME N RUN... (RUN writes N-Quads to stdout)
  local name=$1 n=$2; shift 2
  "$@" -f nquads >"$tmp/all.nq"
  : >"$tmp/cat.nq"
  local k
  for ((k = 0; k < n; k++)); do
    "$@" -f nquads --shard $k/$n >"$tmp/s$k.nq" || bad "$name shard $k/$n: exit $?"
    [ -s "$tmp/s$k.nq" ] || bad "$name shard $k/$n: empty"
    cat "$tmp/s$k.nq" >>"$tmp/cat.nq"
  done
  if "$TOOLS/rdfcmp" "$tmp/all.nq" "$tmp/cat.nq" >"$tmp/cmp" 2>&1; then ok; else
    bad "$name: $n shards concatenated differ from one run: $(head -2 "$tmp/cmp")"; fi
  if [ "$(wc -l <"$tmp/all.nq")" = "$(wc -l <"$tmp/cat.nq")" ]; then ok; else
    bad "$name: $(wc -l <"$tmp/cat.nq") statements in the shards, $(wc -l <"$tmp/all.nq") in one run"; fi
}
shards diplo-jsonl 4 diplo "$tmp/a.jsonl"
shards diplo-yaml 3 diplo "$tmp/a.yml"
shards join 3 join
# --shard with -j: still the shard, byte for byte.
diplo "$tmp/a.jsonl" -f nquads --shard 1/3 -o "$tmp/s1"
if diplo "$tmp/a.jsonl" -f nquads --shard 1/3 -j 2 -o "$tmp/s1j" && cmp -s "$tmp/s1" "$tmp/s1j"; then ok; else bad "--shard 1/3 -j 2 differs from -j 1"; fi

# An error in document 200 of 300 (chunk 3): the same message and status
# for every job count, and no output file.
awk 'NR == 201 { sub(/"format": /, "\"format\" ") } { print }' "$tmp/a.jsonl" >"$tmp/bad.jsonl"
diplo "$tmp/bad.jsonl" -f nquads -o "$tmp/bad1.nq" 2>"$tmp/err1"
rc1=$?
[ $rc1 -eq 1 ] && grep -q "bad.jsonl:201:" "$tmp/err1" && ok || bad "bad input -j 1: exit $rc1, $(head -1 "$tmp/err1")"
for j in 2 3; do
  diplo "$tmp/bad.jsonl" -j $j -f nquads -o "$tmp/badj.nq" 2>"$tmp/errj"
  rc=$?
  if [ $rc -eq $rc1 ] && cmp -s "$tmp/err1" "$tmp/errj"; then ok; else
    bad "bad input -j $j: exit $rc, stderr $(head -1 "$tmp/errj")"; fi
  if [ -e "$tmp/badj.nq" ] || compgen -G "$tmp/badj.nq.kgmap-*" >/dev/null; then
    bad "bad input -j $j: output left behind"; else ok; fi
done

# --skip-bad-records and -v: the warnings, the skipped-records summary
# with its per-map counts, and -v's per-map counts are the same for every
# job count (the workers' counts reach the parent with their ends).
cat >"$tmp/skip.yml" <<'YML'
prefixes:
  ex: http://example.org/
mappings:
  person:
    sources: [skip.jsonl~jsonpath, "$"]
    s: $(iri)
    po:
      - p: ex:name
        o: {value: $(name), language: $(lang)}
  other:
    sources: [skip.jsonl~jsonpath, "$"]
    s: ex:o/$(name)
    po:
      - [ex:v, $(v)]
YML
awk 'BEGIN { for (i = 0; i < 300; i++)
  printf "{\"iri\": \"http://example.org/%d%s\", \"name\": \"n%d\", \"lang\": \"%s\", \"v\": %s}\n",
    i, (i % 37 == 5 ? " x" : ""), i, (i % 53 == 7 ? "not a tag" : "en"), (i % 71 == 3 ? "{\"x\": 1}" : i) }' >"$tmp/skip.jsonl"
(cd "$tmp" && "$KGMAP" -v --skip-bad-records -f ntriples -o "$tmp/skip1.nt" skip.yml 2>"$tmp/skip1.err")
grep -q "skipped .* records with data errors: mapping 'person' [0-9]*, mapping 'other' [0-9]*" "$tmp/skip1.err" &&
  grep -q "triples (person [0-9,]*, other [0-9,]*)" "$tmp/skip1.err" && ok ||
  bad "--skip-bad-records -v -j 1: no per-map counts: $(tail -2 "$tmp/skip1.err")"
for j in 2 3; do
  (cd "$tmp" && "$KGMAP" -v -j $j --skip-bad-records -f ntriples -o "$tmp/skipj.nt" skip.yml 2>"$tmp/skipj.err")
  if cmp -s "$tmp/skip1.err" "$tmp/skipj.err" && cmp -s "$tmp/skip1.nt" "$tmp/skipj.nt"; then ok; else
    bad "--skip-bad-records -v -j $j: $(diff "$tmp/skip1.err" "$tmp/skipj.err" | head -3)"; fi
done

# Usage errors.
for a in "-j 0" "-j x" "-j 1000" "--shard 3/3" "--shard 1" "--shard a/2" "--shard 1/0"; do
  # shellcheck disable=SC2086
  "$KGMAP" $a "$root/mappings/example.yml" >/dev/null 2>"$tmp/err"
  rc=$?
  [ $rc -eq 2 ] && ok || bad "'$a': exit $rc, expected 2 ($(head -1 "$tmp/err"))"
done

echo "parallel: $pass passed, $fail failed"
[ $fail -eq 0 ]
