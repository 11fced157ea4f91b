/* fuzz_pipeline.c - libFuzzer target for the whole pipeline: a mapping and
 * its data in, RDF out, and the output read back strictly.
 *
 * Input: MAPPING NUL DATA.  MAPPING is RML Turtle when kg_rml_sniff says
 * so, YARRRML otherwise (as the command line decides); every source of the
 * mapping reads DATA from memory (its format as the mapping says).  The
 * evaluator's statements go to four writers at once: N-Triples and Turtle
 * (graphs merged, as --merge-graphs does), N-Quads and TriG.  When the run
 * succeeds, each output is parsed with serd in strict mode; it must parse,
 * its prefixed names must expand, its IRIs must be absolute, and it must
 * hold exactly as many statements as the sink received.  kgmap must never
 * write a graph that does not parse.
 *
 * The one known exception is rml:UnsafeIRI: RML-Core (RMLTC0027b) asks for
 * IRIs holding a space, which no strict parser accepts in any spelling
 * (writer.c).  Such statements are counted and kept out of the writers;
 * that they only come from a mapping with an UnsafeIRI term map is
 * checked. */
#include "fuzz.h"

#include <serd/serd.h>

#include "eval.h"
#include "rml.h"
#include "writer.h"
#include "yarrrml.h"

enum { NOUT = 4 };

static const struct {
  kg_format fmt;
  bool merge; /* graphs merged into the default graph */
  SerdSyntax syntax;
} outputs[NOUT] = {
    {KG_FMT_NTRIPLES, true, SERD_NTRIPLES},
    {KG_FMT_TURTLE, true, SERD_TURTLE},
    {KG_FMT_NQUADS, false, SERD_NQUADS},
    {KG_FMT_TRIG, false, SERD_TRIG},
};

typedef struct tee {
  kg_writer *w[NOUT];
  size_t statements;
  bool unsafe_ok; /* the mapping has an UnsafeIRI term map */
} tee;

/* An IRI no syntax can hold: IRIREF excludes [#x00-#x20<>"{}|^`\]. */
static bool unwritable_iri(const kg_term *t) {
  if (!t || t->kind != KG_TERM_IRI)
    return false;
  for (size_t i = 0; i < t->len; i++)
    if ((unsigned char)t->value[i] <= 0x20 ||
        strchr("<>\"{}|^`\\", t->value[i]))
      return true;
  return false;
}

static kg_status tee_statement(void *h, const kg_term *s, const kg_term *p,
                               const kg_term *o, const kg_term *g) {
  tee *t = h;
  if (unwritable_iri(s) || unwritable_iri(p) || unwritable_iri(o) ||
      unwritable_iri(g)) {
    if (!t->unsafe_ok)
      fuzz_fail("an IRI with a space or <>\"{}|^`\\ without UnsafeIRI");
    return KG_OK;
  }
  t->statements++;
  for (size_t i = 0; i < NOUT; i++) {
    const kg_status st =
        kg_writer_statement(t->w[i], s, p, o, outputs[i].merge ? NULL : g);
    if (st != KG_OK)
      return st;
  }
  return KG_OK;
}

/* ---- reading the output back with serd ---------------------------------- */

typedef struct readback {
  SerdEnv *env;
  size_t statements;
  bool bad;
  const char *why;
} readback;

static void check_node(readback *rb, const SerdNode *n) {
  if (!n)
    return;
  if (n->type == SERD_CURIE) {
    SerdChunk pre, suf;
    if (serd_env_expand(rb->env, n, &pre, &suf) != SERD_SUCCESS) {
      rb->bad = true;
      rb->why = "a prefixed name with an undeclared prefix";
    }
  } else if (n->type == SERD_URI && !serd_uri_string_has_scheme(n->buf)) {
    rb->bad = true;
    rb->why = "a relative IRI";
  }
}

static SerdStatus on_prefix(void *h, const SerdNode *name,
                            const SerdNode *uri) {
  readback *rb = h;
  return serd_env_set_prefix(rb->env, name, uri);
}

static SerdStatus on_base(void *h, const SerdNode *uri) {
  readback *rb = h;
  rb->bad = true; /* the writers never write @base */
  rb->why = "a base directive";
  return SERD_SUCCESS;
}

static SerdStatus on_statement(void *h, SerdStatementFlags flags,
                               const SerdNode *graph, const SerdNode *subject,
                               const SerdNode *predicate,
                               const SerdNode *object, const SerdNode *datatype,
                               const SerdNode *lang) {
  readback *rb = h;
  rb->statements++;
  check_node(rb, graph);
  check_node(rb, subject);
  check_node(rb, predicate);
  check_node(rb, object);
  check_node(rb, datatype);
  return SERD_SUCCESS;
}

static SerdStatus on_error(void *h, const SerdError *e) {
  readback *rb = h;
  rb->bad = true;
  rb->why = "serd reports a syntax error";
  fprintf(stderr, "fuzz: serd: %u:%u: %s", e->line, e->col, e->fmt);
  return SERD_SUCCESS;
}

