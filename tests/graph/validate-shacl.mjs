#!/usr/bin/env node
// Validate the diplomacy graph against ontology/shapes.ttl with shacl-engine.
//
//   node tests/graph/validate-shacl.mjs [GRAPH]   (default out/diplomacy.trig)
//
// A TriG/N-Quads graph is checked one article at a time: each named graph
// together with the default graph (the registry) is one "view", the world
// as that article tells it.  A Turtle/N-Triples graph is one view.  The
// ontology (ontology/diplomacy.ttl, ontology/cameo.ttl) is added to every
// view, so that code-list concepts have their types and sh:class follows
// rdfs:subClassOf.
// Prints each violation (view, focus node, path, message) and
// "shacl: N passed, M failed", counting focus nodes of the shapes' targets
// per view; exit 1 on any violation.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import N3 from 'n3';
import rdf from '@rdfjs/data-model';
import Validator from 'shacl-engine/Validator.js';
import { validations as sparqlValidations } from 'shacl-engine/sparql.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const graphFile = process.argv[2] ?? path.join(root, 'out/diplomacy.trig');
const SH = 'http://www.w3.org/ns/shacl#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const SUBCLASS = 'http://www.w3.org/2000/01/rdf-schema#subClassOf';
const FORMATS = { '.trig': 'application/trig', '.ttl': 'text/turtle',
                  '.nq': 'application/n-quads', '.nt': 'application/n-triples' };

function parse(file) {
  const format = FORMATS[path.extname(file)];
  if (!format) throw new Error(`${file}: unknown RDF format (want .trig .ttl .nq .nt)`);
  return new N3.Parser({ format, baseIRI: 'file://' + path.resolve(file) })
    .parse(fs.readFileSync(file, 'utf8'));
}

// Quads moved to the default graph (a view is one graph).
const flat = q => rdf.quad(q.subject, q.predicate, q.object, rdf.defaultGraph());

function views(quads) {
  const dflt = quads.filter(q => q.graph.termType === 'DefaultGraph');
  const named = new Map();
  for (const q of quads) {
    if (q.graph.termType === 'DefaultGraph') continue;
    if (!named.has(q.graph.value)) named.set(q.graph.value, []);
    named.get(q.graph.value).push(q);
  }
  if (named.size === 0) return [['(default graph)', dflt]];
  return [...named].sort().map(([g, qs]) => [g, dflt.concat(qs)]);
}

// Focus nodes of every shape's targets in a view (targetClass with
// subclasses, targetNode, targetSubjectsOf, targetObjectsOf).
function focusNodes(shapes, data) {
  const subclasses = cls => {
    const seen = new Set([cls]), todo = [cls];
    while (todo.length) {
      const c = todo.pop();
      for (const q of data.getQuads(null, SUBCLASS, c, null))
        if (!seen.has(q.subject.value)) { seen.add(q.subject.value); todo.push(q.subject.value); }
    }
    return seen;
  };
  const nodes = new Set();
  const add = t => nodes.add(t.termType + ' ' + t.value);
  for (const q of shapes.getQuads(null, SH + 'targetClass', null, null))
    for (const c of subclasses(q.object.value))
      for (const t of data.getQuads(null, RDF_TYPE, c, null)) add(t.subject);
  for (const q of shapes.getQuads(null, SH + 'targetNode', null, null)) add(q.object);
  for (const q of shapes.getQuads(null, SH + 'targetSubjectsOf', null, null))
    for (const t of data.getQuads(null, q.object, null, null)) add(t.subject);
  for (const q of shapes.getQuads(null, SH + 'targetObjectsOf', null, null))
    for (const t of data.getQuads(null, q.object, null, null)) add(t.object);
  return nodes;
}

const short = t => (t && t.value !== undefined ? t.value : String(t))
  .replace('https://w3id.org/kgmap/diplo/id/', 'kgr:')
  .replace('https://w3id.org/kgmap/diplo/ontology#', 'kgd:');

function pathString(p) {
  if (!p) return '';
  if (Array.isArray(p)) return p.map(pathString).join('/');
  if (p.predicates) return (p.start === 'object' ? '^' : '') + p.predicates.map(short).join('|');
  if (p.termType) return short(p);
  return JSON.stringify(p);
}

async function main() {
  const shapes = new N3.Store(parse(path.join(root, 'ontology/shapes.ttl')));
  const ontology = ['ontology/diplomacy.ttl', 'ontology/cameo.ttl']
    .flatMap(f => parse(path.join(root, f)));
  let quads;
  try {
    quads = parse(graphFile);
  } catch (e) {
    console.error(`validate-shacl: ${e.message}`);
    console.log('shacl: 0 passed, 1 failed');
    process.exit(1);
  }
  const validator = new Validator(shapes, { factory: rdf, validations: sparqlValidations });
  let passed = 0, failed = 0;
  for (const [name, qs] of views(quads)) {
    const data = new N3.Store(qs.map(flat).concat(ontology.map(flat)));
    const report = await validator.validate({ dataset: data });
    const bad = new Set();
    for (const r of report.results) {
      const focus = r.focusNode?.term ?? r.focusNode?.terms?.[0];
      bad.add(focus.termType + ' ' + focus.value);
      const msg = r.message.map(m => m.value).join('; ');
      const value = r.value?.term ? ` value ${short(r.value.term)}` : '';
      console.log(`violation [${short({ value: name })}] ${short(focus)} ${pathString(r.path)}${value}: ${msg}`);
    }
    const nodes = focusNodes(shapes, data);
    for (const n of bad) nodes.add(n);
    failed += bad.size;
    passed += nodes.size - bad.size;
  }
  console.log(`shacl: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch(e => { console.error(e); process.exit(2); });
