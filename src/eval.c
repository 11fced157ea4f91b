/* eval.c - running a mapping (see eval.h).
 *
 * Pass 1 builds a hash index for every referencing object map with a join
 * condition (or over another source), reading each parent source once.
 * Pass 2 reads each source once, document by document, and runs every
 * triples map over that source on each document.  Per record, strings
 * live in a scratch arena that is reset afterwards, and a small set drops
 * the statements the record already produced.  Every term carries the
 * targets of the term map that made it (mapping.h), and a statement goes
 * to the union of its terms' targets. */
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

/* A statement of the current record: its terms, which live in the
 * record's scratch arena or run_record's frame, with the strings they
 * point to (in the arena, the document or the mapping), until the next
 * record.  A slot is in use when gen is the current generation. */
typedef struct seen_slot {
  uint64_t hash;
  unsigned gen;
  bool has_graph;
  const kg_term *t[4]; /* s p o g */
  kg_target_set sent;  /* where the record already sent the statement */
} seen_slot;

/* Terms with the targets of the term maps that made them: set[i] for
 * t.v[i]. */
typedef struct tagged {
  kg_terms t;
  kg_target_set *set;
  size_t nset;
  uint64_t *hash; /* the duplicate filter's hash of each term, or NULL:
                     made once for all the statements the terms are in */
} tagged;

/* A statement waiting for the end of its record (skip_bad_records). */
typedef struct pending {
  kg_term s, p, o, g;
  bool default_graph;
  bool first;       /* the record's first delivery of it: counted */
  kg_target_set to; /* where it goes */
} pending;

typedef struct kg_eval ev;

struct kg_eval {
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
  kg_buf text;  /* templates' working text (kg_gen.text) */
  kg_status st; /* carried out of jsonpath visitors */
  size_t cur;   /* the index of the triples map being run */
  /* pass 2: the selection (see kg_eval_select) */
  bool selecting;
  size_t gdoc;           /* number of the next document, over all sources */
  bool holding;          /* -j: a chunk is claimed and not ended */
  size_t held;           /* that chunk */
  bool mute;             /* reader errors belong to another worker's chunk */
  kg_diag rd;            /* the readers' diagnostics: to d unless muted */
  size_t rec_statements; /* statements tried for the current record */
  const kg_gen *gen;     /* the current record */
  kg_diag *rec_d; /* record errors: d, or skip_d that makes them warnings */
  kg_diag skip_d;
  bool indexing; /* pass 1 */
  pending *pend; /* skip_bad_records: the current record's statements */
  size_t npend, pend_cap;
};

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

