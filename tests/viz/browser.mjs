#!/usr/bin/env node
// The actor network page (viz/index.html) in headless Chromium (Debian's
// /usr/bin/chromium driven by playwright-core, a fresh profile, no network
// but a loopback HTTP server started here over the repository):
//  - the page loads the Cytoscape JSON that kgmap wrote and shows as many
//    nodes and edges as SPARQL counts for actors, events and agreements
//    (tests/viz/counts.mjs, passed in as NODES EDGES);
//  - a real mouse click on Lavrov's node opens his panel, whose quotes are
//    the texts of the statements he is the speaker of (SPARQL on the graph)
//    and each quote names its article and character span;
//  - the screenshot goes to SHOT (docs/diplomacy-viz.png).
//   node tests/viz/browser.mjs DATA.cyjs GRAPH.trig "NODES EDGES" SHOT
// DATA.cyjs is a path under the repository.  Prints "browser: N passed, M failed".
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import '../../scripts/webcrypto.mjs';
import oxigraph from 'oxigraph';
import { chromium } from 'playwright-core';

const [data, graph, counts, shot] = process.argv.slice(2);
const root = path.resolve('.');
let pass = 0, fail = 0;
const check = (what, got, want) => {
  if (JSON.stringify(got) === JSON.stringify(want)) { pass++; return; }
  fail++;
  console.log(`FAIL ${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
};

// Lavrov's quotes and their article identifiers, by SPARQL.
const store = new oxigraph.Store();
store.load(fs.readFileSync(graph, 'utf8'), { format: 'application/trig' });
const LAVROV = 'https://w3id.org/kgmap/diplo/id/lavrov';
const rows = store.query(`PREFIX kgd: <https://w3id.org/kgmap/diplo/ontology#>
  PREFIX schema: <http://schema.org/> PREFIX prov: <http://www.w3.org/ns/prov#>
  PREFIX dct: <http://purl.org/dc/terms/>
  SELECT ?s (GROUP_CONCAT(DISTINCT ?text; SEPARATOR=" / ") AS ?texts)
         (GROUP_CONCAT(DISTINCT ?id; SEPARATOR=" ") AS ?ids)
  WHERE { ?s kgd:speaker <${LAVROV}> ; schema:text ?text ;
    prov:wasDerivedFrom/dct:identifier ?id } GROUP BY ?s`, { use_default_graph_as_union: true });
// A statement's texts and articles, each sorted, as the panel must show.
const entry = (texts, ids) => `${[...texts].sort().join(' / ')} | ${[...ids].sort().join(' ')}`;
const wantQuotes = rows.map(r => entry(r.get('texts').value.split(' / '),
  r.get('ids').value.split(' '))).sort();

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.cyjs': 'application/json',
                '.json': 'application/json' };
const server = http.createServer((req, res) => {
  const file = path.join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});
await new Promise(r => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kgmap-chromium-'));
const timer = setTimeout(() => { console.log('FAIL browser test timed out'); process.exit(1); }, 120000);
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true,
    viewport: { width: 1500, height: 950 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = context.pages()[0] || await context.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(e.message));
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${base}/viz/index.html?data=${encodeURIComponent('/' + data)}`);
  await page.waitForSelector('#status[data-ready], #status[data-error]', { timeout: 60000 });
  check('page errors', errors, []);
  const shown = await page.evaluate(() =>
    `${document.getElementById('count-nodes')?.textContent} ${document.getElementById('count-edges')?.textContent}`);
  check('nodes and edges on the page', shown, counts);

  // Click Lavrov where Cytoscape drew him.
  const at = await page.evaluate(iri => {
    const n = window.cy.nodes().filter(n => n.data('iri') === iri)[0];
    const box = document.getElementById('graph').getBoundingClientRect();
    const p = n.renderedPosition();
    return { x: box.left + p.x, y: box.top + p.y };
  }, LAVROV);
  await page.mouse.click(at.x, at.y);
  await page.waitForSelector(`#panel[data-node="${LAVROV}"]`, { timeout: 10000 });
  const quotes = (await page.evaluate(() => [...document.querySelectorAll('#panel .quote')].map(q => [
    [...q.querySelectorAll('.text')].map(t => t.textContent),
    [...q.querySelectorAll('.source')].map(t => t.textContent)
      .filter(t => t.startsWith('article ')).map(t => t.split(',')[0].slice(8))])))
    .map(([texts, ids]) => entry(texts, ids)).sort();
  check('Lavrov has quotes', quotes.length > 0, true);
  check("Lavrov's quotes and articles in the panel", quotes, wantQuotes);
  const spans = await page.evaluate(() => [...document.querySelectorAll('#panel .quote')]
    .every(q => [...q.querySelectorAll('.source')].some(s => /^characters \d+–\d+ of \S+$/.test(s.textContent))));
  check('every quote names its character span', spans, true);
  await page.screenshot({ path: shot });
  check('screenshot written', fs.statSync(shot).size > 10000, true);
} catch (e) {
  fail++;
  console.log(`FAIL ${e.message}`);
} finally {
  if (context) await context.close();
  server.close();
  clearTimeout(timer);
  fs.rmSync(profile, { recursive: true, force: true });
}
console.log(`browser: ${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
