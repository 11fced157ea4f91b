/* eval.c - running a mapping (see eval.h).
 *
 * Pass 1 builds a hash index for every referencing object map with a join
 * condition (or over another source), reading each parent source once.
 * Pass 2 reads each source once, document by document, and runs every
 * triples map over that source on each document.  Per record, strings
 * live in a scratch arena that is reset afterwards, and a small set drops
 * the statements the record already produced. */
#include "eval.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "join.h"
#include "termgen.h"

typedef struct join_state {
  const kg_triples_map *child;
  const kg_object_map *om;
  bool same_record;  /* no condition, same source and iterator */
  kg_join_index *ix; /* otherwise */
} join_state;

typedef struct seen_slot {
  uint64_t hash;
  unsigned gen;
  const char *bytes;
  size_t len;
} seen_slot;

typedef struct ev {
  const kg_mapping *m;
  const kg_eval_options *opt;
  kg_sink_fn sink;
  void *sink_h;
  kg_eval_stats stats;
  kg_diag *d;
  kg_arena *scratch;
  join_state *joins;
  size_t njoins;
  seen_slot *seen; /* per-record duplicate filter */
  size_t seen_cap, seen_used;
  unsigned seen_gen;
  kg_buf key;
  size_t record_statements; /* made by this record, duplicates included */
  kg_status st;             /* carried out of jsonpath visitors */
} ev;

static size_t map_index(const kg_mapping *m, const kg_triples_map *map) {
  for (size_t i = 0; i < m->nmaps; i++)
    if (m->maps[i] == map)
      return i;
  return 0;
}

static const char *map_base(const ev *e, const kg_triples_map *map) {
  if (map->base)
    return map->base;
  if (e->m->base)
    return e->m->base;
  return e->opt->base;
}

static kg_gen make_gen(ev *e, const kg_triples_map *map, const kg_doc *doc,
                       const kg_node *rec, size_t rec_index) {
  return (kg_gen){e->scratch,
                  doc,
                  rec,
                  map,
                  map_base(e, map),
                  map_index(e->m, map),
                  rec_index,
                  map->arrays_expand,
                  e->d,
                  e->opt->max_template_values};
}

static bool same_source(const kg_triples_map *a, const kg_triples_map *b) {
  return strcmp(a->source->path, b->source->path) == 0 &&
         a->source->format == b->source->format;
}

static bool same_iterator(const kg_triples_map *a, const kg_triples_map *b) {
  const char *x = a->iterator ? a->iterator : "$";
  const char *y = b->iterator ? b->iterator : "$";
  return strcmp(x, y) == 0;
}

/* --- the per-record duplicate filter ----------------------------------- */

/* 8 bytes a step, then a splitmix64 finish so that the low bits the table
 * uses depend on every input bit. */
static uint64_t hash_bytes(const char *s, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 31;
  }
  for (; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 0x94D049BB133111EBULL;
  h ^= h >> 30;
  h *= 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 27;
  h *= 0x94D049BB133111EBULL;
  return h ^ (h >> 31);
}

static void put_term(kg_buf *b, const kg_term *t) {
  if (!t) {
    kg_buf_putc(b, 'D');
    return;
  }
  kg_buf_putc(b, (char)('0' + t->kind));
  kg_buf_append(b, (const char *)&t->len, sizeof t->len);
  kg_buf_append(b, t->value, t->len);
  kg_buf_puts(b, t->datatype ? t->datatype : "");
  kg_buf_putc(b, '\x01');
  kg_buf_puts(b, t->language ? t->language : "");
  kg_buf_putc(b, '\x01');
}

static void seen_grow(ev *e) {
  size_t cap = e->seen_cap ? e->seen_cap * 2 : 256;
  seen_slot *slots = kg_xcalloc(cap, sizeof *slots);
  for (size_t i = 0; i < e->seen_cap; i++) {
    seen_slot *s = &e->seen[i];
    if (s->gen != e->seen_gen)
      continue;
    size_t k = (size_t)s->hash & (cap - 1);
    while (slots[k].gen == e->seen_gen && slots[k].bytes)
      k = (k + 1) & (cap - 1);
    slots[k] = *s;
  }
  free(e->seen);
  e->seen = slots;
  e->seen_cap = cap;
}

