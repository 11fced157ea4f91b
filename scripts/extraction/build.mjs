#!/usr/bin/env node
// Build data/articles/<id>.yml (format kgmap-extraction/1) from an annotation
// draft in scripts/extraction/annotations/<id>.yml by locating every quoted
// text in the seed and writing code-point offsets.
//
// Usage: node scripts/extraction/build.mjs [ID...]   (default: every draft)
//   SEEDS_DIR (default ../shared/seeds) holds the seed texts.
//
// A draft is the final format with these authoring shortcuts:
//   entities[].forms: [ "Lavrov" | {text, before: "regex"} ]
//       every occurrence of a form (whole words, longest forms first, no
//       overlap between entity mentions) becomes an entity mention; a form
//       with `before` only matches where the preceding text ends with that
//       regex. `labels` is computed from what was found.
//   events/statements/agreements/positions[].mentions:
//       [ "text" | {text, nth, near, nth_near} ]: every occurrence of text
//       (or the nth, 1-based), optionally only inside an occurrence of
//       `near`. A statement without `text` takes its first mention's text.
//   article.title / any date: {text, nth?} without start/end gets located.
// Offsets: Unicode code points, 0-based, end exclusive (docs/extraction-format.md).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as yaml from 'js-yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const seedsDir = path.resolve(root, process.env.SEEDS_DIR || '../shared/seeds');
const draftDir = path.join(here, 'annotations');
const outDir = path.join(root, 'data/articles');

const FACT_LISTS = [['events', 'event'], ['statements', 'statement'],
                    ['agreements', 'agreement'], ['positions', 'position']];
const isWordChar = (c) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

class Seed {
  constructor(text) {
    this.text = text;
    this.cp = [];              // UTF-16 index -> code-point index
    let k = 0;
    for (let i = 0; i < text.length; i++) {
      this.cp[i] = k;
      const c = text.codePointAt(i);
      if (c > 0xffff) { this.cp[i + 1] = k; i++; }
      k++;
    }
    this.cp[text.length] = k;
  }
  all(needle, from = 0, to = this.text.length) {
    const out = [];
    for (let i = this.text.indexOf(needle, from); i >= 0 && i + needle.length <= to;
         i = this.text.indexOf(needle, i + 1)) out.push(i);
    return out;
  }
  span(i, len) { return { start: this.cp[i], end: this.cp[i + len] }; }
}

function fail(msg) { throw new Error(msg); }

function locate(seed, spec, where) {
  const s = typeof spec === 'string' ? { text: spec } : spec;
  let hits;
  if (s.near) {
    const nears = seed.all(s.near);
    if (!nears.length) fail(`${where}: near text not found: ${JSON.stringify(s.near)}`);
    const chosen = s.nth_near ? [nears[s.nth_near - 1]] : nears;
    hits = chosen.flatMap((n) => seed.all(s.text, n, n + s.near.length));
  } else {
    hits = seed.all(s.text);
  }
  // whole words only: a text ending in a letter must not stop inside a word
  const t = s.text;
  hits = hits.filter((i) => !(isWordChar(t[0]) && isWordChar(seed.text[i - 1]))
    && !(isWordChar(t[t.length - 1]) && isWordChar(seed.text[i + t.length])));
  if (!hits.length) fail(`${where}: text not found: ${JSON.stringify(s.text)}`);
  if (s.nth) {
    if (!hits[s.nth - 1] && hits[s.nth - 1] !== 0) fail(`${where}: no occurrence ${s.nth} of ${JSON.stringify(s.text)}`);
    hits = [hits[s.nth - 1]];
  }
  return hits.map((i) => ({ ...seed.span(i, s.text.length), text: s.text }));
}

function locateDate(seed, d, where) {
  if (!d || d.text === undefined || d.start !== undefined) return d;
  const [m] = locate(seed, { text: d.text, nth: d.nth || 1 }, where);
  const { nth, ...rest } = d;
  return { ...rest, start: m.start, end: m.end };
}

function entityMentions(seed, entities, id) {
  const forms = [];
  entities.forEach((e, order) => {
    for (const f of e.forms || []) {
      const form = typeof f === 'string' ? { text: f } : f;
      forms.push({ ...form, entity: e.entity, order });
    }
  });
  forms.sort((a, b) => b.text.length - a.text.length || a.order - b.order);
  const taken = new Uint8Array(seed.text.length);
  const out = [];
  for (const f of forms) {
    const re = f.before ? new RegExp(`(?:${f.before})$`, 'u') : null;
    for (const i of seed.all(f.text)) {
      const j = i + f.text.length;
      if (isWordChar(seed.text[i - 1]) && isWordChar(f.text[0])) continue;
      if (isWordChar(seed.text[j]) && isWordChar(f.text[f.text.length - 1])) continue;
      if (re && !re.test(seed.text.slice(Math.max(0, i - 60), i))) continue;
      let free = true;
      for (let k = i; k < j; k++) if (taken[k]) { free = false; break; }
      if (!free) continue;
      taken.fill(1, i, j);
      out.push({ i, m: { article: id, kind: 'entity', refers_to: f.entity, ...seed.span(i, f.text.length), text: f.text } });
    }
  }
  return out.sort((a, b) => a.i - b.i).map((x) => x.m);
}