/* serd 0.30 may read a few bytes past the end of a string (an empty one:
 * "bad verb" on the bytes after the NUL), so it reads a copy padded with
 * NULs, not open_memstream's buffer, whose spare bytes are not zeroed. */
enum { PAD = 64 };

static void read_back(const char *out, size_t len, size_t i, size_t want) {
  char *text = calloc(1, len + PAD);
  if (!text)
    abort();
  memcpy(text, out, len);
  readback rb = {serd_env_new(NULL), 0, false, NULL};
  SerdReader *r = serd_reader_new(outputs[i].syntax, &rb, NULL, on_base,
                                  on_prefix, on_statement, NULL);
  serd_reader_set_strict(r, true);
  serd_reader_set_error_sink(r, on_error, &rb);
  const SerdStatus st = serd_reader_read_string(r, (const uint8_t *)text);
  serd_reader_free(r);
  serd_env_free(rb.env);
  if (strlen(text) != len)
    rb.bad = true, rb.why = "a NUL byte in the output";
  else if (st > SERD_FAILURE && !rb.bad) /* SERD_FAILURE: nothing to read */
    rb.bad = true, rb.why = "serd fails";
  else if (!rb.bad && rb.statements != want)
    rb.bad = true, rb.why = "a different number of statements";
  if (rb.bad) {
    fprintf(stderr, "fuzz: %s output (%zu statements of %zu):\n%s\n",
            kg_format_name(outputs[i].fmt), rb.statements, want, text);
    fuzz_fail(rb.why);
  }
  free(text);
}

/* ---- the run ------------------------------------------------------------- */

static kg_status read_mapping(kg_mapping *m, const fuzz_split *sp, kg_diag *d) {
  const bool rml = kg_rml_sniff(sp->head, sp->head_len);
  const kg_status st =
      rml ? kg_rml_read_mem(m, "fuzz.ttl", NULL, sp->head, sp->head_len, d)
          : kg_yarrrml_read_mem(m, "fuzz.yml", NULL, sp->head, sp->head_len, d);
  for (size_t k = 0; k < m->nmaps; k++)
    m->maps[k]->arrays_expand = !rml;
  for (size_t k = 0; k < m->nsources; k++) {
    m->sources[k]->data = sp->tail;
    m->sources[k]->data_len = sp->tail_len;
  }
  return st != KG_OK ? st : kg_mapping_finish(m, d);
}

static bool tm_unsafe(const kg_term_map *tm) {
  return tm && tm->type == KG_TT_UNSAFE_IRI;
}

static bool tms_unsafe(kg_term_map *const *tms, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (tm_unsafe(tms[i]))
      return true;
  return false;
}

static bool pom_unsafe(const kg_pom *pom) {
  for (size_t j = 0; j < pom->nobjects; j++)
    if (tm_unsafe(pom->objects[j].tm))
      return true;
  return tms_unsafe(pom->predicates, pom->npredicates) ||
         tms_unsafe(pom->graphs, pom->ngraphs);
}

/* Whether any term map of the mapping makes UnsafeIRIs. */
static bool uses_unsafe_iri(const kg_mapping *m) {
  for (size_t i = 0; i < m->nmaps; i++) {
    const kg_triples_map *map = m->maps[i];
    if (tms_unsafe(map->subjects, map->nsubjects) ||
        tms_unsafe(map->graphs, map->ngraphs))
      return true;
    for (size_t k = 0; k < map->npoms; k++)
      if (pom_unsafe(&map->poms[k]))
        return true;
  }
  return false;
}

static void run(const kg_mapping *m, const fuzz_split *sp, fuzz_diag *fd) {
  char *text[NOUT];
  size_t len[NOUT];
  FILE *f[NOUT];
  tee t = {{0}, 0, uses_unsafe_iri(m)};
  for (size_t i = 0; i < NOUT; i++) {
    f[i] = open_memstream(&text[i], &len[i]);
    t.w[i] = kg_writer_new(f[i], outputs[i].fmt, m->prefixes, m->nprefixes,
                           &fd->diag);
  }
  const kg_eval_options opt = {.base = "http://example.com/base/"};
  kg_status st = kg_eval(m, &opt, tee_statement, &t, NULL, &fd->diag);
  for (size_t i = 0; i < NOUT; i++) {
    const kg_status fst = kg_writer_finish(t.w[i]);
    st = st != KG_OK ? st : fst;
    kg_writer_free(t.w[i]);
    fclose(f[i]);
  }
  fuzz_check_status(fd, st);
  for (size_t i = 0; i < NOUT && st == KG_OK; i++)
    read_back(text[i], len[i], i, t.statements);
  for (size_t i = 0; i < NOUT; i++)
    free(text[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const fuzz_split sp = fuzz_split_nul(data, size);
  if (!sp.tail)
    return 0; /* no data: only the readers would run (their own targets) */
  fuzz_diag fd;
  fuzz_diag_init(&fd);
  kg_mapping *m = kg_mapping_new();
  const kg_status st = read_mapping(m, &sp, &fd.diag);
  fuzz_check_status(&fd, st);
  if (st == KG_OK)
    run(m, &sp, &fd);
  kg_mapping_free(m);
  return 0;
}