/* True if this record already produced the statement in e->key. */
static bool seen_before(ev *e) {
  if ((e->seen_used + 1) * 2 > e->seen_cap)
    seen_grow(e);
  uint64_t h = hash_bytes(e->key.data, e->key.len);
  size_t k = (size_t)h & (e->seen_cap - 1);
  for (;; k = (k + 1) & (e->seen_cap - 1)) {
    seen_slot *s = &e->seen[k];
    if (s->gen != e->seen_gen || !s->bytes) {
      *s = (seen_slot){h, e->seen_gen,
                       kg_arena_strndup(e->scratch, e->key.data, e->key.len),
                       e->key.len};
      e->seen_used++;
      return false;
    }
    if (s->hash == h && s->len == e->key.len &&
        memcmp(s->bytes, e->key.data, e->key.len) == 0)
      return true;
  }
}

static void new_record(ev *e) {
  kg_arena_reset(e->scratch);
  e->seen_gen++;
  e->seen_used = 0;
  e->record_statements = 0;
  if (e->seen_gen == 0) { /* wrapped: clear stale generations */
    memset(e->seen, 0, e->seen_cap * sizeof *e->seen);
    e->seen_gen = 1;
  }
}

static kg_status emit(ev *e, const kg_term *s, const kg_term *p,
                      const kg_term *o, const kg_term *g) {
  if (g && !g->value) /* the default graph (see graph_terms) */
    g = NULL;
  kg_buf_reset(&e->key);
  put_term(&e->key, s);
  put_term(&e->key, p);
  put_term(&e->key, o);
  put_term(&e->key, g);
  if (seen_before(e))
    return KG_OK;
  e->stats.statements++;
  return e->sink(e->sink_h, s, p, o, g);
}

/* --- graphs ------------------------------------------------------------ */

/* The graphs of a statement: the subject map's and the pom's graph maps;
 * none means the default graph (RML-Core 9), which is written here as a
 * term with a NULL value. */
static kg_status graph_terms(kg_gen *g, kg_term_map *const *a, size_t na,
                             kg_term_map *const *b, size_t nb, kg_terms *out) {
  kg_status st = KG_OK;
  for (size_t i = 0; i < na; i++)
    TRY(kg_gen_terms(g, a[i], out));
  for (size_t i = 0; i < nb; i++)
    TRY(kg_gen_terms(g, b[i], out));
  for (size_t i = 0; i < out->n; i++)
    if (out->v[i].kind == KG_TERM_IRI &&
        strcmp(out->v[i].value, KG_RML_DEFAULT_GRAPH) == 0)
      out->v[i] = (kg_term){KG_TERM_IRI, NULL, 0, NULL, NULL};
  if (out->n == 0) {
    out->v = kg_arena_alloc(g->scratch, sizeof *out->v);
    out->v[0] = (kg_term){KG_TERM_IRI, NULL, 0, NULL, NULL};
    out->n = 1;
  }
fail:
  return st;
}

static kg_status check_graphs(ev *e, const kg_gen *g, const kg_terms *gs) {
  for (size_t i = 0; i < gs->n; i++)
    if (gs->v[i].kind != KG_TERM_IRI && gs->v[i].value) {
      kg_pos pos = {g->doc->file, g->rec->line, g->rec->col};
      return kg_error(e->d, &pos, KG_ERR_DATA,
                      "mapping '%s' generated a graph that is not an IRI",
                      g->map->name);
    }
  return KG_OK;
}

/* --- one record ---------------------------------------------------------- */

typedef struct join_collect {
  kg_arena *a;
  kg_terms *out;
} join_collect;

static kg_status collect_parent(void *h, const kg_term *t) {
  join_collect *c = h;
  *(kg_term *)kg_arena_push(c->a, &c->out->v, &c->out->n, sizeof *t) = *t;
  return KG_OK;
}

static const join_state *find_join(const ev *e, const kg_object_map *om) {
  for (size_t i = 0; i < e->njoins; i++)
    if (e->joins[i].om == om)
      return &e->joins[i];
  return NULL;
}

/* Encode the product of the join values into keys: each value as its
 * length then its bytes, so that ("a","bc") and ("ab","c") differ.  Calls
 * fn for each key. */
