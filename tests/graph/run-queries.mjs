#!/usr/bin/env node
// Run every competency question (queries/*.rq) over the diplomacy graph and
// compare with its expected answer (queries/expected/<name>.tsv).
//
//   node tests/graph/run-queries.mjs [GRAPH]      (default out/diplomacy.trig)
//   node tests/graph/run-queries.mjs --endpoint URL
//
// The graph is loaded into Oxigraph, or, with --endpoint, the queries go to
// a SPARQL endpoint (SPARQL 1.1 Protocol, JSON results) of a store that
// holds it (tests/store/run.sh: Virtuoso); the default graph of a query is the
// union of all graphs, so the same queries run on the Turtle (everything in
// the default graph) and the TriG (one named graph per article) output;
// GRAPH patterns need the TriG.  Expected answers are TSV: a header of
// variable names, then one row per solution; each cell is the value of the
// term (IRI, or literal lexical form), empty when unbound.  Rows compare as
// a multiset unless the query has ORDER BY, then in order.
// Prints one line per query and "queries: N passed, M failed"; exit 1 on
// any failure.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import '../../scripts/webcrypto.mjs';
import oxigraph from 'oxigraph';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const endpoint = process.argv[2] === '--endpoint' ? process.argv[3] : null;
const graphFile = endpoint ? null : process.argv[2] ?? path.join(root, 'out/diplomacy.trig');
const queryDir = path.join(root, 'queries');
const FORMATS = { '.trig': 'application/trig', '.ttl': 'text/turtle',
                  '.nq': 'application/n-quads', '.nt': 'application/n-triples' };

function load(file) {
  const format = FORMATS[path.extname(file)];
  if (!format) throw new Error(`${file}: unknown RDF format (want .trig .ttl .nq .nt)`);
  const store = new oxigraph.Store();
  store.load(fs.readFileSync(file, 'utf8'), { format, base_iri: 'file://' + path.resolve(file) });
  return store;
}

// Solutions as rows of cell strings, in the order of `vars`.
function rows(solutions, vars) {
  return solutions.map(sol => vars.map(v => {
    const t = sol.get(v);
    return t ? t.value : '';
  }));
}

// The same rows from an endpoint's application/sparql-results+json.
async function endpointRows(text, vars) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded',
               Accept: 'application/sparql-results+json' },
    body: new URLSearchParams({ query: text }),
  });
  const body = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${body.split('\n')[0]}`);
  const json = JSON.parse(body);
  return json.results.bindings.map(b => vars.map(v => b[v]?.value ?? ''));
}

function readExpected(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter(l => l !== '');
  const [head, ...body] = lines;
  return { vars: head.split('\t'), rows: body.map(l => l.split('\t')) };
}

const key = r => JSON.stringify(r);

function compare(got, want, ordered) {
  const problems = [];
  if (ordered) {
    const n = Math.max(got.length, want.length);
    for (let i = 0; i < n; i++)
      if (key(got[i] ?? []) !== key(want[i] ?? []))
        problems.push(`row ${i + 1}: got ${got[i] ? got[i].join(' | ') : '(none)'}; want ${want[i] ? want[i].join(' | ') : '(none)'}`);
    return problems;
  }
  const count = new Map();
  for (const r of want) count.set(key(r), (count.get(key(r)) ?? 0) + 1);
  for (const r of got) count.set(key(r), (count.get(key(r)) ?? 0) - 1);
  for (const [k, n] of count) {
    const r = JSON.parse(k).join(' | ');
    if (n > 0) problems.push(`missing ${n > 1 ? n + 'x ' : ''}${r}`);
    if (n < 0) problems.push(`unexpected ${n < -1 ? -n + 'x ' : ''}${r}`);
  }
  return problems;
}

async function main() {
  let store;
  try {
    if (!endpoint) store = load(graphFile);
  } catch (e) {
    console.error(`run-queries: ${e.message}`);
    console.log('queries: 0 passed, 1 failed');
    process.exit(1);
  }
  let passed = 0, failed = 0;
  const files = fs.readdirSync(queryDir).filter(f => f.endsWith('.rq')).sort();
  for (const f of files) {
    const name = f.slice(0, -3);
    const text = fs.readFileSync(path.join(queryDir, f), 'utf8');
    const expFile = path.join(queryDir, 'expected', name + '.tsv');
    let problems;
    try {
      if (!fs.existsSync(expFile)) throw new Error(`no expected answer ${path.relative(root, expFile)}`);
      const want = readExpected(expFile);
      const got = endpoint ? await endpointRows(text, want.vars)
        : rows(store.query(text, { use_default_graph_as_union: true }), want.vars);
      const ordered = /\bORDER\s+BY\b/i.test(text.replace(/#.*$/gm, ''));
      problems = compare(got, want.rows, ordered);
    } catch (e) {
      problems = [`error: ${e.message ?? e}`];
    }
    if (problems.length === 0) {
      passed++;
      console.log(`ok   ${name}`);
    } else {
      failed++;
      console.log(`FAIL ${name}`);
      for (const p of problems.slice(0, 20)) console.log(`     ${p}`);
      if (problems.length > 20) console.log(`     ... ${problems.length - 20} more`);
    }
  }
  console.log(`queries: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
