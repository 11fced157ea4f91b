#!/usr/bin/env node
// Checks the extraction data (docs/extraction-format.md):
//   1. data/registry.yml and every data/articles/*.yml against their JSON Schemas;
//   2. referential integrity (registry ids, fact ids within each article,
//      shared fact ids consistent across articles);
//   3. every span against the seed texts in ${SEEDS_DIR:-../shared/seeds},
//      sliced by Unicode code points.
// One line per failed check: `file: yaml.path: problem`; then
// `extraction: N passed, M failed` (N, M count checks); exit 1 on failure.
//
// Usage: node tests/data/check-extraction.mjs [ARTICLE.yml...]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as yaml from 'js-yaml';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const rel = (p) => path.relative(root, p) || p;
const seedsDir = path.resolve(root, process.env.SEEDS_DIR || '../shared/seeds');

let passed = 0;
let failed = 0;
function check(ok, file, where, msg) {
  if (ok) { passed++; return true; }
  failed++;
  console.log(`${file}: ${where}: ${msg}`);
  return false;
}

// --- schemas
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const loadJson = (p) => JSON.parse(fs.readFileSync(path.join(root, p), 'utf8'));
ajv.addSchema(loadJson('data/schema/extraction.schema.json'));
ajv.addSchema(loadJson('data/schema/registry.schema.json'));
const validateArticle = ajv.getSchema('https://w3id.org/kgmap/schema/extraction.schema.json');
const validateRegistry = ajv.getSchema('https://w3id.org/kgmap/schema/registry.schema.json');

// JSON Pointer (/a/0/b) -> YAML path (a[0].b)
const yamlPath = (ptr) => ptr.split('/').slice(1).reduce(
  (acc, k) => (/^\d+$/.test(k) ? `${acc}[${k}]` : acc ? `${acc}.${k}` : k), '') || '$';

function schemaCheck(validate, doc, file) {
  if (validate(doc)) return check(true, file, '$', '');
  for (const e of validate.errors) {
    const extra = e.params && (e.params.additionalProperty || e.params.allowedValues);
    check(false, file, yamlPath(e.instancePath), `schema: ${e.message}${extra ? ` (${[].concat(extra).join(', ')})` : ''}`);
  }
  return false;
}

function loadYaml(p, file) {
  try {
    return yaml.load(fs.readFileSync(p, 'utf8'));
  } catch (e) {
    check(false, file, '$', `cannot read: ${e.message.split('\n')[0]}`);
    return null;
  }
}

// --- registry
const regFile = 'data/registry.yml';
const registry = loadYaml(path.join(root, regFile), regFile);
const reg = { entity: new Map(), post: new Set(), topic: new Set(), issue: new Map(), proposition: new Map(), cameo: new Set() };
if (registry && schemaCheck(validateRegistry, registry, regFile)) {
  const all = new Map();
  const add = (id, where) => {
    check(!all.has(id), regFile, where, `id '${id}' already used at ${all.get(id)}`);
    all.set(id, where);
  };
  registry.entities.forEach((e, i) => { add(e.id, `entities[${i}]`); reg.entity.set(e.id, e); });
  registry.posts.forEach((p, i) => { add(p.id, `posts[${i}]`); reg.post.add(p.id); });
  registry.topics.forEach((t, i) => { add(t.id, `topics[${i}]`); reg.topic.add(t.id); });
  registry.issues.forEach((s, i) => {
    add(s.id, `issues[${i}]`);
    reg.issue.set(s.id, s);
    s.propositions.forEach((p, j) => { add(p.id, `issues[${i}].propositions[${j}]`); reg.proposition.set(p.id, s.id); });
  });
  registry.cameo.forEach((c, i) => {
    check(!reg.cameo.has(c.code), regFile, `cameo[${i}]`, `duplicate code ${c.code}`);
    reg.cameo.add(c.code);
  });
  const refs = (where, ids, set, what) => (ids || []).forEach((id, k) =>
    check(set.has(id), regFile, `${where}[${k}]`, `unknown ${what} '${id}'`));
  const one = (where, id, set, what) => id === undefined || check(set.has(id), regFile, where, `unknown ${what} '${id}'`);
  const ents = new Set(reg.entity.keys());
  registry.entities.forEach((e, i) => {
    for (const k of ['country', 'part_of', 'located_in']) one(`entities[${i}].${k}`, e[k], ents, 'entity');
    refs(`entities[${i}].designated_terrorist_in`, e.designated_terrorist_in, ents, 'entity');
    (e.posts || []).forEach((p, j) => one(`entities[${i}].posts[${j}].post`, p.post, reg.post, 'post'));
  });
  registry.posts.forEach((p, i) => one(`posts[${i}].organisation`, p.organisation, ents, 'entity'));
  registry.topics.forEach((t, i) => one(`topics[${i}].broader`, t.broader, reg.topic, 'topic'));
  registry.issues.forEach((s, i) => {
    refs(`issues[${i}].concerns`, s.concerns, ents, 'entity');
    one(`issues[${i}].topic`, s.topic, reg.topic, 'topic');
  });
  registry.cameo.forEach((c, i) => one(`cameo[${i}].broader`, c.broader, reg.cameo, 'CAMEO code'));
}

