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
#  - a wrong password is refused (HTTP 401), and nothing is loaded.
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
  curl -sf -H 'Accept: text/tab-separated-values' --data-urlencode \
    'query=SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o }
       FILTER (STRSTARTS(STR(?g), "https://w3id.org/kgmap/") || STRSTARTS(STR(?g), "urn:kgmap:")) }' \
    "$query" | tail -1
}

# Empty the store: DELETE (Graph Store Protocol) every graph loaded.
clear_store() {
  local g
  curl -sf -H 'Accept: text/tab-separated-values' --data-urlencode \
    'query=SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o }
       FILTER (STRSTARTS(STR(?g), "https://w3id.org/kgmap/") || STRSTARTS(STR(?g), "urn:kgmap:")) }' \
    "$query" | tail -n +2 | tr -d '"' >"$tmp/graphs"
  while read -r g; do
    curl -sf -o /dev/null --digest -u "$KGMAP_SPARQL_USER:$KGMAP_SPARQL_PASSWORD" \
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
   curl -sf -H 'Accept: application/n-triples' -o "$tmp/back.nt" \
     "${query%/sparql}/sparql-graph-crud?graph=urn:kgmap:default" &&
   serdi -q -i ntriples -o ntriples "$tmp/back.nt" >"$tmp/back2.nt" &&
   "$KGMAP" -q --merge-graphs -f ntriples -o "$tmp/kg.nt" "${maps[@]}" &&
   "$TOOLS/rdfcmp" "$tmp/kg.nt" "$tmp/back2.nt" >"$tmp/diff" 2>&1; then ok
else bad "turtle: the graph read back from Virtuoso is not kgmap's: $(tail -3 "$tmp/diff" "$tmp/load" 2>/dev/null)"; fi

echo "store: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
