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
 * give back exactly the statements the sink received, term for term (a
 * canonical form of each: serd's view and the sink's compared): in order
 * for N-Triples and N-Quads, as the same multiset for Turtle and TriG,
 * which group a document's statements by subject (window.h).
 * kgmap must never write a graph that does not parse, nor one that parses
 * into something else.
 *
 * The one known exception is rml:UnsafeIRI: RML-Core (RMLTC0027b) asks for
 * IRIs holding a space, which no strict parser accepts in any spelling
 * (writer.c).  Such statements are counted and kept out of the writers;
 * that they only come from a mapping with an UnsafeIRI term map is
 * checked. */
#include "fuzz.h"

#include <serd/serd.h>

#include "arena.h"
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
  kg_buf want[2]; /* canonical statements: [0] graphs merged, [1] quads */
} tee;

/* ---- the canonical form of a statement ---------------------------------
 * Each term is a kind letter, its length, ':' and its bytes; a literal adds
 * its datatype (none for xsd:string) and language.  Blank node labels are
 * written as the writers write them (b*-.* gets one more 'b', writer.h) and
 * as serd reads them back (it turns "b<digit>" into "B<digit>"): both sides
 * map a leading B before a digit to b. */

static void put_bytes(kg_buf *b, char kind, const char *s, size_t n) {
  kg_buf_printf(b, "%c%zu:", kind, n);
  kg_buf_append(b, s, n);
}

static void put_blank(kg_buf *b, const char *s, size_t n, bool from_kgmap) {
  size_t k = 0;
  while (k < n && s[k] == 'b')
    k++;
  const bool extra_b = from_kgmap && k < n && s[k] == '-';
  kg_buf_printf(b, "_%zu:", n + extra_b);
  if (extra_b)
    kg_buf_putc(b, 'b');
  if (n >= 2 && s[0] == 'B' && s[1] >= '0' && s[1] <= '9' && !extra_b) {
    kg_buf_putc(b, 'b');
    kg_buf_append(b, s + 1, n - 1);
  } else {
    kg_buf_append(b, s, n);
  }
}

static void put_datatype(kg_buf *b, const char *dt, size_t n) {
  if (dt && !(n == strlen(KG_XSD_STRING) && !memcmp(dt, KG_XSD_STRING, n)))
    put_bytes(b, '^', dt, n);
}

static void put_term(kg_buf *b, const kg_term *t) {
  if (!t) {
    kg_buf_putc(b, '.');
    return;
  }
  if (t->kind == KG_TERM_BLANK) {
    put_blank(b, t->value, t->len, true);
    return;
  }
  put_bytes(b, t->kind == KG_TERM_IRI ? '<' : '"', t->value, t->len);
  if (t->kind != KG_TERM_LITERAL)
    return;
  if (t->language)
    put_bytes(b, '@', t->language, strlen(t->language));
  else
    put_datatype(b, t->datatype, t->datatype ? strlen(t->datatype) : 0);
}

static void want_statement(tee *t, const kg_term *s, const kg_term *p,
                           const kg_term *o, const kg_term *g) {
  for (int q = 0; q < 2; q++) {
    kg_buf *b = &t->want[q];
    put_term(b, s);
    put_term(b, p);
    put_term(b, o);
    put_term(b, q ? g : NULL);
    kg_buf_putc(b, '\n');
  }
}

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
  want_statement(t, s, p, o, g);
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
  kg_buf got; /* canonical statements, as serd read them */
  kg_buf tmp;
} readback;

/* The bytes of a node into rb->tmp: CURIEs expanded (when one does not
 * expand, check_node has already failed the output). */
static const kg_buf *node_bytes(readback *rb, const SerdNode *n) {
  kg_buf_reset(&rb->tmp);
  SerdChunk pre = {NULL, 0}, suf = {NULL, 0};
  if (n->type != SERD_CURIE) {
    kg_buf_append(&rb->tmp, (const char *)n->buf, n->n_bytes);
  } else if (serd_env_expand(rb->env, n, &pre, &suf) == SERD_SUCCESS) {
    kg_buf_append(&rb->tmp, (const char *)pre.buf, pre.len);
    kg_buf_append(&rb->tmp, (const char *)suf.buf, suf.len);
  }
  return &rb->tmp;
}

static void put_serd(readback *rb, const SerdNode *n, const SerdNode *dt,
                     const SerdNode *lang) {
  if (!n) {
    kg_buf_putc(&rb->got, '.');
    return;
  }
  if (n->type == SERD_BLANK) {
    put_blank(&rb->got, (const char *)n->buf, n->n_bytes, false);
    return;
  }
  const kg_buf *v = node_bytes(rb, n);
  put_bytes(&rb->got, n->type == SERD_LITERAL ? '"' : '<', v->data, v->len);
  if (n->type != SERD_LITERAL)
    return;
  if (lang) {
    put_bytes(&rb->got, '@', (const char *)lang->buf, lang->n_bytes);
  } else if (dt) {
    v = node_bytes(rb, dt);
    put_datatype(&rb->got, v->data, v->len);
  }
}

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
  if (rb->bad)
    return SERD_SUCCESS;
  put_serd(rb, subject, NULL, NULL);
  put_serd(rb, predicate, NULL, NULL);
  put_serd(rb, object, datatype, lang);
  put_serd(rb, graph, NULL, NULL);
  kg_buf_putc(&rb->got, '\n');
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