static kg_gen make_gen(ev *e, const kg_triples_map *map, size_t index,
                       const kg_doc *doc, const kg_node *rec,
                       size_t rec_index) {
  return (kg_gen){e->scratch,
                  doc,
                  rec,
                  map,
                  map_base(e, map),
                  index,
                  rec_index,
                  map->arrays_expand,
                  e->rec_d,
                  &e->text,
                  e->opt->max_template_values,
                  e->opt->max_path_steps};
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

static uint64_t term_hash(const kg_term *t) {
  return kg_hash_bytes(t->value, t->len) ^ ((uint64_t)t->kind << 59);
}

/* NULL and "" are the same datatype or language (no tag). */
static bool same_str(const char *a, const char *b) {
  return a == b || strcmp(a ? a : "", b ? b : "") == 0;
}

static bool same_term(const kg_term *a, const kg_term *b) {
  return a->kind == b->kind && a->len == b->len &&
         memcmp(a->value, b->value, a->len) == 0 &&
         same_str(a->datatype, b->datatype) &&
         same_str(a->language, b->language);
}

static bool same_statement(const seen_slot *x, const seen_slot *y) {
  return x->has_graph == y->has_graph && same_term(x->t[0], y->t[0]) &&
         same_term(x->t[1], y->t[1]) && same_term(x->t[2], y->t[2]) &&
         (!x->has_graph || same_term(x->t[3], y->t[3]));
}

static void seen_grow(ev *e) {
  size_t cap = e->seen_cap ? e->seen_cap * 2 : 256;
  seen_slot *slots = kg_xcalloc(cap, sizeof *slots);
  for (size_t i = 0; i < e->seen_cap; i++) {
    seen_slot *s = &e->seen[i];
    if (s->gen != e->seen_gen)
      continue;
    size_t k = (size_t)s->hash & (cap - 1);
    while (slots[k].gen == e->seen_gen)
      k = (k + 1) & (cap - 1);
    slots[k] = *s;
  }
  free(e->seen);
  e->seen = slots;
  e->seen_cap = cap;
}

/* Where this record already sent the statement st, whose hash st->hash
 * is set (0: nowhere); remembers it otherwise. */
static kg_target_set *seen_before(ev *e, seen_slot *st) {
  if ((e->seen_used + 1) * 2 > e->seen_cap)
    seen_grow(e);
  const uint64_t h = st->hash;
  st->gen = e->seen_gen;
  size_t k = (size_t)h & (e->seen_cap - 1);
  for (;; k = (k + 1) & (e->seen_cap - 1)) {
    seen_slot *s = &e->seen[k];
    if (s->gen != e->seen_gen) {
      *s = *st;
      e->seen_used++;
      return &s->sent;
    }
    if (s->hash == h && same_statement(s, st))
      return &s->sent;
  }
}

static void new_record(ev *e) {
  kg_arena_reset(e->scratch);
  e->seen_gen++;
  e->seen_used = 0;
  e->rec_statements = 0;
  if (e->seen_gen == 0) { /* wrapped: clear stale generations */
    memset(e->seen, 0, e->seen_cap * sizeof *e->seen);
    e->seen_gen = 1;
  }
}

/* Give the terms of out that have no targets yet the set ts. */
static void tag(kg_arena *a, tagged *out, kg_target_set ts) {
  while (out->nset < out->t.n)
    *(kg_target_set *)kg_arena_push(a, &out->set, &out->nset,
                                    sizeof *out->set) = ts;
}

/* Hand a statement on: to the targets (route), else to the sink.  first:
 * the record's first delivery of it, which the counts count. */
static kg_status deliver(ev *e, bool first, kg_target_set to, const kg_term *s,
                         const kg_term *p, const kg_term *o, const kg_term *g) {
  if (first) {
    e->stats.statements++;
    if (e->opt->map_statements)
      e->opt->map_statements[e->cur]++;
  }
  if (e->opt->route)
    return e->opt->route(e->opt->route_h, to, s, p, o, g);
  return e->sink(e->sink_h, s, p, o, g);
}

/* Send the statement to the targets in set (none: the default output)
 * that this record has not sent it to yet (with skip_bad_records: when the
 * record is done). */
static kg_status emit(ev *e, const kg_term *s, const kg_term *p,
                      const kg_term *o, const kg_term *g, uint64_t hash,
                      kg_target_set set) {
  if (g && !g->value) /* the default graph (see graph_terms) */
    g = NULL;
  seen_slot st = {.hash = hash, .has_graph = g != NULL, .t = {s, p, o, g}};
  kg_target_set *sent = seen_before(e, &st);
  kg_target_set to = (set ? set : KG_TARGET_DEFAULT) & ~*sent;
  if (!to)
    return KG_OK;
  const bool first = !*sent;
  *sent |= to;
  if (e->opt->skip_bad_records) {
    if (e->npend == e->pend_cap) {
      e->pend_cap = e->pend_cap ? 2 * e->pend_cap : 64;
      e->pend = kg_xrealloc(e->pend, e->pend_cap * sizeof *e->pend);
    }
    e->pend[e->npend++] =
        (pending){*s, *p, *o, g ? *g : *o, g == NULL, first, to};
    return KG_OK;
  }
  return deliver(e, first, to, s, p, o, g);
}

/* Append the terms tm makes to out, each with tm's targets and extra. */
static kg_status gen_tagged(kg_gen *g, const kg_term_map *tm,
                            kg_target_set extra, tagged *out) {
  kg_status st = kg_gen_terms(g, tm, &out->t);
  tag(g->scratch, out, tm->targets | extra);
  return st;
}

/* --- skipping bad records ---------------------------------------------- */

static kg_status flush(ev *e) {
  for (size_t i = 0; i < e->npend; i++) {
    const pending *q = &e->pend[i];
    kg_status st = deliver(e, q->first, q->to, &q->s, &q->p, &q->o,
                           q->default_graph ? NULL : &q->g);
    if (st != KG_OK)
      return st;
  }
  e->npend = 0;
  return KG_OK;
}
static void skip_relay(void *h, kg_severity sev, const kg_pos *pos,
                       const char *msg) {
  ev *e = h;
  if (sev == KG_SEV_ERROR)
    kg_warn(e->d, pos, "%s (record %s)", msg,
            e->indexing ? "left out of joins" : "skipped");
  else
    kg_warn(e->d, pos, "%s", msg);
}

/* With skip_bad_records, a record's own failure is counted, not returned. */
static kg_status skipped(ev *e, const kg_gen *g, kg_status st) {
  if (!e->opt->skip_bad_records || (st != KG_ERR_DATA && st != KG_ERR_LIMIT))
    return st;
  e->stats.skipped++;
  if (e->opt->skipped_by_map)
    e->opt->skipped_by_map[g->map_index]++;
  e->npend = 0;
  return KG_OK;
}

/* --- graphs ------------------------------------------------------------ */

/* The graphs of a statement: the subject map's and the pom's graph maps;
 * none means the default graph (RML-Core 9), which is written here as a
 * term with a NULL value. */
static kg_status graph_terms(kg_gen *g, kg_term_map *const *a, size_t na,
                             kg_term_map *const *b, size_t nb, tagged *out) {
  kg_status st = KG_OK;
  kg_terms *ts = &out->t;
  for (size_t i = 0; i < na; i++)
    TRY(gen_tagged(g, a[i], 0, out));
  for (size_t i = 0; i < nb; i++)
    TRY(gen_tagged(g, b[i], 0, out));
  for (size_t i = 0; i < ts->n; i++)
    if (ts->v[i].kind == KG_TERM_IRI &&
        strcmp(ts->v[i].value, KG_RML_DEFAULT_GRAPH) == 0)
      ts->v[i] = (kg_term){KG_TERM_IRI, NULL, 0, NULL, NULL, false};
  if (ts->n == 0) {
    *(kg_term *)kg_arena_push(g->scratch, &ts->v, &ts->n, sizeof *ts->v) =
        (kg_term){KG_TERM_IRI, NULL, 0, NULL, NULL, false};
    tag(g->scratch, out, 0);
  }
fail:
  return st;
}

static kg_status check_graphs(ev *e, const kg_gen *g, const tagged *tg) {
  const kg_terms *gs = &tg->t;
  for (size_t i = 0; i < gs->n; i++)
    if (gs->v[i].kind != KG_TERM_IRI && gs->v[i].value) {
      kg_pos pos = {g->doc->file, g->rec->line, g->rec->col};
      return kg_error(e->rec_d, &pos, KG_ERR_DATA,
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
 * n is a product of term counts, so it is computed, without overflow,
 * before any of them is made (or enters the duplicate filter). */
static kg_status count_statements(ev *e, const kg_gen *g, const size_t *ns,
                                  size_t k) {
  const size_t max = e->opt->max_record_statements
                         ? e->opt->max_record_statements
                         : KG_MAX_RECORD_STATEMENTS;
  size_t left = max - e->rec_statements, n = 1;
  for (size_t i = 0; i < k && n; i++) {
    if (ns[i] && n > left / ns[i]) {
      const kg_pos pos = {g->doc->file, g->rec->line, g->rec->col};
      return kg_error(e->rec_d, &pos, KG_ERR_LIMIT,
                      "mapping '%s' makes more than %zu statements from one "
                      "record (a product of arrays?)",
                      g->map->name, max);
    }
    n *= ns[i];
  }
  e->rec_statements += n;
  return KG_OK;
}

/* The hashes of t's terms, made on first use (a graph with no value, the
 * default graph, hashes as 0). */
static const uint64_t *term_hashes(kg_arena *a, tagged *t) {
  if (!t->hash && t->t.n) {
    t->hash = kg_arena_alloc(a, t->t.n * sizeof *t->hash);
    for (size_t i = 0; i < t->t.n; i++)
      t->hash[i] = t->t.v[i].value ? term_hash(&t->t.v[i]) : 0;
  }
  return t->hash;
}

/* Every statement of the product, to the union of its terms' targets and
 * extra's. */
static kg_status emit_all(ev *e, const kg_gen *g, tagged *ss, tagged *ps,
                          tagged *os, tagged *gs, kg_target_set extra) {
  const size_t ns[] = {ss->t.n, ps->t.n, os->t.n, gs->t.n};
  kg_status st = count_statements(e, g, ns, 4);
  if (st != KG_OK || !ns[0] || !ns[1] || !ns[2] || !ns[3])
    return st;
  const uint64_t *hs = term_hashes(e->scratch, ss),
                 *hp = term_hashes(e->scratch, ps),
                 *ho = term_hashes(e->scratch, os),
                 *hg = term_hashes(e->scratch, gs);
  for (size_t a = 0; a < ss->t.n && st == KG_OK; a++)
    for (size_t b = 0; b < ps->t.n && st == KG_OK; b++) {
      const uint64_t hab = hs[a] * 31 + hp[b];
      for (size_t c = 0; c < os->t.n && st == KG_OK; c++)
        for (size_t d = 0; d < gs->t.n && st == KG_OK; d++) {
          kg_target_set set =
              extra | ss->set[a] | ps->set[b] | os->set[c] | gs->set[d];
          uint64_t h = hab * 31 + ho[c];
          if (gs->t.v[d].value)
            h = h * 31 + hg[d];
          st = emit(e, &ss->t.v[a], &ps->t.v[b], &os->t.v[c], &gs->t.v[d], h,
                    set);
        }
    }
  return st;
}

/* The record's graphs from its subject map alone (a pom without graph maps
 * of its own uses them): made once per record, when first needed (there
 * is always one, the default graph if no other). */
static kg_status map_graphs(ev *e, kg_gen *g, tagged *rg) {
  if (rg->t.n)
    return KG_OK;
  kg_status st = graph_terms(g, g->map->graphs, g->map->ngraphs, NULL, 0, rg);
  return st == KG_OK ? check_graphs(e, g, rg) : st;
}

/* The objects first: a pom with none (a missing or null value, the common
 * case in extraction data) makes nothing, and its predicates and graphs
 * are not built. */
static kg_status run_pom(ev *e, kg_gen *g, const kg_pom *pom, tagged *subjects,
                         tagged *rg) {
  kg_status st = KG_OK;
  tagged preds = {0}, objs = {0}, graphs = {0};
  tagged *gs = &graphs;
  const kg_triples_map *map = g->map;
  for (size_t i = 0; i < pom->nobjects; i++) {
    const kg_object_map *om = &pom->objects[i];
    if (om->parent) {
      TRY(join_objects(e, g, om, &objs.t));
      tag(g->scratch, &objs, om->targets);
    } else {
      TRY(gen_tagged(g, om->tm, om->targets, &objs));
    }
  }
  if (objs.t.n == 0)
    return KG_OK;
  for (size_t i = 0; i < pom->npredicates; i++)
    TRY(gen_tagged(g, pom->predicates[i], 0, &preds));
  if (pom->ngraphs) {
    TRY(graph_terms(g, map->graphs, map->ngraphs, pom->graphs, pom->ngraphs,
                    &graphs));
    TRY(check_graphs(e, g, &graphs));
  } else {
    TRY(map_graphs(e, g, rg));
    gs = rg;
  }
  TRY(emit_all(e, g, subjects, &preds, &objs, gs, pom->targets));
fail:
  return st;
}

static kg_status run_record(ev *e, kg_gen *g) {
  kg_status st = KG_OK;
  tagged subjects = {0}, types = {0}, classes = {0}, rg = {0};
  /* In this frame: the duplicate filter points to it until the record is
   * done. */
  kg_term type = {.kind = KG_TERM_IRI,
                  .value = KG_RDF_TYPE,
                  .len = sizeof KG_RDF_TYPE - 1,
                  .clean = true};
  kg_target_set none = 0;
  const kg_triples_map *map = g->map;
  new_record(e);
  e->cur = g->map_index;
  e->gen = g;
  if (++e->stats.records % KG_EVAL_PROGRESS_EVERY == 0 && e->opt->progress)
    e->opt->progress(e->opt->progress_h, &e->stats);
  for (size_t i = 0; i < map->nsubjects; i++)
    TRY(gen_tagged(g, map->subjects[i], 0, &subjects));
  if (subjects.t.n == 0) {
    e->stats.no_subject++;
    if (e->opt->map_no_subject)
      e->opt->map_no_subject[e->cur]++;
    return KG_OK; /* RML-Core: no subject, no triples */
  }
  if (map->nclasses) {
    TRY(map_graphs(e, g, &rg));
    types = (tagged){{&type, 1}, &none, 1, NULL};
    for (size_t i = 0; i < map->nclasses; i++)
      *(kg_term *)kg_arena_push(e->scratch, &classes.t.v, &classes.t.n,
                                sizeof *classes.t.v) =
          (kg_term){.kind = KG_TERM_IRI,
                    .value = map->classes[i],
                    .len = strlen(map->classes[i]),
                    .clean = map->classes_clean};
    tag(e->scratch, &classes, 0);
    TRY(emit_all(e, g, &subjects, &types, &classes, &rg, 0));
  }
  for (size_t i = 0; i < map->npoms; i++)
    TRY(run_pom(e, g, &map->poms[i], &subjects, &rg));
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
  size_t index; /* of map in the mapping */
  const kg_doc *doc;
  size_t rec_index;
  record_fn fn;
  void *h;
} iter_ctx;

static int iter_visit(void *h, const kg_node *rec) {
  iter_ctx *c = h;
  kg_gen g = make_gen(c->e, c->map, c->index, c->doc, rec, c->rec_index++);
  c->e->st = c->fn(c->e, &g, c->h);
  return c->e->st != KG_OK;
}

static kg_status iterate(ev *e, const kg_triples_map *map, const kg_doc *doc,
                         record_fn fn, void *h) {
  iter_ctx c = {e, map, map_index(e->m, map), doc, 0, fn, h};
  e->st = KG_OK;
  if (!map->iter) {
    iter_visit(&c, doc->root);
    return e->st;
  }
  const size_t max = kg_jsonpath_budget(e->opt->max_path_steps);
  if (kg_jsonpath_eval_max(map->iter, doc->root, iter_visit, &c, max) ==
          KG_JSONPATH_TOO_LONG &&
      e->st == KG_OK) {
    const kg_pos pos = {doc->file, doc->root->line, doc->root->col};
    return kg_error(e->d, &pos, KG_ERR_LIMIT,
                    "the iterator '%s' of mapping '%s' takes more than %zu "
                    "steps on this document",
                    map->iterator, map->name, max);
  }
  return e->st;
}

/* With workers > 1, a chunk is claimed at document g when the worker
 * holds none (see kg_eval_select).  The worker's last chunk ended before
 * g (or g is its first document), and every claim is above the claims
 * before it, so the chunk claimed is g's chunk or a later one. */
static kg_status reach(ev *e) {
  const kg_eval_select *s = &e->opt->select;
  if (s->workers <= 1 || e->holding)
    return KG_OK;
  const kg_status st = s->claim(e->opt->cb_h, &e->held);
  e->holding = st == KG_OK;
  return st;
}

/* Whether document g is in the chunk that this worker holds. */
static bool in_chunk(const ev *e, size_t g) {
  const kg_eval_select *s = &e->opt->select;
  return s->workers <= 1 || (e->holding && g / s->chunk_docs == e->held);
}

static bool selected(const ev *e, size_t g) {
  const kg_eval_select *s = &e->opt->select;
  return (s->shard_n <= 1 || g % s->shard_n == s->shard_k) && in_chunk(e, g);
}

/* The end of the chunk that the worker holds, after its document g, or
 * at the end of the run (see kg_eval_run). */
static kg_status end_chunk(ev *e, size_t g) {
  const kg_eval_options *o = e->opt;
  e->holding = false;
  return o->chunk_done ? o->chunk_done(o->cb_h, g / o->select.chunk_docs)
                       : KG_OK;
}

static kg_status after_doc(ev *e, size_t g, bool mapped) {
  const kg_eval_options *o = e->opt;
  kg_status st = KG_OK;
  if (mapped && o->doc_done)
    st = o->doc_done(o->cb_h);
  const kg_eval_select *s = &o->select;
  if (st == KG_OK && s->workers > 1 && (g + 1) % s->chunk_docs == 0 &&
      in_chunk(e, g))
    st = end_chunk(e, g);
  return st;
}

/* The next document to map, skipping the others (pass 2); every
 * document in pass 1. */
static kg_status next_doc(ev *e, kg_doc_reader *r, const kg_doc **doc) {
  kg_status st = KG_OK;
  if (!e->selecting)
    return kg_doc_reader_next(r, doc);
  for (;;) {
    const size_t g = e->gdoc;
    TRY(reach(e));
    e->mute = !in_chunk(e, g);
    if (selected(e, g))
      return kg_doc_reader_next(r, doc);
    TRY(kg_doc_reader_skip(r));
    e->gdoc++;
    TRY(after_doc(e, g, false));
  }
fail:
  return st;
}

/* An error about a whole source file (it cannot be opened or read: no
 * line) is reported at the source's place in the mapping; the reader
 * alone knows only the file's name.  Errors with a line pass unchanged. */
typedef struct open_relay {
  kg_diag *d;
  const kg_source *src;
} open_relay;

static void relay(void *h, kg_severity sev, const kg_pos *pos,
                  const char *msg) {
  const open_relay *r = h;
  const char *file = pos && pos->file ? pos->file : r->src->path;
  if (sev != KG_SEV_ERROR)
    kg_warn(r->d, pos, "%s", msg);
  else if ((pos && pos->line) || !r->src->pos.file)
    kg_error(r->d, pos, KG_ERR_IO, "%s", msg);
  else if (strcmp(file, r->src->name) == 0)
    kg_error(r->d, &r->src->pos, KG_ERR_IO, "source '%s': %s", file, msg);
  else
    kg_error(r->d, &r->src->pos, KG_ERR_IO, "source '%s' (%s): %s",
             r->src->name, file, msg);
}

/* Run fn over every document of the source of `like`, for every map in
 * maps[0..n) whose source is the same file (each file is read once). */
static kg_status over_source(ev *e, const kg_triples_map *like,
                             const kg_triples_map *const *maps, size_t n,
                             record_fn fn, void *const *hs) {
  kg_doc_reader *r = NULL;
  const kg_doc *doc;
  const kg_source *src = like->source;
  open_relay rl = {&e->rd, src};
  kg_diag d = {relay, &rl, 0, 0};
  kg_status st =
      src->data
          ? kg_doc_reader_open_mem(&r, src->path, src->data, src->data_len,
                                   src->format, &e->opt->limits, &d)
          : kg_doc_reader_open(&r, src->path, src->format, &e->opt->limits, &d);
  while (st == KG_OK && (st = next_doc(e, r, &doc)) == KG_OK) {
    e->stats.documents++;
    for (size_t i = 0; i < n && st == KG_OK; i++)
      if (same_source(maps[i], like))
        st = iterate(e, maps[i], doc, fn, hs ? hs[i] : NULL);
    if (e->selecting && st == KG_OK)
      st = after_doc(e, e->gdoc++, true);
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

/* Pass 1 indexes join parents; pass 2 runs them as records of their own
 * map, which counts their failures: here a failure only leaves the record
 * out of the index, and is counted apart. */
static kg_status index_one(ev *e, kg_gen *g, void *h) {
  kg_status st = index_record(e, g, h);
  if (e->opt->skip_bad_records && (st == KG_ERR_DATA || st == KG_ERR_LIMIT)) {
    e->stats.parents_skipped++;
    return KG_OK;
  }
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
        js->same_record = om->njoins == 0 &&
                          same_source(m->maps[i], om->parent) &&
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
    if (!done) {
      e->indexing = true;
      st = over_source(e, parents[i], parents, n, index_one, hs);
      e->indexing = false;
      TRY(st);
    }
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
  kg_status st = run_record(e, g);
  if (st == KG_OK && e->opt->skip_bad_records)
    return flush(e);
  return skipped(e, g, st);
}

/* The readers' diagnostics: to the run's, unless muted. */
static void reader_diag(void *h, kg_severity sev, const kg_pos *pos,
                        const char *msg) {
  ev *e = h;
  if (e->mute || !e->d)
    return;
  if (sev == KG_SEV_ERROR)
    e->d->errors++;
  else if (sev == KG_SEV_WARNING)
    e->d->warnings++;
  if (e->d->fn)
    e->d->fn(e->d->h, sev, pos, msg);
}

kg_status kg_eval_new(kg_eval_t **out, const kg_mapping *m,
                      const kg_eval_options *opt, kg_diag *d) {
  static const kg_eval_options defaults;
  ev *e = kg_xcalloc(1, sizeof *e);
  *e = (ev){.m = m, .opt = opt ? opt : &defaults, .d = d, .seen_gen = 1};
  e->rd = (kg_diag){reader_diag, e, 0, 0};
  e->skip_d = (kg_diag){skip_relay, e, 0, 0};
  e->rec_d = e->opt->skip_bad_records ? &e->skip_d : d;
  e->scratch = kg_arena_new();
  kg_status st = build_joins(e);
  if (st != KG_OK) {
    kg_eval_free(e);
    e = NULL;
  }
  *out = e;
  return st;
}

/* A worker's last chunk, when the documents end inside it. */
static kg_status last_chunk(ev *e) {
  const kg_eval_select *s = &e->opt->select;
  if (s->workers <= 1 || e->gdoc % s->chunk_docs == 0 ||
      !in_chunk(e, e->gdoc - 1))
    return KG_OK;
  return end_chunk(e, e->gdoc - 1);
}

kg_status kg_eval_run(kg_eval_t *e, const kg_eval_options *opt, kg_sink_fn sink,
                      void *sink_h, kg_eval_stats *stats, kg_diag *d) {
  kg_status st = KG_OK;
  const kg_mapping *m = e->m;
  if (opt)
    e->opt = opt;
  e->sink = sink;
  e->sink_h = sink_h;
  e->d = d;
  /* pass 1's count (join parents left out) stays; the rest is pass 2's */
  e->stats = (kg_eval_stats){.parents_skipped = e->stats.parents_skipped};
  e->selecting = true;
  e->gdoc = 0;
  e->holding = false;
  e->rec_d = e->opt->skip_bad_records ? &e->skip_d : d;
  for (size_t i = 0; i < m->nmaps; i++) {
    bool done = false;
    for (size_t k = 0; k < i && !done; k++)
      done = same_source(m->maps[k], m->maps[i]);
    if (!done)
      TRY(over_source(e, m->maps[i], (const kg_triples_map *const *)m->maps,
                      m->nmaps, run_one, NULL));
  }
  e->mute = false;
  TRY(last_chunk(e));
fail:
  e->mute = false;
  if (stats)
    *stats = e->stats;
  return st;
}

void kg_eval_free(kg_eval_t *e) {
  if (!e)
    return;
  for (size_t i = 0; i < e->njoins; i++)
    kg_join_index_free(e->joins[i].ix);
  kg_arena_free(e->scratch);
  kg_buf_free(&e->text);
  free(e->seen);
  free(e->pend);
  free(e);
}

kg_status kg_eval(const kg_mapping *m, const kg_eval_options *opt,
                  kg_sink_fn sink, void *sink_h, kg_eval_stats *stats,
                  kg_diag *d) {
  kg_eval_t *e = NULL;
  kg_status st = kg_eval_new(&e, m, opt, d);
  if (st == KG_OK)
    st = kg_eval_run(e, NULL, sink, sink_h, stats, d);
  else if (stats)
    *stats = (kg_eval_stats){0};
  kg_eval_free(e);
  return st;
}
