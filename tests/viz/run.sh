#!/usr/bin/env bash
# The visual formats (-f dot, graphml, cytoscape) read by real tools:
#  - Graphviz renders the DOT of the diplomacy graph (sfdp: the whole graph;
#    dot: the actor network that make graph draws) with no error or warning,
#    and the SVG has as many nodes and edges as SPARQL counts in the graph
#    (tests/viz/counts.mjs on Oxigraph);
#  - the GraphML is well-formed XML (xmllint) and networkx's GraphML reader
#    (Debian python3-networkx) reads it with the same counts; no GraphML XSD
#    is available offline here, so it is not validated against the schema;
#    yEd reads only its yfiles graphics, and no yEd runs here (it is not in
#    Debian): graphml-read.py --yed checks every node's y:ShapeNode and
#    y:NodeLabel, every edge's y:PolyLineEdge and y:EdgeLabel, against the
#    labels;
#  - the Cytoscape JSON parses with the same counts, and with VIZ_DATA (the
#    JSON under the repository) viz/index.html loads it in headless Chromium
#    (tests/viz/browser.mjs; screenshot to SHOT, out/diplomacy-viz.png);
#  - labels full of markup, quotes, backslash escapes and control characters
#    (tests/viz/nasty.yml) come out of Graphviz's SVG, networkx and
#    JSON.parse as they went in;
#  - --lang en / fr label Russia as SPARQL finds its rdfs:label in that
#    language;
#  - every format is byte-identical across runs; a source that cannot be
#    read is an error with no output file; a bad -f is a usage error.
# Run from the repository root with KGMAP set (see Makefile).
# Prints "viz: N passed, M failed".
set -u
KGMAP=${KGMAP:-build/kgmap}
PY=/usr/bin/python3 # Debian's, with python3-networkx
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
check() { if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', want '$3'"; fi; }
maps=(mappings/diplomacy/*.yml)
SEM=http://semanticweb.cs.vu.nl/2009/11/sem/
KGD=https://w3id.org/kgmap/diplo/ontology#

"$KGMAP" -q --merge-graphs -f trig -o "$tmp/kg.trig" "${maps[@]}" || bad "kgmap -f trig"
want=$(node tests/viz/counts.mjs "$tmp/kg.trig")
want_net=$(node tests/viz/counts.mjs "$tmp/kg.trig" "${SEM}Actor" "${SEM}Event" "${KGD}Agreement")
echo "viz: the diplomacy graph has $want nodes and edges; the network view $want_net"

for f in dot graphml cytoscape; do
  "$KGMAP" -q -f $f -o "$tmp/kg.$f" "${maps[@]}" || bad "kgmap -f $f failed"
  "$KGMAP" -q -f $f "${maps[@]}" >"$tmp/again.$f" &&
    cmp -s "$tmp/kg.$f" "$tmp/again.$f" && ok || bad "-f $f differs between runs"
done

# ---- DOT: Graphviz renders it -------------------------------------------
svg_counts() { # nodes and edges in a Graphviz SVG
  echo "$(grep -c '<g id="node[0-9]*" class="node' "$1") $(grep -c '<g id="edge[0-9]*" class="edge' "$1")"
}
if sfdp -Tsvg -o "$tmp/kg.svg" "$tmp/kg.dot" 2>"$tmp/err" && [ ! -s "$tmp/err" ]; then ok
else bad "sfdp -Tsvg: $(head -3 "$tmp/err")"; fi
check "nodes and edges in Graphviz's SVG of the whole graph" "$(svg_counts "$tmp/kg.svg")" "$want"
gvpr -c -f scripts/network.gvpr "$tmp/kg.dot" >"$tmp/net.dot" 2>"$tmp/err" && ok ||
  bad "gvpr: $(head -3 "$tmp/err")"
if dot -Tsvg -o "$tmp/net.svg" "$tmp/net.dot" 2>"$tmp/err" && [ ! -s "$tmp/err" ]; then ok
else bad "dot -Tsvg on the network: $(head -3 "$tmp/err")"; fi
check "nodes and edges in the SVG of the network view" "$(svg_counts "$tmp/net.svg")" "$want_net"
xmllint --noout "$tmp/kg.svg" "$tmp/net.svg" 2>"$tmp/err" && ok || bad "SVG: $(head -3 "$tmp/err")"

# ---- GraphML: a real reader ---------------------------------------------
xmllint --noout "$tmp/kg.graphml" 2>"$tmp/err" && ok || bad "GraphML is not XML: $(head -3 "$tmp/err")"
got=$($PY tests/viz/graphml-read.py "$tmp/kg.graphml" 2>"$tmp/err" | head -1)
check "networkx reads the GraphML ($(head -1 "$tmp/err"))" "$got" "$want"
got=$($PY tests/viz/graphml-read.py --yed "$tmp/kg.graphml" 2>&1)
check "yEd's graphics: a labelled shape per node, a labelled arrow per edge" "$got" "$want"

# ---- Cytoscape JSON -------------------------------------------------------
got=$(node -e 'const e = JSON.parse(require("fs").readFileSync(process.argv[1])).elements;
  console.log(e.nodes.length, e.edges.length)' "$tmp/kg.cytoscape" 2>&1)
check "JSON.parse of the Cytoscape elements" "$got" "$want"

# ---- escaping, end to end --------------------------------------------------
labels=$(node -e 'for (const t of require("./tests/viz/nasty.json").things) console.log(JSON.stringify(t.label))')
for f in dot graphml cytoscape; do
  "$KGMAP" -q -f $f -o "$tmp/nasty.$f" tests/viz/nasty.yml || bad "kgmap -f $f nasty.yml"
done
if dot -Tsvg -o "$tmp/nasty.svg" "$tmp/nasty.dot" 2>"$tmp/err" && [ ! -s "$tmp/err" ]; then ok
else bad "dot -Tsvg on nasty labels: $(head -3 "$tmp/err")"; fi
# Graphviz draws each label line as one <text>: join a node's lines with \n.
got=$(node -e '
  const svg = require("fs").readFileSync(process.argv[1], "utf8");
  const un = s => s.replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(+d))
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"")
    .replace(/&#39;/g, "\x27").replace(/&amp;/g, "&");
  for (const g of svg.split("class=\"node ").slice(1)) {
    const node = g.split("</g>")[0];
    const lines = [...node.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map(m => un(m[1]));
    const note = un(node.match(/xlink:title="([^"]*)"/)[1]).split("\nex:note: ")[1];
    // the last line is the type
    console.log(JSON.stringify(lines.slice(0, -1).join("\n")), JSON.stringify(note));
  }' "$tmp/nasty.svg")
# A label's tab is drawn as nothing by Graphviz (HTML-like text); the
# tooltip keeps the tab.
want_svg=$(node -e 'for (const t of require("./tests/viz/nasty.json").things)
  console.log(JSON.stringify(t.label.replace(/\t/g, "")), JSON.stringify(t.note))')
check "labels and tooltips in Graphviz's SVG" "$got" "$want_svg"
got=$($PY tests/viz/graphml-read.py "$tmp/nasty.graphml" label 2>&1 | tail -n +2 |
  node -e 'for (const l of require("fs").readFileSync(0, "utf8").trim().split("\n")) console.log(JSON.stringify(JSON.parse(l)))')
check "labels read back by networkx" "$got" "$labels"
got=$($PY tests/viz/graphml-read.py --yed "$tmp/nasty.graphml" 2>&1)
check "yEd's labels of the nasty labels" "$got" "$($PY tests/viz/graphml-read.py "$tmp/nasty.graphml" | head -1)"
got=$(node -e 'for (const n of JSON.parse(require("fs").readFileSync(process.argv[1])).elements.nodes)
  console.log(JSON.stringify(n.data.label))' "$tmp/nasty.cytoscape")
check "labels read back by JSON.parse" "$got" "$labels"

# ---- the page, in headless Chromium ---------------------------------------
if [ -n "${VIZ_DATA:-}" ]; then
  node tests/viz/browser.mjs "$VIZ_DATA" "$tmp/kg.trig" "$want_net" \
    "${SHOT:-out/diplomacy-viz.png}" >"$tmp/browser" 2>&1 && ok ||
    { bad "the page:"; grep -v '^browser:' "$tmp/browser" | cut -c1-400 | head -20; }
  tail -1 "$tmp/browser"
fi

# ---- --lang: the label in that language, as SPARQL finds it -------------------
for lang in en fr; do
  want_label=$(node scripts/query.mjs -e "SELECT ?l WHERE { <https://w3id.org/kgmap/diplo/id/russia>
    <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(lang(?l) = '$lang') }" "$tmp/kg.trig" | tail -n +2)
  got=$("$KGMAP" -q --lang $lang -f cytoscape "${maps[@]}" | node -e '
    const e = JSON.parse(require("fs").readFileSync(0)).elements;
    console.log(e.nodes.find(n => n.data.iri === "https://w3id.org/kgmap/diplo/id/russia").data.label)')
  check "--lang $lang labels Russia" "$got" "$want_label"
done

# ---- errors: a clear message, exit 1, no output file -----------------------------
printf 'prefixes: {ex: "http://e/"}\nmappings:\n  x:\n    sources: [[nowhere.json~jsonpath, "$"]]\n    s: ex:$(id)\n' >"$tmp/bad.yml"
"$KGMAP" -f dot -o "$tmp/bad.dot" "$tmp/bad.yml" 2>"$tmp/err"
check "a missing source with -f dot" "$? $(ls "$tmp"/bad.dot* 2>/dev/null | wc -l) $(grep -c 'error:' "$tmp/err")" "1 0 1"

"$KGMAP" -f dott "${maps[@]}" >/dev/null 2>"$tmp/err"
check "-f dott is a usage error" "$?: $(head -1 "$tmp/err")" \
  "2: kgmap: unknown format 'dott' (turtle, ntriples, nquads, trig, dot, graphml, cytoscape)"

echo "viz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
