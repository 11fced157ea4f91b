#!/usr/bin/env node
// No injection: random strings full of what could break out of an RDF term
// (> and spaces in IRIs, ", """, \, line breaks, NUL, @prefix lines, # in
// literals, Unicode line separators, astral characters, lone surrogates)
// are mapped into literals and into IRI templates, written in all four
// formats, and parsed back with strict parsers (Oxigraph; serdi must accept
// the file too).  Each literal must come back as exactly the input value,
// each IRI must be the IRI-safe percent-encoding of it (RFC 3987
// iunreserved kept) that decodes to the value.  A string holding a lone
// surrogate cannot be UTF-8: the JSON reader must refuse it with a
// positioned error and no output.
//
//   KGMAP=build/kgmap node tests/injection/roundtrip.mjs [N] [SEED]
//
// Seeded and deterministic: the same N and SEED give the same strings.
// Prints "injection: N passed, M failed" (one check per value and format).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import oxigraph from 'oxigraph';

const KGMAP = path.resolve(process.env.KGMAP ?? 'build/kgmap');
const N = Number(process.argv[2] ?? 3000);
const SEED = Number(process.argv[3] ?? 20261201);
const EX = 'http://example.org/';

// mulberry32: a small seeded PRNG, so that every run sees the same strings.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(SEED);
const pick = (a) => a[Math.floor(rand() * a.length)];
const int = (n) => Math.floor(rand() * n);

// The nasty pieces, and random code points of every plane.
const PIECES = [
  '>', '<', ' ', '"', '"""', "'''", "'", '\\', '\\n', '\\u0000', '\n', '\r',
  '\r\n', '\t', '\u0000', '\u0001', '\u001f', '\u007f', '\u0085', '\u00a0',
  '\u2028', '\u2029', '\ufeff', '\ufffe', '\uffff', '\ud83d\ude00',
  '\u{10ffff}', '\u0301', '@prefix ex: <http://evil.example/> .\n',
  '@base <http://evil.example/> .', '# not a comment', ' . <a> <b> <c> .',
  '^^<http://www.w3.org/2001/XMLSchema#int>', '@en', '_:b0', ';', ',', '.',
  '{', '}', '|', '^', '`', '%', '%41', '%%', '?', '&', '=', '/', ':', '[',
  ']', '(', ')', '$(x)', 'Zoë', 'é', '日本', 'ﬀ', 'a', 'B', '0', '-', '_', '~',
];
function randomCodePoint() {
  const r = rand();
  let cp;
  if (r < 0.4) cp = 0x20 + int(0x5f);
  else if (r < 0.5) cp = int(0x20);
  else if (r < 0.8) cp = 0x80 + int(0xd800 - 0x80);
  else if (r < 0.9) cp = 0xe000 + int(0x2000);
  else cp = 0x10000 + int(0x100000);
  return String.fromCodePoint(cp);
}
function randomString() {
  const parts = [];
  const n = int(12);
  for (let i = 0; i < n; i++) parts.push(rand() < 0.6 ? pick(PIECES) : randomCodePoint());
  return parts.join('');
}

// RML-Core IRI-safe encoding, written independently of kgmap's: RFC 3987
// iunreserved (ALPHA DIGIT - . _ ~ ucschar) kept, the rest as %XX of UTF-8.
function ucschar(cp) {
  if ((cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xf900 && cp <= 0xfdcf) ||
      (cp >= 0xfdf0 && cp <= 0xffef)) return true;
  if (cp >= 0xe0000 && cp < 0xe1000) return false; // plane 14 from E1000
  return cp >= 0x10000 && cp <= 0xeffff && (cp & 0xffff) <= 0xfffd;
}
function iriSafe(s) {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0);
    if (/[A-Za-z0-9\-._~]/.test(ch) || ucschar(cp)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}
function percentDecode(s) {
  const bytes = [];
  for (let i = 0; i < s.length; ) {
    if (s[i] === '%') { bytes.push(parseInt(s.slice(i + 1, i + 3), 16)); i += 3; continue; }
    const cp = s.codePointAt(i);
    const ch = String.fromCodePoint(cp);
    bytes.push(...Buffer.from(ch, 'utf8'));
    i += ch.length;
  }
  return Buffer.from(bytes).toString('utf8');
}

