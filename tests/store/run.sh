#!/usr/bin/env bash
# The diplomacy graph in a real SPARQL store: Virtuoso Open Source
# (scripts/virtuoso.sh: a private database in a temporary directory, bound
# to 127.0.0.1 on a free port, stopped by its PID on exit).
#  - the TriG and the N-Quads (per-article graphs) are loaded over the Graph
#    Store Protocol with digest authentication, each into an empty store,
#    and every competency question (queries/*.rq) gives the same expected
#    answer as on Oxigraph (tests/graph/run-queries.mjs --endpoint);
#  - the Turtle, loaded into one graph and read back over the protocol, is
#    the dataset kgmap writes as N-Triples (rdfcmp);
#  - a wrong password is refused (HTTP 401), and nothing is loaded;
#  - kgmap's sparql target (tests/store/people.json): the statements of
#    each graph are loaded, a local file target of the same run is written;
#    a refused password, a server error, an unset credential variable, an
#    endpoint nobody listens on are errors (exit 1) with the HTTP status
#    and the server's message, and then nothing is loaded or written; a
#    target loaded before another failed is named in a warning.
# Run from the repository root with KGMAP and TOOLS set (see Makefile).
# Prints "store: N passed, M failed".
set -u
KGMAP=${KGMAP:-build/kgmap}
TOOLS=${TOOLS:-build/tools}
tmp=$(mktemp -d)
vt=$tmp/virtuoso
cleanup() {
  [ -f "$vt/virtuoso.pid" ] && bash scripts/virtuoso.sh stop "$vt"
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
maps=(mappings/diplomacy/*.yml)

if ! command -v virtuoso-t >/dev/null; then
  bad "virtuoso-t not found (scripts/install-deps.sh installs virtuoso-opensource-7-bin)"
  echo "store: $pass passed, $fail failed"
  exit 1
fi
if ! timeout 90 bash scripts/virtuoso.sh start "$vt" >"$tmp/start" 2>&1; then
  bad "Virtuoso did not start: $(tail -3 "$tmp/start")"
  echo "store: $pass passed, $fail failed"
  exit 1
fi
ok
eval "$(bash scripts/virtuoso.sh env "$vt")"
query=$KGMAP_SPARQL_QUERY

# The number of statements in the store's kgmap graphs.
count() {
  curl -sf -m 60 -H 'Accept: text/tab-separated-values' --data-urlencode \
    'query=SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o }
       FILTER (STRSTARTS(STR(?g), "https://w3id.org/kgmap/") || STRSTARTS(STR(?g), "urn:kgmap:") ||
               STRSTARTS(STR(?g), "http://ex.org/")) }' \
    "$query" | tail -1
}

# Empty the store: DELETE (Graph Store Protocol) every graph loaded.
clear_store() {
  local g
  curl -sf -m 60 -H 'Accept: text/tab-separated-values' --data-urlencode \
    'query=SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o }
       FILTER (STRSTARTS(STR(?g), "https://w3id.org/kgmap/") || STRSTARTS(STR(?g), "urn:kgmap:") ||
               STRSTARTS(STR(?g), "http://ex.org/")) }' \
    "$query" | tail -n +2 | tr -d '"' >"$tmp/graphs"
  while read -r g; do
    curl -sf -m 60 -o /dev/null --digest -u "$KGMAP_SPARQL_USER:$KGMAP_SPARQL_PASSWORD" \
      -X DELETE "$KGMAP_SPARQL_ENDPOINT?graph=$(node -e 'console.log(encodeURIComponent(process.argv[1]))' "$g")" ||
      bad "cannot delete graph $g"
  done <"$tmp/graphs"
  [ "$(count)" = 0 ] || bad "the store is not empty after deleting every graph ($(count) statements)"
}

# load-and-ask NAME FILE: load FILE into the empty store, then every query.
load_and_ask() {
  local name=$1 file=$2
  if timeout 60 bash scripts/virtuoso.sh load "$vt" "$file" >"$tmp/load" 2>&1; then ok
  else bad "$name: load failed: $(tail -2 "$tmp/load")"; return; fi
  if timeout 120 node tests/graph/run-queries.mjs --endpoint "$query" >"$tmp/queries" 2>&1; then ok
  else bad "$name: queries on Virtuoso:"; grep -v '^ok' "$tmp/queries" | head -20; fi
  echo "$name on Virtuoso: $(tail -1 "$tmp/queries")"
}

# A wrong password: HTTP 401, an error, nothing loaded.
if KGMAP_SPARQL_PASSWORD=wrong timeout 60 node scripts/gsp-load.mjs --default-graph urn:kgmap:default \
     "$KGMAP_SPARQL_ENDPOINT" out/diplomacy.ttl >"$tmp/out" 2>"$tmp/err"; then
  bad "wrong password: the load succeeded"
elif ! grep -q 'HTTP 401' "$tmp/err" || [ "$(count)" != 0 ]; then
  bad "wrong password: no HTTP 401 error, or statements loaded: $(head -2 "$tmp/err")"
else ok; fi

load_and_ask trig out/diplomacy.trig
clear_store
"$KGMAP" -q -f nquads -o "$tmp/diplomacy.nq" "${maps[@]}" || bad "kgmap -f nquads failed"
load_and_ask nquads "$tmp/diplomacy.nq"
clear_store

# The Turtle into one graph, read back as N-Triples: kgmap's statements.
if timeout 60 bash scripts/virtuoso.sh load "$vt" out/diplomacy.ttl >"$tmp/load" 2>&1 &&
   curl -sf -m 60 -H 'Accept: application/n-triples' -o "$tmp/back.nt" \
     "${query%/sparql}/sparql-graph-crud?graph=urn:kgmap:default" &&
   serdi -q -i ntriples -o ntriples "$tmp/back.nt" >"$tmp/back2.nt" &&
   "$KGMAP" -q --merge-graphs -f ntriples -o "$tmp/kg.nt" "${maps[@]}" &&
   "$TOOLS/rdfcmp" "$tmp/kg.nt" "$tmp/back2.nt" >"$tmp/diff" 2>&1; then ok
else bad "turtle: the graph read back from Virtuoso is not kgmap's: $(tail -3 "$tmp/diff" "$tmp/load" 2>/dev/null)"; fi

clear_store

# --- kgmap's sparql target ------------------------------------------------
EX=http://ex.org/
XI='"^^<http://www.w3.org/2001/XMLSchema#integer>'
# sparql_mapping DIR ENDPOINT [TARGET-KEYS]: people to the store, events
# to the local file DIR/out/events.nt.
sparql_mapping() {
  mkdir -p "$1/out" && cp tests/store/people.json "$1/"
  cat >"$1/mapping.yml" <<MAPPING
prefixes:
  ex: $EX
targets:
  store: {access: '$2', type: sparql${3-, graph: 'urn:kgmap:people'}}
  events: [out/events.nt, ntriples]
sources:
  people: [people.json~jsonpath, '\$.people[*]']
  events: [people.json~jsonpath, '\$.events[*]']
mappings:
  person:
    sources: people
    s: {value: ex:person/\$(id), targets: store}
    po:
      - [ex:name, \$(name)]
      - {p: ex:age, o: \$(age), g: ex:graph/ages}
  event:
    sources: events
    s: {value: ex:event/\$(id), targets: events}
    po:
      - [ex:label, \$(label)]
MAPPING
}
# get GRAPH: the graph read back from the store, as sorted N-Triples.
get() {
  curl -sf -m 60 -H 'Accept: application/n-triples' \
    "${query%/sparql}/sparql-graph-crud?graph=$(node -e 'console.log(encodeURIComponent(process.argv[1]))' "$1")" |
    serdi -q -i ntriples -o ntriples - | sort
}
# run_kgmap DIR [ENV...]: kgmap in DIR, stderr in $tmp/err.
run_kgmap() {
  local dir=$1 bin
  bin=$(cd "$(dirname "$KGMAP")" && pwd)/$(basename "$KGMAP")
  shift
  (cd "$dir" && env "$@" timeout 120 "$bin" -v -f nquads -o default.nq mapping.yml) >/dev/null 2>"$tmp/err"
}
# fails NAME TEXT DIR [ENV...]: kgmap on DIR fails with TEXT in stderr,
# writes nothing (no local file, no -o file) and loads nothing.
fails() {
  local name=$1 text=$2 dir=$3 before rc
  shift 3
  before=$(count)
  run_kgmap "$dir" "$@"
  rc=$?
  if [ $rc -ne 1 ]; then bad "$name: exit $rc, expected 1: $(head -2 "$tmp/err")"; return; fi
  grep -qF -- "$text" "$tmp/err" || { bad "$name: stderr lacks '$text': $(head -3 "$tmp/err")"; return; }
  if [ -n "$(ls -A "$dir/out")" ] || [ -e "$dir/default.nq" ]; then
    bad "$name: files were written: $(ls "$dir/out" "$dir" | tr '\n' ' ')"; return
  fi
  [ "$(count)" = "$before" ] || { bad "$name: the store changed ($before -> $(count) statements)"; return; }
  ok
}

sparql_mapping "$tmp/sp" "$KGMAP_SPARQL_ENDPOINT"
if run_kgmap "$tmp/sp"; then ok; else bad "sparql target: kgmap failed: $(head -3 "$tmp/err")"; fi
grep -qF "target 'store': 4 statements loaded into $KGMAP_SPARQL_ENDPOINT (2 graphs)" "$tmp/err" && ok ||
  bad "sparql target: -v does not report the load: $(cat "$tmp/err")"
want_people=$(printf '<%sperson/p1> <%sname> "Ann" .\n<%sperson/p2> <%sname> "Bob" .' $EX $EX $EX $EX)
want_ages=$(printf '<%sperson/p1> <%sage> "31%s .\n<%sperson/p2> <%sage> "42%s .' $EX $EX "$XI" $EX $EX "$XI")
if [ "$(get urn:kgmap:people)" = "$want_people" ] && [ "$(get ${EX}graph/ages)" = "$want_ages" ] &&
   [ "$(count)" = 4 ]; then ok
else bad "sparql target: the store holds $(count) statements: $(get urn:kgmap:people) $(get ${EX}graph/ages)"; fi
[ "$(grep -c . "$tmp/sp/out/events.nt" 2>/dev/null)" = 1 ] && ok ||
  bad "sparql target: the local file target of the same run was not written"

sparql_mapping "$tmp/pw" "$KGMAP_SPARQL_ENDPOINT"
fails "sparql wrong password" "answered HTTP 401 (the credentials were refused)" "$tmp/pw" KGMAP_SPARQL_PASSWORD=wrong
sparql_mapping "$tmp/def" "$KGMAP_SPARQL_ENDPOINT" ""
fails "sparql server error" "?default answered HTTP 500: HTTP/1.1 500 Request Failed Error 22023" "$tmp/def"
sparql_mapping "$tmp/var" "$KGMAP_SPARQL_ENDPOINT" ", graph: 'urn:x', userVariable: KGMAP_TEST_NO_SUCH_VAR"
fails "sparql unset variable" "the environment variable KGMAP_TEST_NO_SUCH_VAR is not set" "$tmp/var"
closed=
for _ in $(seq 1 50); do
  p=$((20000 + RANDOM % 40000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then closed=$p; break; fi
done
sparql_mapping "$tmp/down" "http://127.0.0.1:$closed/sparql-graph-crud-auth"
fails "sparql endpoint down" "cannot upload to http://127.0.0.1:$closed/" "$tmp/down"

# Two sparql targets, the second refused: the first stays loaded, and a
# warning says so; the run fails and writes no local file.
sparql_mapping "$tmp/two" "$KGMAP_SPARQL_ENDPOINT"
sed -i "s|^  events: \[out.*|&\n  other: {access: '$KGMAP_SPARQL_ENDPOINT', type: sparql, graph: 'urn:kgmap:other', passwordVariable: KGMAP_TEST_BAD}|; s|^      - \[ex:label, .*|&\n      - {p: ex:note, o: x, targets: other}|" "$tmp/two/mapping.yml"
run_kgmap "$tmp/two" KGMAP_TEST_BAD=wrong
rc=$?
if [ $rc -eq 1 ] && grep -q "warning: target 'store': 2 of 2 graphs were loaded into" "$tmp/err" &&
   grep -q "target 'other': .* answered HTTP 401" "$tmp/err" && [ -z "$(ls -A "$tmp/two/out")" ]; then ok
else bad "sparql partial load: exit $rc: $(head -3 "$tmp/err")"; fi

echo "store: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