typedef kg_status (*key_fn)(void *h, const char *key, size_t len);

static kg_status join_keys(kg_gen *g, const kg_join *joins, size_t n,
                           bool parent_side, kg_buf *key, key_fn fn, void *h) {
  if (n == 0)
    return fn(h, key->data ? key->data : "", key->len);
  kg_strs vals = {0};
  kg_status st =
      kg_gen_strings(g, parent_side ? joins[0].parent : joins[0].child, &vals);
  size_t mark = key->len;
  for (size_t i = 0; st == KG_OK && i < vals.n; i++) {
    key->len = mark;
    kg_buf_append(key, (const char *)&vals.len[i], sizeof vals.len[i]);
    kg_buf_append(key, vals.s[i], vals.len[i]);
    st = join_keys(g, joins + 1, n - 1, parent_side, key, fn, h);
  }
  key->len = mark;
  return st;
}

typedef struct lookup_ctx {
  const kg_join_index *ix;
  join_collect c;
} lookup_ctx;

static kg_status lookup_key(void *h, const char *key, size_t len) {
  lookup_ctx *l = h;
  return kg_join_index_find(l->ix, key, len, collect_parent, &l->c);
}

/* The objects of a referencing object map for the current record. */
static kg_status join_objects(ev *e, kg_gen *g, const kg_object_map *om,
                              kg_terms *out) {
  const join_state *js = find_join(e, om);
  if (js->same_record) {
    kg_gen pg = *g;
    pg.map = om->parent;
    pg.base = map_base(e, om->parent);
    pg.map_index = map_index(e->m, om->parent);
    pg.expand_arrays = om->parent->arrays_expand;
    for (size_t i = 0; i < om->parent->nsubjects; i++) {
      kg_status st = kg_gen_terms(&pg, om->parent->subjects[i], out);
      if (st != KG_OK)
        return st;
    }
    return KG_OK;
  }
  lookup_ctx l = {js->ix, {g->scratch, out}};
  kg_buf key = {0};
  kg_status st =
      join_keys(g, om->joins, om->njoins, false, &key, lookup_key, &l);
  kg_buf_free(&key);
  return st;
}

/* Count n more statements for the record; KG_ERR_LIMIT beyond the bound.
 * n is a product of term counts, so it is computed without overflow. */
static kg_status count_statements(ev *e, const kg_gen *g, const size_t *ns,
                                  size_t k) {
  const size_t max = e->opt->max_record_statements
                         ? e->opt->max_record_statements
                         : KG_MAX_RECORD_STATEMENTS;
  size_t left = max - e->record_statements, n = 1;
  for (size_t i = 0; i < k && n; i++) {
    if (ns[i] && n > left / ns[i]) {
      const kg_pos pos = {g->doc->file, g->rec->line, g->rec->col};
      return kg_error(e->d, &pos, KG_ERR_LIMIT,
                      "mapping '%s' makes more than %zu statements from one "
                      "record",
                      g->map->name, max);
    }
    n *= ns[i];
  }
  e->record_statements += n;
  return KG_OK;
}

static kg_status emit_all(ev *e, const kg_gen *g, const kg_terms *ss,
                          const kg_terms *ps, const kg_terms *os,
                          const kg_terms *gs) {
  const size_t ns[] = {ss->n, ps->n, os->n, gs->n};
  kg_status st = count_statements(e, g, ns, 4);
  for (size_t a = 0; a < ss->n && st == KG_OK; a++)
    for (size_t b = 0; b < ps->n && st == KG_OK; b++)
      for (size_t c = 0; c < os->n && st == KG_OK; c++)
        for (size_t d = 0; d < gs->n && st == KG_OK; d++)
          st = emit(e, &ss->v[a], &ps->v[b], &os->v[c], &gs->v[d]);
  return st;
}