const MAPPING = `prefixes:
  ex: ${EX}
mappings:
  r:
    sources: [data.json~jsonpath, "$[*]"]
    s: ex:r/$(id)
    po:
      - [ex:lit, $(v)]
      - [ex:tpl, "«$(v)»"]
      - [ex:lang, $(v), en~lang]
      - [ex:iri, "ex:v/$(v)~iri"]
`;
const FORMATS = {
  ntriples: ['application/n-triples', 'ntriples'],
  nquads: ['application/n-quads', 'nquads'],
  turtle: ['text/turtle', 'turtle'],
  trig: ['application/trig', 'trig'],
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kgmap-inj-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
let pass = 0, fail = 0;
const failures = [];
function check(ok, what) {
  if (ok) { pass++; return; }
  fail++;
  if (failures.length < 20) failures.push(what);
}

const values = [];
while (values.length < N) {
  const v = randomString();
  if (!/[\ud800-\udfff]/u.test(v.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) values.push(v);
}
fs.writeFileSync(path.join(tmp, 'mapping.yml'), MAPPING);
fs.writeFileSync(path.join(tmp, 'data.json'),
  '[\n' + values.map((v, id) => JSON.stringify({ id, v })).join(',\n') + '\n]\n');

for (const [fmt, [mime, serdiFmt]] of Object.entries(FORMATS)) {
  const out = path.join(tmp, `out.${fmt}`);
  const run = spawnSync(KGMAP, ['-f', fmt, '-o', out, 'mapping.yml'], { cwd: tmp, encoding: 'utf8' });
  if (run.status !== 0) { check(false, `${fmt}: kgmap exit ${run.status}: ${run.stderr.slice(0, 300)}`); continue; }
  const serdi = spawnSync('serdi', ['-i', serdiFmt, '-o', 'ntriples', out],
    { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  check(serdi.status === 0, `${fmt}: serdi rejects the output: ${serdi.stderr.slice(0, 300)}`);
  let quads;
  try {
    quads = oxigraph.parse(fs.readFileSync(out, 'utf8'), { format: mime });
  } catch (e) { check(false, `${fmt}: oxigraph rejects the output: ${e.message}`); continue; }
  const got = new Map();
  for (const q of quads) got.set(q.subject.value + ' ' + q.predicate.value, q.object);
  check(quads.length === 4 * values.length, `${fmt}: ${quads.length} statements, expected ${4 * values.length}`);
  values.forEach((v, id) => {
    const s = `${EX}r/${id}`, show = JSON.stringify(v);
    const lit = got.get(`${s} ${EX}lit`), tpl = got.get(`${s} ${EX}tpl`);
    const lang = got.get(`${s} ${EX}lang`), iri = got.get(`${s} ${EX}iri`);
    check(lit && lit.termType === 'Literal' && lit.value === v && lit.datatype.value.endsWith('#string'),
      `${fmt} ${id}: literal ${JSON.stringify(lit?.value)} != ${show}`);
    check(tpl && tpl.termType === 'Literal' && tpl.value === `«${v}»`,
      `${fmt} ${id}: template literal ${JSON.stringify(tpl?.value)} != «${show}»`);
    check(lang && lang.value === v && lang.language === 'en',
      `${fmt} ${id}: language literal ${JSON.stringify(lang?.value)}@${lang?.language} != ${show}@en`);
    const want = `${EX}v/${iriSafe(v)}`;
    check(iri && iri.termType === 'NamedNode' && iri.value === want &&
          percentDecode(iri.value.slice(`${EX}v/`.length)) === v,
      `${fmt} ${id}: IRI ${JSON.stringify(iri?.value)} != ${JSON.stringify(want)}`);
  });
}

// Lone surrogates: not UTF-8, so an error at the string, and no output.
for (let i = 0; i < Math.max(5, Math.min(50, Math.floor(N / 60))); i++) {
  const lone = String.fromCharCode(0xd800 + int(0x800));
  const v = randomString() + lone + randomString();
  fs.writeFileSync(path.join(tmp, 'data.json'), '[\n' + JSON.stringify({ id: i, v }) + '\n]\n');
  const out = path.join(tmp, 'lone.nt');
  const run = spawnSync(KGMAP, ['-f', 'ntriples', '-o', out, 'mapping.yml'], { cwd: tmp, encoding: 'utf8' });
  check(run.status === 1 && /^data\.json:2:\d+: error: invalid JSON: unpaired surrogate \\ud[89a-f][0-9a-f]{2}\n$/.test(run.stderr) &&
        !fs.existsSync(out),
    `lone surrogate ${JSON.stringify(v)}: exit ${run.status}, stderr ${JSON.stringify(run.stderr)}`);
}

for (const f of failures) console.log('FAIL ' + f);
console.log(`injection: ${pass} passed, ${fail} failed (${N} strings, seed ${SEED})`);
process.exit(fail === 0 ? 0 : 1);
