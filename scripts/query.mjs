#!/usr/bin/env node
// Ask the diplomacy graph a SPARQL question with Oxigraph (from npm ci):
//
//   node scripts/query.mjs QUERY.rq [GRAPH]     (default out/diplomacy.trig)
//   node scripts/query.mjs -e 'SELECT ...' [GRAPH]
//
// The default graph of the query is the union of all graphs.  Prints a
// SELECT's solutions as TSV (header, then a row per solution; IRIs in <>,
// literals as their lexical form), a CONSTRUCT's triples as N-Triples, or
// an ASK's true/false.
import fs from 'node:fs';
import path from 'node:path';
import './webcrypto.mjs';
import oxigraph from 'oxigraph';

const FORMATS = { '.trig': 'application/trig', '.ttl': 'text/turtle',
                  '.nq': 'application/n-quads', '.nt': 'application/n-triples' };
const args = process.argv.slice(2);
let text;
if (args[0] === '-e' && args.length >= 2) { text = args[1]; args.splice(0, 2); }
else if (args.length >= 1) { text = fs.readFileSync(args[0], 'utf8'); args.shift(); }
else {
  console.error('usage: node scripts/query.mjs QUERY.rq|-e QUERY [GRAPH]');
  process.exit(2);
}
const graph = args[0] ?? 'out/diplomacy.trig';
const format = FORMATS[path.extname(graph)];
if (!format) {
  console.error(`query: ${graph}: unknown RDF format (want .trig .ttl .nq .nt)`);
  process.exit(2);
}
const store = new oxigraph.Store();
try {
  store.load(fs.readFileSync(graph, 'utf8'), { format });
  const res = store.query(text, { use_default_graph_as_union: true });
  const cell = t => !t ? '' : t.termType === 'NamedNode' ? `<${t.value}>` : t.value;
  if (typeof res === 'boolean') {
    console.log(res);
  } else if (res.length && res[0].termType === 'Quad') {
    for (const q of res) console.log(`${q.subject} ${q.predicate} ${q.object} .`);
  } else {
    const vars = [...new Set(res.flatMap(s => [...s.keys()]))];
    console.log(vars.join('\t'));
    for (const s of res) console.log(vars.map(v => cell(s.get(v))).join('\t'));
  }
} catch (e) {
  console.error(`query: ${e.message ?? e}`);
  process.exit(1);
}
