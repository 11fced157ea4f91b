// The actor network view of the diplomacy graph (viz/index.html).
// Reads the Cytoscape.js elements that `kgmap -f cytoscape` writes, shows
// the nodes of VIEW classes and the edges between them, and on a click
// lists the statements linked to the node (quotes) with their sources:
// the article (prov:wasDerivedFrom) and each mention span (gaf:denotedBy).
'use strict';

const VIEW = [
  { type: 'sem:Actor', colour: '#e69138', name: 'actor' },
  { type: 'sem:Event', colour: '#3d85c6', name: 'event / meeting' },
  { type: 'kgd:Agreement', colour: '#6aa84f', name: 'agreement' },
];
const STATEMENT = 'kgd:Statement';

const params = new URLSearchParams(location.search);
const dataUrl = params.get('data') || '../out/diplomacy.cyjs';

const text = (tag, content, cls) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  e.textContent = content;
  return e;
};
const first = (node, pred) => {
  const v = node.data.attrs && node.data.attrs[pred];
  return v && v.length ? v[0].value : undefined;
};
const viewOf = node => VIEW.find(v => node.data.types.includes(v.type));

// Indexes over the whole graph: nodes by id, edges by source and target.
function index(elements) {
  const byId = new Map(elements.nodes.map(n => [n.data.id, n]));
  const out = new Map(), inc = new Map();
  for (const e of elements.edges) {
    for (const [m, k] of [[out, e.data.source], [inc, e.data.target]]) {
      if (!m.has(k)) m.set(k, []);
      m.get(k).push(e.data);
    }
  }
  const targets = (id, label) => (out.get(id) || []).filter(e => e.label === label)
    .map(e => byId.get(e.target));
  return { byId, out, inc, targets };
}

// Statements linked to a node in either direction (spoken by, stated at,
// about, expressed by ...), in graph order.
function quotesOf(g, id) {
  const seen = new Set(), res = [];
  const add = (other, how) => {
    const n = g.byId.get(other);
    if (n && n.data.types.includes(STATEMENT) && !seen.has(other)) {
      seen.add(other);
      res.push({ node: n, how });
    }
  };
  for (const e of g.inc.get(id) || []) add(e.source, e.label);
  for (const e of g.out.get(id) || []) add(e.target, e.label);
  return res;
}

function sourceLines(g, st) {
  const lines = [];
  for (const a of g.targets(st.data.id, 'prov:wasDerivedFrom')) {
    const pub = g.targets(a.data.id, 'dct:publisher')[0];
    lines.push(`article ${first(a, 'dct:identifier') || a.data.name}` +
      (pub ? `, ${pub.data.label}` : '') +
      (first(a, 'dct:issued') ? `, ${first(a, 'dct:issued')}` : ''));
  }
  for (const m of g.targets(st.data.id, 'gaf:denotedBy')) {
    const art = g.targets(m.data.id, 'dct:isPartOf')[0];
    lines.push(`characters ${first(m, 'nif:beginIndex')}–${first(m, 'nif:endIndex')}` +
      (art ? ` of ${first(art, 'dct:identifier') || art.data.name}` : ''));
  }
  return lines;
}

function showPanel(g, id) {
  const node = g.byId.get(id), panel = document.getElementById('panel');
  panel.replaceChildren();
  panel.dataset.node = node.data.iri || node.data.name;
  panel.append(text('h2', node.data.label));
  panel.append(text('div', node.data.types.join(', '), 'muted'));
  panel.append(text('code', node.data.iri || node.data.name));
  const quotes = quotesOf(g, id);
  panel.append(text('h2', `${quotes.length} quote${quotes.length === 1 ? '' : 's'}`));
  for (const { node: st, how } of quotes) {
    const q = document.createElement('div');
    q.className = 'quote';
    q.dataset.statement = st.data.iri;
    // one statement may be reported in several articles, in several words
    const texts = (st.data.attrs['schema:text'] || []).map(t => t.value);
    for (const t of texts.length ? texts : [st.data.label]) q.append(text('div', t, 'text'));
    const who = g.targets(st.data.id, 'kgd:speaker').map(n => n.data.label).join(', ');
    const direct = first(st, 'kgd:isDirectQuote') === 'true' ? 'direct quote' : 'reported';
    q.append(text('div', `${who || 'unknown speaker'} · ${direct} · ${how}`, 'who'));
    for (const line of sourceLines(g, st)) q.append(text('div', line, 'source'));
    panel.append(q);
  }
}

async function main() {
  const status = document.getElementById('status');
  const res = await fetch(dataUrl);
  if (!res.ok) throw new Error(`${dataUrl}: HTTP ${res.status}`);
  const { elements } = await res.json();
  const g = index(elements);
  const shown = new Set();
  const nodes = elements.nodes.filter(n => viewOf(n)).map(n => {
    shown.add(n.data.id);
    return { data: { ...n.data, colour: viewOf(n).colour, attrs: undefined } };
  });
  const edges = elements.edges.filter(e => shown.has(e.data.source) && shown.has(e.data.target));
  const cy = cytoscape({
    container: document.getElementById('graph'),
    elements: { nodes, edges },
    style: [
      { selector: 'node', style: { 'background-color': 'data(colour)', label: 'data(label)',
        'font-size': 9, 'text-wrap': 'ellipsis', 'text-max-width': 140, width: 14, height: 14,
        'text-valign': 'bottom', 'text-margin-y': 2, color: '#333' } },
      { selector: 'node[type = "sem:Actor"]', style: { width: 22, height: 22, 'font-size': 11, 'font-weight': 'bold' } },
      { selector: 'edge', style: { width: 0.8, 'line-color': '#bbb', 'curve-style': 'bezier',
        'target-arrow-shape': 'triangle', 'target-arrow-color': '#bbb', 'arrow-scale': 0.6 } },
      { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#cc0000' } },
    ],
    layout: { name: 'cose', animate: false, randomize: true, nodeRepulsion: () => 60000,
      idealEdgeLength: () => 70, numIter: 2000, padding: 20 },
    wheelSensitivity: 0.3,
  });
  cy.on('tap', 'node', evt => showPanel(g, evt.target.id()));
  window.cy = cy;
  const legend = document.getElementById('legend');
  for (const v of VIEW) {
    const s = document.createElement('span');
    const dot = document.createElement('i');
    dot.style.background = v.colour;
    s.append(dot, `${v.name} (${nodes.filter(n => n.data.colour === v.colour).length})`);
    legend.append(s);
  }
  status.replaceChildren();
  status.append(text('span', String(cy.nodes().length), ''), ' nodes, ',
                text('span', String(cy.edges().length), ''), ' edges');
  status.children[0].id = 'count-nodes';
  status.children[1].id = 'count-edges';
  status.dataset.ready = '1';
}

main().catch(err => {
  const status = document.getElementById('status');
  status.textContent = `error: ${err.message}`;
  status.dataset.error = '1';
});