// --- articles
const artDir = path.join(root, 'data/articles');
const files = process.argv.slice(2).length ? process.argv.slice(2).map((f) => path.resolve(f))
  : fs.readdirSync(artDir).filter((f) => f.endsWith('.yml')).sort().map((f) => path.join(artDir, f));
check(files.length > 0, rel(artDir), '$', 'no extraction files');

const shared = new Map();       // fact id -> {file, key fields}
const seedCache = new Map();
function seedText(id) {
  if (!seedCache.has(id)) {
    const p = path.join(seedsDir, `${id}.txt`);
    seedCache.set(id, fs.existsSync(p) ? Array.from(fs.readFileSync(p, 'utf8')) : null);
  }
  return seedCache.get(id);
}

function checkSpan(seed, span, file, where) {
  if (!check(Number.isInteger(span.start) && Number.isInteger(span.end) && span.start < span.end && span.end <= seed.length,
    file, where, `span [${span.start}, ${span.end}) outside the seed (${seed.length} code points)`)) return;
  const got = seed.slice(span.start, span.end).join('');
  check(got === span.text, file, where, `span [${span.start}, ${span.end}) is ${JSON.stringify(got)}, not ${JSON.stringify(span.text)}`);
}

function checkArticle(p) {
  const file = rel(p);
  const doc = loadYaml(p, file);
  if (!doc || !schemaCheck(validateArticle, doc, file)) return;
  const a = doc.article;
  const base = path.basename(p, '.yml');
  check(a.id === base, file, 'article.id', `'${a.id}' is not the file name '${base}'`);
  check(a.file === `${a.id}.txt`, file, 'article.file', `'${a.file}' is not '${a.id}.txt'`);
  const seed = seedText(a.id);
  if (!check(seed !== null, file, 'article.file', `seed ${path.join(seedsDir, `${a.id}.txt`)} not found`)) return;

  // ids in this file
  const local = { event: new Map(), statement: new Map(), position: new Map(), agreement: new Map() };
  const lists = { event: 'events', statement: 'statements', position: 'positions', agreement: 'agreements' };
  const kindOf = new Map();
  for (const [kind, list] of Object.entries(lists)) {
    doc[list].forEach((x, i) => {
      const where = `${list}[${i}].id`;
      if (check(!kindOf.has(x.id) && !reg.entity.has(x.id), file, where, `id '${x.id}' is not unique`)) {
        local[kind].set(x.id, x);
        kindOf.set(x.id, kind);
      }
    });
  }
  const ents = new Set();
  doc.entities.forEach((e, i) => {
    check(!ents.has(e.entity), file, `entities[${i}].entity`, `entity '${e.entity}' listed twice`);
    ents.add(e.entity);
  });

  const need = (cond, where, msg) => check(cond, file, where, msg);
  const entity = (where, id) => id === undefined || need(reg.entity.has(id), where, `unknown entity '${id}' (not in the registry)`)
    && need(ents.has(id), where, `entity '${id}' is not listed in this article's entities`);
  const fact = (where, id, kinds) => id === undefined || need(kinds.includes(kindOf.get(id)), where,
    `unknown ${kinds.join('/')} '${id}' (not in this file)`);
  const anyId = (where, id) => need(kindOf.has(id) || reg.entity.has(id) || reg.issue.has(id), where, `unknown id '${id}'`);
  const topics = (where, ids) => (ids || []).forEach((t, k) => need(reg.topic.has(t), `${where}[${k}]`, `unknown topic '${t}'`));
  const sameArticle = (where, x) => need(x.article === a.id, `${where}.article`, `'${x.article}' is not this article '${a.id}'`);
  const date = (where, d) => { if (d && d.start !== undefined) checkSpan(seed, d, file, where); };

  if (a.publisher) need(reg.entity.get(a.publisher)?.type === 'media', 'article.publisher', `'${a.publisher}' is not a media entity of the registry`);
  a.agencies.forEach((g, k) => need(reg.entity.get(g)?.type === 'media', `article.agencies[${k}]`, `'${g}' is not a media entity of the registry`));
  if (a.title) checkSpan(seed, a.title, file, 'article.title');
  date('article.published', a.published);
  date('article.retrieved', a.retrieved);
  (a.datelines || []).forEach((d, k) => date(`article.datelines[${k}]`, d));

  doc.entities.forEach((e, i) => {
    const w = `entities[${i}]`;
    sameArticle(w, e);
    need(reg.entity.has(e.entity), `${w}.entity`, `unknown entity '${e.entity}' (not in the registry)`);
    (e.posts || []).forEach((p, j) => { need(reg.post.has(p.post), `${w}.posts[${j}].post`, `unknown post '${p.post}'`); date(`${w}.posts[${j}].as_of`, p.as_of); });
  });
  doc.events.forEach((ev, i) => {
    const w = `events[${i}]`;
    sameArticle(w, ev);
    (ev.cameo || []).forEach((c, k) => need(reg.cameo.has(c), `${w}.cameo[${k}]`, `unknown CAMEO code '${c}'`));
    entity(`${w}.place`, ev.place);
    entity(`${w}.venue`, ev.venue);
    (ev.participants || []).forEach((pt, k) => entity(`${w}.participants[${k}].entity`, pt.entity));
    for (const k of ['sub_events', 'follows', 'in_response_to']) {
      (ev[k] || []).forEach((id, j) => { fact(`${w}.${k}[${j}]`, id, ['event']); need(id !== ev.id, `${w}.${k}[${j}]`, 'refers to itself'); });
    }
    for (const k of ['date', 'start_date', 'end_date']) date(`${w}.${k}`, ev[k]);
    topics(`${w}.topics`, ev.topics);
  });
  doc.statements.forEach((st, i) => {
    const w = `statements[${i}]`;
    sameArticle(w, st);
    entity(`${w}.speaker`, st.speaker);
    entity(`${w}.on_behalf_of`, st.on_behalf_of);
    entity(`${w}.reports_speech_of`, st.reports_speech_of);
    fact(`${w}.said_at`, st.said_at, ['event']);
    date(`${w}.date`, st.date);
    topics(`${w}.topics`, st.topics);
    (st.about || []).forEach((id, k) => anyId(`${w}.about[${k}]`, id));
  });
  doc.positions.forEach((ps, i) => {
    const w = `positions[${i}]`;
    sameArticle(w, ps);
    entity(`${w}.holder`, ps.holder);
    entity(`${w}.on_behalf_of`, ps.on_behalf_of);
    need(reg.issue.has(ps.issue), `${w}.issue`, `unknown issue '${ps.issue}'`);
    need(reg.proposition.get(ps.proposition) === ps.issue, `${w}.proposition`,
      `'${ps.proposition}' is not a proposition of issue '${ps.issue}'`);
    ps.expressed_by.forEach((id, k) => fact(`${w}.expressed_by[${k}]`, id, ['statement']));
    need(ps.expressed_by.length > 0, `${w}.expressed_by`, 'a position needs a statement that expresses it');
    date(`${w}.date`, ps.date);
  });
  doc.agreements.forEach((ag, i) => {
    const w = `agreements[${i}]`;
    sameArticle(w, ag);
    ag.parties.forEach((id, k) => entity(`${w}.parties[${k}]`, id));
    (ag.produced_by || []).forEach((id, k) => fact(`${w}.produced_by[${k}]`, id, ['event']));
    (ag.expressed_by || []).forEach((id, k) => fact(`${w}.expressed_by[${k}]`, id, ['statement']));
    (ag.concerns || []).forEach((id, k) => anyId(`${w}.concerns[${k}]`, id));
    topics(`${w}.topics`, ag.topics);
    date(`${w}.date`, ag.date);
    (ag.status_changes || []).forEach((sc, k) => {
      fact(`${w}.status_changes[${k}].event`, sc.event, ['event']);
      fact(`${w}.status_changes[${k}].statement`, sc.statement, ['statement']);
      entity(`${w}.status_changes[${k}].by`, sc.by);
      date(`${w}.status_changes[${k}].date`, sc.date);
    });
  });

  // mentions
  const mentioned = new Map();
  doc.mentions.forEach((m, i) => {
    const w = `mentions[${i}]`;
    sameArticle(w, m);
    const ok = m.kind === 'entity' ? need(ents.has(m.refers_to), `${w}.refers_to`, `entity '${m.refers_to}' is not listed in this article's entities`)
      : need(kindOf.get(m.refers_to) === m.kind, `${w}.refers_to`, `no ${m.kind} '${m.refers_to}' in this file`);
    if (ok) {
      const k = `${m.kind}|${m.refers_to}`;
      if (!mentioned.has(k)) mentioned.set(k, []);
      mentioned.get(k).push(m.text);
    }
    checkSpan(seed, m, file, w);
  });
  doc.entities.forEach((e, i) => {
    const texts = mentioned.get(`entity|${e.entity}`) || [];
    if (need(texts.length > 0, `entities[${i}]`, `entity '${e.entity}' has no mention`)) {
      const distinct = [...new Set(texts)].sort();
      need(JSON.stringify(distinct) === JSON.stringify([...e.labels].sort()), `entities[${i}].labels`,
        `labels are not the distinct texts of the entity's mentions (${distinct.join(' | ')})`);
    }
  });
  for (const [list, kind] of [['events', 'event'], ['statements', 'statement']]) {
    doc[list].forEach((x, i) => need(mentioned.has(`${kind}|${x.id}`), `${list}[${i}]`, `${kind} '${x.id}' has no mention`));
  }
  doc.statements.forEach((st, i) => {
    const texts = mentioned.get(`statement|${st.id}`) || [];
    need(texts.includes(st.text), `statements[${i}].text`, 'text is not the text of any of its mentions');
  });

  // a fact shared by several articles keeps its identity
  const keyFields = { event: ['type'], agreement: ['type'], statement: ['speaker'], position: ['holder', 'issue', 'proposition'] };
  for (const [kind, list] of Object.entries(lists)) {
    doc[list].forEach((x, i) => {
      const key = JSON.stringify(keyFields[kind].map((f) => x[f]));
      const prev = shared.get(x.id);
      if (prev) {
        need(prev.key === key, `${list}[${i}]`, `${keyFields[kind].join('/')} of '${x.id}' differ from ${prev.file} (${prev.key} vs ${key})`);
      } else {
        shared.set(x.id, { file, key });
      }
    });
  }
}

files.forEach(checkArticle);
console.log(`extraction: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
