#!/usr/bin/env node
// Node and edge counts of the drawing of an RDF dataset, computed with
// SPARQL on Oxigraph, independently of kgmap's viz stage:
//   node tests/viz/counts.mjs GRAPH.trig [CLASS...]
// A node is a subject, or an object that is not a literal and not the class
// of an rdf:type statement; an edge is a distinct (subject, predicate,
// object) whose object is not a literal, rdf:type excepted.  Named graphs
// are merged.  With CLASS IRIs, only nodes of one of those classes count,
// and only edges between two such nodes (the actor network view).
// Prints "NODES EDGES".
import fs from 'node:fs';
import '../../scripts/webcrypto.mjs';
import oxigraph from 'oxigraph';

const [graph, ...classes] = process.argv.slice(2);
const store = new oxigraph.Store();
store.load(fs.readFileSync(graph, 'utf8'), { format: 'application/trig' });
const RDF_TYPE = '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>';
const only = v => classes.length === 0 ? ''
  : `FILTER EXISTS { ${v} a ?c . VALUES ?c { ${classes.map(c => `<${c}>`).join(' ')} } }`;
const count = q => Number(store.query(q, { use_default_graph_as_union: true })[0].get('n').value);
const nodes = count(`SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {
  { ?x ?p ?o } UNION { ?s ?p ?x FILTER(!isLiteral(?x) && ?p != ${RDF_TYPE}) }
  ${only('?x')} }`);
const edges = count(`SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE {
  ?s ?p ?o FILTER(!isLiteral(?o) && ?p != ${RDF_TYPE}) ${only('?s')} ${only('?o')} } }`);
console.log(`${nodes} ${edges}`);
