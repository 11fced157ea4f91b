/* gen.c - a deterministic generator of extraction documents for the
 * benchmark (bench/run.sh).
 *
 *   gen [-f jsonl|yaml] [-s SEED] [-k K/N] COUNT
 *
 * writes COUNT article documents in the project's extraction format
 * (kgmap-extraction/1, docs/extraction-format.md) to standard output: as
 * JSON Lines (one document per line) or as a multi-document YAML stream
 * (`---` before each document; the top-level keys in block style, records
 * in flow style, as in data/articles/).  Each document has the diplomacy
 * shape: article metadata, entities with labels and posts, events with
 * participants and dates, statements, a position, every other document an
 * agreement, and mentions of all of them.  Ids come from
 * data/registry.yml, so the generated graph links to the registry.
 *
 * Document i depends only on (SEED, i): the output is the same on every
 * run and machine.  About one fact in eight reuses a shared fact id (the
 * same fact reported by several articles).  Strings carry what the writer
 * must escape: quotes, backslashes, newlines, non-ASCII letters.
 * -k K/N writes only the documents i with i % N == K (to test sharding
 * against an independent split). */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_(a) (sizeof(a) / sizeof((a)[0]))

static const char *const persons[] = {
    "lavrov", "tillerson", "putin", "trump", "obama", "assad", "stoltenberg"};
static const char *const person_posts[] = {"ru_minister_foreign_affairs",
                                           "us_secretary_of_state",
                                           "ru_president",
                                           "us_president",
                                           "us_president",
                                           "sy_president",
                                           "nato_secretary_general"};
static const char *const states[] = {"russia",  "usa",         "syria",
                                     "ukraine", "north_korea", "iran",
                                     "germany", "france"};
static const char *const bodies[] = {"russian_mfa",    "us_department_of_state",
                                     "white_house",    "kremlin",
                                     "united_nations", "nato"};
static const char *const places[] = {
    "moscow",    "washington", "new_york", "saint_petersburg",
    "the_hague", "idlib",      "homs"};
static const char *const media[] = {"sputnik", "afp", "tass", "ria_novosti"};
static const char *const topics[] = {"bilateral_relations",
                                     "trust",
                                     "syria_crisis",
                                     "chemical_weapons",
                                     "terrorism",
                                     "ukraine_conflict",
                                     "korea",
                                     "sanctions",
                                     "disarmament"};
static const char *const cameo[] = {"010", "032", "036", "041", "042",
                                    "043", "046", "057", "104", "160"};
static const char *const event_types[] = {
    "visit",      "negotiation", "meeting",   "press_conference",
    "phone_call", "speech",      "interview", "communique"};
static const char *const roles[] = {"host", "guest", "participant", "speaker",
                                    "present"};
static const char *const issues[][2] = {
    {"assad_future", "assad_departure_orderly"},
    {"assad_future", "syrians_decide_no_reliance"},
    {"chemical_attack_responsibility", "assad_regime_responsible"},
    {"idlib_investigation", "investigation_under_un"},
    {"idlib_investigation", "objective_international_investigation"}};
static const char *const stance_values[] = {"favor", "against", "neutral",
                                            "ambiguous"};
static const char *const agreement_types[] = {
    "working_group", "memorandum",    "investigation",
    "cooperation",   "consultations", "common_position"};
static const char *const statuses[] = {"proposed", "agreed", "in_force",
                                       "suspended"};
static const char *const precisions[] = {"day", "month", "year"};
static const char *const qualifiers[] = {NULL,    NULL,     NULL,   NULL,
                                         "about", "before", "after"};
static const char *const phrases[] = {
    "Les États-Unis et la Russie ont convenu de joindre leurs efforts",
    "nous ne comptons sur personne, ni sur le président Assad",
    "il faut « stabiliser » les relations bilatérales",
    "le dialogue entre les ministres doit s'intensifier",
    "une enquête \"objective\" sur les événements d'Idlib",
    "le chemin C:\\dossiers\\syrie n'est pas un argument",
    "première ligne\nseconde ligne de la déclaration",
    "Moscou et Washington sont tenus de régler la crise"};

/* --- a seeded generator: splitmix64 over (seed, document, draw) --------- */

typedef struct rng {
  uint64_t state;
} rng;