static bool same(const kg_buf *a, const kg_buf *b) {
  return a->len == b->len && (!a->len || !memcmp(a->data, b->data, a->len));
}

/* One statement of a canonical buffer: where it starts, its length. */
typedef struct span {
  const char *p;
  size_t n;
} span;

static int by_bytes(const void *a, const void *b) {
  const span *x = a, *y = b;
  const int c = memcmp(x->p, y->p, x->n < y->n ? x->n : y->n);
  return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* The end of the item (kind, length, ':', bytes; or '.') at k. */
static size_t skip_item(const kg_buf *b, size_t k) {
  if (b->data[k] == '.')
    return k + 1;
  size_t n = 0;
  for (k++; b->data[k] != ':'; k++)
    n = n * 10 + (size_t)(b->data[k] - '0');
  return k + 1 + n;
}

/* The statements of b (four terms and a newline each, see put_term; their
 * bytes may hold newlines), sorted, in place. */
static void sort_statements(kg_buf *b) {
  if (!b->len)
    return;
  size_t n = 0, cap = 0;
  span *v = NULL;
  for (size_t k = 0; k < b->len;) {
    const size_t start = k;
    for (int t = 0; t < 4; t++) {
      k = skip_item(b, k);
      while (t == 2 && (b->data[k] == '@' || b->data[k] == '^'))
        k = skip_item(b, k);
    }
    k++; /* the newline */
    if (n == cap && !(v = realloc(v, (cap = cap ? 2 * cap : 64) * sizeof *v)))
      abort();
    v[n++] = (span){b->data + start, k - start};
  }
  qsort(v, n, sizeof *v, by_bytes);
  char *sorted = malloc(b->len + 1);
  if (!sorted)
    abort();
  size_t at = 0;
  for (size_t i = 0; i < n; i++) {
    memcpy(sorted + at, v[i].p, v[i].n);
    at += v[i].n;
  }
  memcpy(b->data, sorted, b->len);
  free(sorted);
  free(v);
}

/* Where got and want part: the statement (line) number, 1-based. */
static size_t first_difference(const kg_buf *got, const kg_buf *want) {
  size_t line = 1;
  for (size_t k = 0; k < got->len && k < want->len; k++) {
    if (got->data[k] != want->data[k])
      return line;
    line += got->data[k] == '\n';
  }
  return line;
}

static void read_back(const char *out, size_t len, size_t i, size_t want,
                      const kg_buf *canon) {
  char *text = calloc(1, len + PAD);
  if (!text)
    abort();
  memcpy(text, out, len);
  readback rb = {serd_env_new(NULL), 0, false, NULL, {0}, {0}};
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
  kg_buf sorted = {0};
  if (outputs[i].fmt == KG_FMT_TURTLE || outputs[i].fmt == KG_FMT_TRIG) {
    kg_buf_append(&sorted, canon->data, canon->len);
    sort_statements(&sorted);
    sort_statements(&rb.got);
    canon = &sorted;
  }
  if (!rb.bad && !same(&rb.got, canon)) {
    rb.bad = true, rb.why = "the output reads back as other statements";
    fprintf(stderr, "fuzz: statement %zu differs: read\n%s\nwanted\n%.*s\n",
            first_difference(&rb.got, canon), kg_buf_cstr(&rb.got),
            (int)canon->len, canon->len ? canon->data : "");
  }
  if (rb.bad) {
    fprintf(stderr, "fuzz: %s output (%zu statements of %zu):\n%s\n",
            kg_format_name(outputs[i].fmt), rb.statements, want, text);
    fuzz_fail(rb.why);
  }
  kg_buf_free(&rb.got);
  kg_buf_free(&rb.tmp);
  kg_buf_free(&sorted);
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
  tee t = {{0}, 0, uses_unsafe_iri(m), {{0}, {0}}};
  for (size_t i = 0; i < NOUT; i++) {
    f[i] = open_memstream(&text[i], &len[i]);
    t.w[i] = kg_writer_new(f[i], outputs[i].fmt, m->prefixes, m->nprefixes,
                           &fd->diag);
  }
  /* Small limits: a million statements through four writers and serd under
   * ASan would take longer than libFuzzer's timeout. */
  const kg_eval_options opt = {.base = "http://example.com/base/",
                               .max_record_statements = 10000,
                               .max_template_values = 10000,
                               .max_path_steps = 100000};
  kg_status st = kg_eval(m, &opt, tee_statement, &t, NULL, &fd->diag);
  for (size_t i = 0; i < NOUT; i++) {
    const kg_status fst = kg_writer_finish(t.w[i]);
    st = st != KG_OK ? st : fst;
    kg_writer_free(t.w[i]);
    fclose(f[i]);
  }
  fuzz_check_status(fd, st);
  for (size_t i = 0; i < NOUT && st == KG_OK; i++)
    read_back(text[i], len[i], i, t.statements, &t.want[!outputs[i].merge]);
  for (size_t i = 0; i < NOUT; i++)
    free(text[i]);
  kg_buf_free(&t.want[0]);
  kg_buf_free(&t.want[1]);
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