static kg_status run_pom(ev *e, kg_gen *g, const kg_pom *pom,
                         const kg_terms *subjects) {
  kg_status st = KG_OK;
  kg_terms preds = {0}, objs = {0}, graphs = {0};
  const kg_triples_map *map = g->map;
  for (size_t i = 0; i < pom->npredicates; i++)
    TRY(kg_gen_terms(g, pom->predicates[i], &preds));
  for (size_t i = 0; i < pom->nobjects; i++) {
    const kg_object_map *om = &pom->objects[i];
    if (om->parent)
      TRY(join_objects(e, g, om, &objs));
    else
      TRY(kg_gen_terms(g, om->tm, &objs));
  }
  TRY(graph_terms(g, map->graphs, map->ngraphs, pom->graphs, pom->ngraphs,
                  &graphs));
  TRY(check_graphs(e, g, &graphs));
  TRY(emit_all(e, g, subjects, &preds, &objs, &graphs));
fail:
  return st;
}

static kg_status run_record(ev *e, kg_gen *g) {
  kg_status st = KG_OK;
  kg_terms subjects = {0}, graphs = {0}, types = {0}, classes = {0};
  const kg_triples_map *map = g->map;
  new_record(e);
  e->stats.records++;
  for (size_t i = 0; i < map->nsubjects; i++)
    TRY(kg_gen_terms(g, map->subjects[i], &subjects));
  if (subjects.n == 0)
    return KG_OK; /* RML-Core: no subject, no triples */
  if (map->nclasses) {
    TRY(graph_terms(g, map->graphs, map->ngraphs, NULL, 0, &graphs));
    TRY(check_graphs(e, g, &graphs));
    kg_term type = {KG_TERM_IRI, KG_RDF_TYPE, strlen(KG_RDF_TYPE), NULL, NULL};
    types = (kg_terms){&type, 1};
    classes.v = kg_arena_alloc(e->scratch, map->nclasses * sizeof *classes.v);
    for (size_t i = 0; i < map->nclasses; i++)
      classes.v[classes.n++] = (kg_term){KG_TERM_IRI, map->classes[i],
                                         strlen(map->classes[i]), NULL, NULL};
    TRY(emit_all(e, g, &subjects, &types, &classes, &graphs));
  }
  for (size_t i = 0; i < map->npoms; i++)
    TRY(run_pom(e, g, &map->poms[i], &subjects));
fail:
  return st;
}

/* --- iterating documents ----------------------------------------------- */

/* What to do with each record of a map: run it (pass 2) or index it as a
 * join parent (pass 1). */
typedef kg_status (*record_fn)(ev *e, kg_gen *g, void *h);

typedef struct iter_ctx {
  ev *e;
  const kg_triples_map *map;
  const kg_doc *doc;
  size_t rec_index;
  record_fn fn;
  void *h;
} iter_ctx;

static int iter_visit(void *h, const kg_node *rec) {
  iter_ctx *c = h;
  kg_gen g = make_gen(c->e, c->map, c->doc, rec, c->rec_index++);
  c->e->st = c->fn(c->e, &g, c->h);
  return c->e->st != KG_OK;
}

static kg_status iterate(ev *e, const kg_triples_map *map, const kg_doc *doc,
                         record_fn fn, void *h) {
  iter_ctx c = {e, map, doc, 0, fn, h};
  e->st = KG_OK;
  if (!map->iter) {
    iter_visit(&c, doc->root);
    return e->st;
  }
  kg_jsonpath_eval(map->iter, doc->root, iter_visit, &c);
  return e->st;
}

/* Run fn over every document of the source of `like`, for every map in
 * maps[0..n) whose source is the same file (each file is read once). */
static kg_status over_source(ev *e, const kg_triples_map *like,
                             const kg_triples_map *const *maps, size_t n,
                             record_fn fn, void *const *hs) {
  kg_doc_reader *r = NULL;
  const kg_doc *doc;
  const kg_source *src = like->source;
  kg_status st = src->data ? kg_doc_reader_open_mem(&r, src->path, src->data,
                                                    src->data_len, src->format,
                                                    &e->opt->limits, e->d)
                           : kg_doc_reader_open(&r, src->path, src->format,
                                                &e->opt->limits, e->d);
  while (st == KG_OK && (st = kg_doc_reader_next(r, &doc)) == KG_OK) {
    e->stats.documents++;
    for (size_t i = 0; i < n && st == KG_OK; i++)
      if (same_source(maps[i], like))
        st = iterate(e, maps[i], doc, fn, hs ? hs[i] : NULL);
  }
  kg_doc_reader_free(r);
  return st == KG_DONE ? KG_OK : st;
}

/* --- pass 1: join indexes ---------------------------------------------- */