static uint64_t next(rng *r) {
  uint64_t z = (r->state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

static size_t pick(rng *r, size_t n) {
  return (size_t)(next(r) % n);
}

/* --- output: JSON text, with plain keys in YAML flow style ------------- */

typedef struct out {
  bool yaml;
  bool first; /* no comma before the next member or item */
} out;

static void key(out *o, const char *k) {
  if (!o->first)
    fputs(", ", stdout);
  o->first = false;
  printf(o->yaml ? "%s: " : "\"%s\": ", k);
}

static void str(const char *s) {
  putchar('"');
  for (; *s; s++) {
    if (*s == '"' || *s == '\\')
      printf("\\%c", *s);
    else if (*s == '\n')
      fputs("\\n", stdout);
    else
      putchar(*s);
  }
  putchar('"');
}

static void kstr(out *o, const char *k, const char *v) {
  key(o, k);
  str(v);
}

static void kint(out *o, const char *k, long v) {
  key(o, k);
  printf("%ld", v);
}

static void open_(out *o, char c) {
  putchar(c);
  o->first = true;
}

static void close_(out *o, char c) {
  putchar(c);
  o->first = false;
}

static void item(out *o) {
  if (!o->first)
    fputs(", ", stdout);
  o->first = false;
}

static void kstrs(out *o, const char *k, const char *const *v, size_t n) {
  key(o, k);
  open_(o, '[');
  for (size_t i = 0; i < n; i++) {
    item(o);
    str(v[i]);
  }
  close_(o, ']');
}

/* A top-level key: block style in YAML, a member in JSON. */
static void top(out *o, const char *k) {
  if (o->yaml)
    printf("%s: ", k);
  else
    key(o, k);
}

/* A list of records: a block sequence in YAML, an array in JSON. */
static void list_begin(out *o, const char *k) {
  if (o->yaml) {
    printf("%s:\n", k);
  } else {
    key(o, k);
    open_(o, '[');
  }
}

static void record_begin(out *o) {
  if (o->yaml) {
    fputs("  - ", stdout);
  } else {
    item(o);
  }
  open_(o, '{');
}

static void record_end(out *o) {
  close_(o, '}');
  if (o->yaml)
    putchar('\n');
}

static void list_end(out *o) {
  if (!o->yaml)
    close_(o, ']');
}

static void top_end(out *o) {
  if (o->yaml)
    putchar('\n');
}

/* --- one document ------------------------------------------------------ */

typedef struct docctx {
  rng r;
  out o;
  char article[32];
  char ev[2][64], st[2][64], pos[64], agr[64];
  const char *ents[4];
  size_t nents;
  unsigned offset; /* next mention start */
} docctx;

static void date(docctx *c, const char *k, bool qualified) {
  out *o = &c->o;
  const size_t p = pick(&c->r, N_(precisions));
  char v[16];
  const unsigned y = 2014 + (unsigned)pick(&c->r, 5);
  const unsigned m = 1 + (unsigned)pick(&c->r, 12);
  const unsigned d = 1 + (unsigned)pick(&c->r, 28);
  if (p == 0)
    snprintf(v, sizeof v, "%u-%02u-%02u", y, m, d);
  else if (p == 1)
    snprintf(v, sizeof v, "%u-%02u", y, m);
  else
    snprintf(v, sizeof v, "%u", y);
  key(o, k);
  open_(o, '{');
  kstr(o, "value", v);
  kstr(o, "precision", precisions[p]);
  kstr(o, "basis", "stated");
  const char *q = qualified ? qualifiers[pick(&c->r, N_(qualifiers))] : NULL;
  if (q)
    kstr(o, "qualifier", q);
  close_(o, '}');
}

/* A fact id: mostly this article's own, one in eight from a shared pool. */
static void fact_id(docctx *c, char *buf, const char *kind, size_t i,
                    unsigned n) {
  if (pick(&c->r, 8) == 0)
    snprintf(buf, 64, "%s_shared_%zu", kind, pick(&c->r, 997));
  else
    snprintf(buf, 64, "%s_%s_%u", kind, c->article, n);
  (void)i;
}

static void write_article(docctx *c) {
  out *o = &c->o;
  top(o, "format");
  str("kgmap-extraction/1");
  top_end(o);
  top(o, "extractor");
  open_(o, '{');
  kstr(o, "name", "kgmap-bench-generator");
  kstr(o, "version", "1");
  kstr(o, "method", "synthetic");
  close_(o, '}');
  top_end(o);
  top(o, "article");
  open_(o, '{');
  kstr(o, "id", c->article);
  char file[48];
  snprintf(file, sizeof file, "%s.txt", c->article);
  kstr(o, "file", file);
  kstr(o, "publisher", media[pick(&c->r, N_(media))]);
  const char *ag[] = {media[pick(&c->r, N_(media))]};
  kstrs(o, "agencies", ag, pick(&c->r, 2));
  kstr(o, "language", "fr");
  date(c, "published", false);
  close_(o, '}');
  top_end(o);
}

static void pick_entities(docctx *c) {
  c->nents = 0;
  c->ents[c->nents++] = persons[pick(&c->r, N_(persons))];
  c->ents[c->nents++] = states[pick(&c->r, N_(states))];
  c->ents[c->nents++] = bodies[pick(&c->r, N_(bodies))];
  c->ents[c->nents++] = places[pick(&c->r, N_(places))];
}

static void write_entities(docctx *c) {
  out *o = &c->o;
  list_begin(o, "entities");
  for (size_t i = 0; i < c->nents; i++) {
    record_begin(o);
    kstr(o, "article", c->article);
    kstr(o, "entity", c->ents[i]);
    const char *labels[] = {c->ents[i], "M. l'entité « citée »"};
    kstrs(o, "labels", labels, 1 + (i == 0));
    if (i == 0) {
      size_t p = 0;
      while (strcmp(persons[p], c->ents[0]) != 0)
        p++;
      key(o, "posts");
      open_(o, '[');
      item(o);
      open_(o, '{');
      kstr(o, "post", person_posts[p]);
      date(c, "as_of", false);
      close_(o, '}');
      close_(o, ']');
    }
    record_end(o);
  }
  list_end(o);
}

static void participants(docctx *c) {
  out *o = &c->o;
  key(o, "participants");
  open_(o, '[');
  for (size_t i = 0; i < 2; i++) {
    item(o);
    open_(o, '{');
    kstr(o, "entity", i ? persons[pick(&c->r, N_(persons))] : c->ents[0]);
    kstr(o, "role", roles[pick(&c->r, N_(roles))]);
    close_(o, '}');
  }
  close_(o, ']');
}

static void write_events(docctx *c) {
  out *o = &c->o;
  list_begin(o, "events");
  for (unsigned i = 0; i < 2; i++) {
    record_begin(o);
    kstr(o, "article", c->article);
    kstr(o, "id", c->ev[i]);
    kstr(o, "type", event_types[pick(&c->r, N_(event_types))]);
    kstr(o, "label_fr", phrases[pick(&c->r, N_(phrases))]);
    const char *cm[] = {cameo[pick(&c->r, N_(cameo))]};
    kstrs(o, "cameo", cm, 1);
    date(c, "date", true);
    kstr(o, "place", c->ents[3]);
    participants(c);
    const char *tp[] = {topics[pick(&c->r, N_(topics))],
                        topics[pick(&c->r, N_(topics))]};
    kstrs(o, "topics", tp, 1 + pick(&c->r, 2));
    if (i == 1) {
      const char *f[] = {c->ev[0]};
      kstrs(o, "follows", f, 1);
    }
    record_end(o);
  }
  list_end(o);
}

static void write_statements(docctx *c) {
  out *o = &c->o;
  list_begin(o, "statements");
  for (unsigned i = 0; i < 2; i++) {
    record_begin(o);
    kstr(o, "article", c->article);
    kstr(o, "id", c->st[i]);
    kstr(o, "speaker", c->ents[0]);
    kstr(o, "on_behalf_of", c->ents[1]);
    kstr(o, "language", "fr");
    key(o, "is_direct_quote");
    fputs(pick(&c->r, 2) ? "true" : "false", stdout);
    kstr(o, "said_at", c->ev[i]);
    const char *tp[] = {topics[pick(&c->r, N_(topics))]};
    kstrs(o, "topics", tp, 1);
    const char *ab[] = {c->agr[0] ? c->agr : c->ev[0]};
    kstrs(o, "about", ab, 1);
    kstr(o, "text", phrases[pick(&c->r, N_(phrases))]);
    if (pick(&c->r, 2))
      date(c, "date", true);
    record_end(o);
  }
  list_end(o);
}

static void write_positions(docctx *c) {
  out *o = &c->o;
  const size_t is = pick(&c->r, N_(issues));
  list_begin(o, "positions");
  record_begin(o);
  kstr(o, "article", c->article);
  kstr(o, "id", c->pos);
  kstr(o, "holder", c->ents[0]);
  kstr(o, "on_behalf_of", c->ents[1]);
  kstr(o, "issue", issues[is][0]);
  kstr(o, "proposition", issues[is][1]);
  kstr(o, "value", stance_values[pick(&c->r, N_(stance_values))]);
  date(c, "date", true);
  const char *ex[] = {c->st[0]};
  kstrs(o, "expressed_by", ex, 1);
  key(o, "confidence");
  printf("0.%u", 5 + (unsigned)pick(&c->r, 5));
  record_end(o);
  list_end(o);
}

static void write_agreements(docctx *c) {
  out *o = &c->o;
  if (!c->agr[0]) {
    top(o, "agreements");
    fputs("[]", stdout);
    top_end(o);
    return;
  }
  list_begin(o, "agreements");
  {
    record_begin(o);
    kstr(o, "article", c->article);
    kstr(o, "id", c->agr);
    kstr(o, "type", agreement_types[pick(&c->r, N_(agreement_types))]);
    kstr(o, "label_fr", phrases[pick(&c->r, N_(phrases))]);
    const char *pa[] = {c->ents[1], states[pick(&c->r, N_(states))]};
    kstrs(o, "parties", pa, 2);
    const char *pb[] = {c->ev[0]};
    kstrs(o, "produced_by", pb, 1);
    kstr(o, "status", statuses[pick(&c->r, N_(statuses))]);
    key(o, "status_changes");
    open_(o, '[');
    item(o);
    open_(o, '{');
    kstr(o, "status", "suspended");
    kstr(o, "by", c->ents[1]);
    kstr(o, "event", c->ev[1]);
    date(c, "date", false);
    close_(o, '}');
    close_(o, ']');
    const char *ex[] = {c->st[1]};
    kstrs(o, "expressed_by", ex, 1);
    date(c, "date", true);
    record_end(o);
  }
  list_end(o);
}

/* Code points in a UTF-8 string. */
static unsigned code_points(const char *s) {
  unsigned n = 0;
  for (; *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

static void mention(docctx *c, const char *kind, const char *ref,
                    const char *text) {
  out *o = &c->o;
  record_begin(o);
  kstr(o, "article", c->article);
  kstr(o, "kind", kind);
  kstr(o, "refers_to", ref);
  const unsigned len = code_points(text);
  kint(o, "start", c->offset);
  kint(o, "end", c->offset + len);
  kstr(o, "text", text);
  record_end(o);
  c->offset += len + 1 + (unsigned)pick(&c->r, 200);
}

static void write_mentions(docctx *c) {
  list_begin(&c->o, "mentions");
  for (size_t i = 0; i < c->nents; i++)
    mention(c, "entity", c->ents[i], c->ents[i]);
  for (unsigned i = 0; i < 2; i++)
    mention(c, "event", c->ev[i], phrases[pick(&c->r, N_(phrases))]);
  for (unsigned i = 0; i < 2; i++)
    mention(c, "statement", c->st[i], phrases[pick(&c->r, N_(phrases))]);
  list_end(&c->o);
}

static void document(uint64_t seed, size_t i, bool yaml) {
  docctx c = {.r = {seed * 0x100000001B3ULL ^ (uint64_t)i}, .o = {yaml, true}};
  next(&c.r);
  snprintf(c.article, sizeof c.article, "%07zu_%016" PRIx64, i, next(&c.r));
  pick_entities(&c);
  for (unsigned k = 0; k < 2; k++) {
    fact_id(&c, c.ev[k], "ev", i, k);
    fact_id(&c, c.st[k], "st", i, k);
  }
  fact_id(&c, c.pos, "pos", i, 0);
  if (i % 2)
    fact_id(&c, c.agr, "agr", i, 0);
  if (yaml)
    fputs("---\n", stdout);
  else
    open_(&c.o, '{');
  write_article(&c);
  write_entities(&c);
  write_events(&c);
  write_statements(&c);
  write_positions(&c);
  write_agreements(&c);
  write_mentions(&c);
  if (!yaml)
    fputs("}\n", stdout);
}

static int usage(void) {
  fputs("usage: gen [-f jsonl|yaml] [-s SEED] [-k K/N] COUNT\n", stderr);
  return 2;
}

int main(int argc, char **argv) {
  bool yaml = false;
  uint64_t seed = 42;
  unsigned long k = 0, n = 1;
  int i = 1;
  for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
    if (strcmp(argv[i], "-f") == 0 &&
        (strcmp(argv[i + 1], "yaml") == 0 || strcmp(argv[i + 1], "jsonl") == 0))
      yaml = argv[i + 1][0] == 'y';
    else if (strcmp(argv[i], "-s") == 0)
      seed = strtoull(argv[i + 1], NULL, 10);
    else if (strcmp(argv[i], "-k") != 0 ||
             sscanf(argv[i + 1], "%lu/%lu", &k, &n) != 2 || n == 0 || k >= n)
      return usage();
  }
  if (i + 1 != argc)
    return usage();
  char *end;
  const unsigned long long count = strtoull(argv[i], &end, 10);
  if (*end || end == argv[i])
    return usage();
  for (size_t d = 0; d < count; d++)
    if (d % n == k)
      document(seed, d, yaml);
  return fflush(stdout) != 0 || ferror(stdout) ? 1 : 0;
}
