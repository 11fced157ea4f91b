#!/usr/bin/env bash
# The diplomacy knowledge graph (make graph's output) as an analyst gets it:
#  - the ontology, the shapes and both outputs parse with a strict parser
#    (serdi);
#  - each output, read back, is the dataset kgmap writes as N-Quads /
#    N-Triples (rdfcmp), so the Turtle and TriG writers lose nothing;
#  - the TriG conforms to the SHACL shapes, one article graph at a time
#    (shacl-engine), and fails them at the right node when a role label, an
#    interval bound or a scheme's top concepts are taken out; every
#    competency question (queries/*.rq) gives its
#    expected answer on Oxigraph.
# Run from the repository root with KGMAP and TOOLS set (see Makefile).
# Prints "graph: N passed, M failed".
set -u
KGMAP=${KGMAP:-build/kgmap}
TOOLS=${TOOLS:-build/tools}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
maps=(mappings/diplomacy/*.yml)

for f in ontology/*.ttl out/diplomacy.ttl; do
  if serdi -q -i turtle -o ntriples "$f" >/dev/null 2>"$tmp/err"; then ok
  else bad "serdi rejects $f: $(head -2 "$tmp/err")"; fi
done
if serdi -q -i trig -o nquads out/diplomacy.trig >"$tmp/trig.nq" 2>"$tmp/err"; then ok
else bad "serdi rejects out/diplomacy.trig: $(head -2 "$tmp/err")"; fi

"$KGMAP" -q -f nquads -o "$tmp/kg.nq" "${maps[@]}" &&
  "$TOOLS/rdfcmp" "$tmp/kg.nq" "$tmp/trig.nq" >"$tmp/diff" 2>&1 && ok ||
  bad "the TriG read back differs from kgmap's N-Quads: $(tail -1 "$tmp/diff")"
serdi -q -i turtle -o ntriples out/diplomacy.ttl >"$tmp/ttl.nt" 2>/dev/null
"$KGMAP" -q --merge-graphs -f ntriples -o "$tmp/kg.nt" "${maps[@]}" &&
  "$TOOLS/rdfcmp" "$tmp/kg.nt" "$tmp/ttl.nt" >"$tmp/diff" 2>&1 && ok ||
  bad "the Turtle read back differs from kgmap's N-Triples: $(tail -1 "$tmp/diff")"

node tests/graph/validate-shacl.mjs out/diplomacy.trig >"$tmp/shacl" 2>&1 && ok ||
  { bad "SHACL:"; grep -v '^shacl:' "$tmp/shacl" | head -20; }
tail -1 "$tmp/shacl"
# The shapes bite: the graph with one kind of statement taken out must
# fail validation at the node that lost it.
"$KGMAP" -q -f nquads -o "$tmp/kg.nq" "${maps[@]}"
while IFS='|' read -r drop focus; do
  grep -vF -- "$drop" "$tmp/kg.nq" >"$tmp/mut.nq"
  if node tests/graph/validate-shacl.mjs "$tmp/mut.nq" >"$tmp/shacl" 2>&1; then
    bad "SHACL accepts the graph without '$drop'"
  elif grep -q "^violation .* $focus " "$tmp/shacl"; then ok
  else bad "SHACL without '$drop': no violation at $focus: $(head -2 "$tmp/shacl")"; fi
done <<'EOF_MUT'
/role/us_president> <http://www.w3.org/2000/01/rdf-schema#label> "President of the United States"@en|kgr:role/us_president
<http://www.w3.org/2006/time#before>|kgr:membership/obama/us_president/term
<http://www.w3.org/2004/02/skos/core#hasTopConcept>|kgr:topics
EOF_MUT

node tests/graph/run-queries.mjs out/diplomacy.trig >"$tmp/queries" 2>&1 && ok ||
  { bad "queries:"; grep -v '^ok' "$tmp/queries" | head -30; }
tail -1 "$tmp/queries"

echo "graph: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
