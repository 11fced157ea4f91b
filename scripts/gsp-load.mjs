#!/usr/bin/env node
// Load RDF files into a SPARQL store over the Graph Store Protocol (HTTP),
// one POST per graph, with basic or digest authentication:
//
//   node scripts/gsp-load.mjs [--default-graph IRI] [--put] ENDPOINT FILE...
//
// ENDPOINT is the store's Graph Store URL (Virtuoso:
// http://HOST:PORT/sparql-graph-crud-auth, Fuseki: http://HOST:PORT/DATASET/data,
// Oxigraph: http://HOST:PORT/store).  FILE is Turtle (.ttl), N-Triples
// (.nt), TriG (.trig) or N-Quads (.nq); the statements of each named graph
// go to ENDPOINT?graph=IRI, those of the default graph to ENDPOINT?default,
// or to ENDPOINT?graph=IRI with --default-graph IRI (Virtuoso has no Graph
// Store default graph).  --put replaces each graph instead of adding to it.
// The user and password come from the environment, KGMAP_SPARQL_USER and
// KGMAP_SPARQL_PASSWORD (the names kgmap's sparql targets read), never from
// the command line.  Statements are grouped in memory: this is a helper for
// graphs that fit in memory.  Prints one line per graph loaded; a failed
// request is an error with the HTTP status and the server's message, exit 1.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { Parser, Writer, DataFactory } from 'n3';

const FORMATS = { '.trig': 'application/trig', '.ttl': 'text/turtle',
                  '.nq': 'application/n-quads', '.nt': 'application/n-triples' };

function usage() {
  console.error('usage: node scripts/gsp-load.mjs [--default-graph IRI] [--put] ENDPOINT FILE...');
  process.exit(2);
}

const args = process.argv.slice(2);
let defaultGraph = null, method = 'POST';
while (args[0]?.startsWith('--')) {
  const a = args.shift();
  if (a === '--default-graph' && args.length) defaultGraph = args.shift();
  else if (a === '--put') method = 'PUT';
  else usage();
}
if (args.length < 2) usage();
const [endpoint, ...files] = args;
const user = process.env.KGMAP_SPARQL_USER, password = process.env.KGMAP_SPARQL_PASSWORD ?? '';

// The server's message from an error body: the text of an HTML page, or
// the body itself, on one line and short.
export function serverMessage(body) {
  const text = body.replace(/<(style|script|head)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
  return text.length > 400 ? text.slice(0, 400) + '...' : text;
}

// RFC 7616 digest (MD5, qop auth) for the challenge in WWW-Authenticate.
function digestHeader(challenge, meth, url) {
  const params = {};
  for (const m of challenge.matchAll(/(\w+)=(?:"([^"]*)"|([^\s,]+))/g))
    params[m[1].toLowerCase()] = m[2] ?? m[3];
  const md5 = s => crypto.createHash('md5').update(s).digest('hex');
  const uri = url.pathname + url.search;
  const ha1 = md5(`${user}:${params.realm}:${password}`);
  const ha2 = md5(`${meth}:${uri}`);
  const cnonce = crypto.randomBytes(8).toString('hex'), nc = '00000001';
  const qop = params.qop?.split(',').map(s => s.trim()).includes('auth') ? 'auth' : null;
  const response = qop ? md5(`${ha1}:${params.nonce}:${nc}:${cnonce}:${qop}:${ha2}`)
                       : md5(`${ha1}:${params.nonce}:${ha2}`);
  let h = `Digest username="${user}", realm="${params.realm}", nonce="${params.nonce}", ` +
          `uri="${uri}", response="${response}", algorithm=MD5`;
  if (qop) h += `, qop=${qop}, nc=${nc}, cnonce="${cnonce}"`;
  if (params.opaque) h += `, opaque="${params.opaque}"`;
  return h;
}

async function send(url, body) {
  const headers = { 'Content-Type': 'application/n-triples' };
  let res = await fetch(url, { method, headers, body });
  const challenge = res.headers.get('www-authenticate') ?? '';
  if (res.status === 401 && user !== undefined) {
    await res.arrayBuffer();
    headers.Authorization = /^digest/i.test(challenge)
      ? digestHeader(challenge, method, url)
      : 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
    res = await fetch(url, { method, headers, body });
  }
  const text = await res.text();
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}: ${serverMessage(text) || res.statusText}`);
}

// The statements of a file grouped by graph ('' is the default graph).
function readGraphs(file) {
  const format = FORMATS[path.extname(file)];
  if (!format) throw new Error(`${file}: unknown RDF format (want .trig .ttl .nq .nt)`);
  const quads = new Parser({ format, baseIRI: 'file://' + path.resolve(file) })
    .parse(fs.readFileSync(file, 'utf8'));
  const graphs = new Map();
  for (const q of quads) {
    const g = q.graph.termType === 'DefaultGraph' ? '' : q.graph.value;
    if (!graphs.has(g)) graphs.set(g, []);
    graphs.get(g).push(q);
  }
  return graphs;
}

function graphUrl(g) {
  const url = new URL(endpoint);
  const name = g || defaultGraph;
  if (name) url.searchParams.set('graph', name);
  else url.search = url.search ? url.search + '&default' : '?default';
  return url;
}

async function main() {
  for (const file of files) {
    for (const [g, quads] of readGraphs(file)) {
      const w = new Writer({ format: 'N-Triples' });
      const body = w.quadsToString(quads.map(q => DataFactory.quad(q.subject, q.predicate, q.object)));
      await send(graphUrl(g), body);
      console.log(`loaded ${quads.length} statements of ${file} into ${g ? '<' + g + '>' : defaultGraph ? '<' + defaultGraph + '> (default graph)' : 'the default graph'}`);
    }
  }
}

main().catch(e => { console.error(`gsp-load: ${e.message}`); process.exit(1); });