typedef struct index_ctx {
  kg_join_index *ix;
  const kg_object_map *om;
  kg_terms subjects;
} index_ctx;

static kg_status index_key(void *h, const char *key, size_t len) {
  index_ctx *c = h;
  for (size_t i = 0; i < c->subjects.n; i++)
    kg_join_index_add(c->ix, key, len, &c->subjects.v[i]);
  return KG_OK;
}

static kg_status index_record(ev *e, kg_gen *g, void *h) {
  index_ctx *c = h;
  kg_status st = KG_OK;
  kg_buf key = {0};
  kg_arena_reset(e->scratch);
  c->subjects = (kg_terms){0};
  for (size_t i = 0; i < g->map->nsubjects; i++)
    TRY(kg_gen_terms(g, g->map->subjects[i], &c->subjects));
  if (c->subjects.n)
    TRY(join_keys(g, c->om->joins, c->om->njoins, true, &key, index_key, c));
fail:
  kg_buf_free(&key);
  return st;
}

static kg_status build_joins(ev *e) {
  kg_status st = KG_OK;
  const kg_mapping *m = e->m;
  for (size_t i = 0; i < m->nmaps; i++)
    for (size_t k = 0; k < m->maps[i]->npoms; k++) {
      const kg_pom *pom = &m->maps[i]->poms[k];
      for (size_t j = 0; j < pom->nobjects; j++) {
        const kg_object_map *om = &pom->objects[j];
        if (!om->parent)
          continue;
        join_state *js =
            kg_arena_push(e->m->arena, &e->joins, &e->njoins, sizeof *js);
        js->child = m->maps[i];
        js->om = om;
        js->same_record = om->njoins == 0 && same_source(m->maps[i], om->parent) &&
                          same_iterator(m->maps[i], om->parent);
        if (!js->same_record)
          js->ix = kg_join_index_new();
      }
    }
  /* Index every parent in one read of its source. */
  const kg_triples_map **parents = kg_xcalloc(e->njoins + 1, sizeof *parents);
  index_ctx *ctxs = kg_xcalloc(e->njoins + 1, sizeof *ctxs);
  void **hs = kg_xcalloc(e->njoins + 1, sizeof *hs);
  size_t n = 0;
  for (size_t i = 0; i < e->njoins; i++)
    if (e->joins[i].ix) {
      parents[n] = e->joins[i].om->parent;
      ctxs[n] = (index_ctx){e->joins[i].ix, e->joins[i].om, {0}};
      hs[n] = &ctxs[n];
      n++;
    }
  for (size_t i = 0; i < n; i++) {
    bool done = false;
    for (size_t k = 0; k < i && !done; k++)
      done = same_source(parents[k], parents[i]);
    if (!done)
      TRY(over_source(e, parents[i], parents, n, index_record, hs));
  }
fail:
  free(parents);
  free(ctxs);
  free(hs);
  return st;
}

/* --- pass 2 and the entry point ------------------------------------------ */

static kg_status run_one(ev *e, kg_gen *g, void *h) {
  (void)h;
  return run_record(e, g);
}

kg_status kg_eval(const kg_mapping *m, const kg_eval_options *opt,
                  kg_sink_fn sink, void *sink_h, kg_eval_stats *stats,
                  kg_diag *d) {
  static const kg_eval_options defaults;
  ev e = {.m = m, .opt = opt ? opt : &defaults, .sink = sink,
          .sink_h = sink_h, .d = d, .seen_gen = 1};
  kg_status st = KG_OK;
  e.scratch = kg_arena_new();
  TRY(build_joins(&e));
  for (size_t i = 0; i < m->nmaps; i++) {
    bool done = false;
    for (size_t k = 0; k < i && !done; k++)
      done = same_source(m->maps[k], m->maps[i]);
    if (!done)
      TRY(over_source(&e, m->maps[i], (const kg_triples_map *const *)m->maps,
                      m->nmaps, run_one, NULL));
  }
fail:
  if (stats)
    *stats = e.stats;
  for (size_t i = 0; i < e.njoins; i++)
    kg_join_index_free(e.joins[i].ix);
  kg_arena_free(e.scratch);
  kg_buf_free(&e.key);
  free(e.seen);
  return st;
}