function build(id) {
  const draft = yaml.load(fs.readFileSync(path.join(draftDir, `${id}.yml`), 'utf8'));
  const seed = new Seed(fs.readFileSync(path.join(seedsDir, `${id}.txt`), 'utf8'));
  const a = draft.article;
  if (a.title) a.title = locateDate(seed, a.title, 'article.title');
  for (const k of ['published', 'retrieved']) if (a[k]) a[k] = locateDate(seed, a[k], `article.${k}`);
  if (a.datelines) a.datelines = a.datelines.map((d, n) => locateDate(seed, d, `article.datelines[${n}]`));

  const entMentions = entityMentions(seed, draft.entities || [], id);
  const entities = (draft.entities || []).map((e) => {
    const labels = [...new Set(entMentions.filter((m) => m.refers_to === e.entity).map((m) => m.text))];
    if (!labels.length) fail(`entity ${e.entity}: no form found`);
    const out = { article: id, entity: e.entity, labels };
    if (e.posts) out.posts = e.posts.map((p) => ({ ...p, ...(p.as_of ? { as_of: p.as_of } : {}) }));
    return out;
  });

  const factMentions = [];
  const doc = { format: 'kgmap-extraction/1', extractor: draft.extractor, article: a, entities };
  for (const [list, kind] of FACT_LISTS) {
    doc[list] = (draft[list] || []).map((item, n) => {
      const where = `${list}[${n}] ${item.id}`;
      const { mentions = [], ...rest } = item;
      const found = mentions.flatMap((sp) => locate(seed, sp, where));
      if (kind === 'statement' && rest.text === undefined) {
        if (!found.length) fail(`${where}: no text and no mention`);
        rest.text = found[0].text;
      }
      for (const m of found) factMentions.push({ article: id, kind, refers_to: item.id, ...m });
      for (const k of ['date', 'start_date', 'end_date']) if (rest[k]) rest[k] = locateDate(seed, rest[k], `${where}.${k}`);
      return { article: id, ...rest };
    });
  }
  const seen = new Set();
  doc.mentions = [...entMentions, ...factMentions]
    .filter((m) => { const k = `${m.kind}|${m.refers_to}|${m.start}|${m.end}`; if (seen.has(k)) return false; seen.add(k); return true; })
    .sort((x, y) => x.start - y.start || x.end - y.end || x.kind.localeCompare(y.kind));
  return doc;
}

// --- a small deterministic YAML writer: strings double-quoted (JSON escapes
// are valid YAML), short scalar-only maps on one line.
const scalar = (v) => (typeof v === 'string' ? JSON.stringify(v) : String(v));
const isScalar = (v) => v === null || typeof v !== 'object';
function flow(v) {
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (isScalar(v)) return scalar(v);
  return `{${Object.entries(v).map(([k, x]) => `${k}: ${flow(x)}`).join(', ')}}`;
}
const flat = (v) => isScalar(v) || (Array.isArray(v) ? v.every(isScalar)
  : Object.values(v).every((x) => isScalar(x) || (Array.isArray(x) && x.every(isScalar))));
function emit(v, ind) {
  const pad = ' '.repeat(ind);
  if (Array.isArray(v)) {
    if (!v.length) return ' []';
    return v.map((x) => {
      if (isScalar(x) || (flat(x) && flow(x).length + ind < 118)) return `\n${pad}- ${flow(x)}`;
      return `\n${pad}-${emit(x, ind + 2).replace(/^\n */, ' ')}`;
    }).join('');
  }
  if (isScalar(v)) return ` ${scalar(v)}`;
  return Object.entries(v).map(([k, x]) => {
    if (isScalar(x)) return `\n${pad}${k}: ${scalar(x)}`;
    if (flat(x) && flow(x).length + ind + k.length < 116) return `\n${pad}${k}: ${flow(x)}`;
    return `\n${pad}${k}:${emit(x, Array.isArray(x) ? ind + 2 : ind + 2)}`;
  }).join('');
}

const ids = process.argv.slice(2).length ? process.argv.slice(2)
  : fs.readdirSync(draftDir).filter((f) => f.endsWith('.yml')).map((f) => f.slice(0, -4)).sort();
let status = 0;
for (const id of ids) {
  try {
    const doc = build(id);
    const text = `# Extraction of ${id}.txt (kgmap-extraction/1, see docs/extraction-format.md).\n` +
      `# Generated by scripts/extraction/build.mjs from scripts/extraction/annotations/${id}.yml.\n` +
      emit(doc, 0).replace(/^\n/, '') + '\n';
    fs.writeFileSync(path.join(outDir, `${id}.yml`), text);
    const c = (k) => doc[k].length;
    console.log(`${id}: ${c('entities')} entities, ${c('events')} events, ${c('statements')} statements, ` +
      `${c('positions')} positions, ${c('agreements')} agreements, ${c('mentions')} mentions`);
  } catch (e) {
    console.error(`${id}: ${e.message}`);
    status = 1;
  }
}
process.exit(status);
