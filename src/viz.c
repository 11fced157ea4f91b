/* viz.c - the graph-building sink behind the visual formats: nodes, edges,
 * types, labels and folded literals, kept in an arena and deduplicated with
 * open-addressing hash tables (see viz.h for the rules). */
#include "viz.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define RDFS "http://www.w3.org/2000/01/rdf-schema#"
#define SKOS "http://www.w3.org/2004/02/skos/core#"

/* A hash table from byte strings (copied into the arena) to indexes. */
typedef struct entry {
  uint64_t hash;
  const char *key; /* NULL: empty slot */
  size_t len;
  size_t value;
} entry;

typedef struct table {
  entry *slots;
  size_t cap; /* a power of two, or 0 */
  size_t n;
} table;

typedef struct pred {
  const char *iri;
  const char *name;
} pred;

typedef struct ns {
  const char *name;
  const char *iri;
  size_t len;
} ns;

struct kg_viz {
  kg_arena *arena;
  kg_diag *d;
  const char *lang; /* copied */
  bool literal_nodes;
  ns *ns;
  size_t nns;
  kg_viz_node *nodes;
  size_t nnodes;
  kg_viz_edge *edges;
  size_t nedges;
  pred *preds;
  size_t npreds;
  table node_ids; /* node key -> node index */
  table pred_ids; /* predicate IRI -> preds index */
  table seen;     /* edge, type and attribute keys already added */
  kg_buf key;     /* scratch */
};

/* ---- hash table ------------------------------------------------------- */

static uint64_t hash_bytes(const char *s, size_t n) {
  uint64_t h = 1469598103934665603u; /* FNV-1a */
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 1099511628211u;
  return h;
}

static entry *find_slot(const table *t, const char *key, size_t len,
                        uint64_t h) {
  size_t i = (size_t)h & (t->cap - 1);
  for (;; i = (i + 1) & (t->cap - 1)) {
    entry *e = &t->slots[i];
    if (!e->key ||
        (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0))
      return e;
  }
}

static void grow(table *t) {
  table bigger = {kg_xcalloc(t->cap ? t->cap * 2 : 64, sizeof(entry)),
                  t->cap ? t->cap * 2 : 64, t->n};
  for (size_t i = 0; i < t->cap; i++)
    if (t->slots[i].key)
      *find_slot(&bigger, t->slots[i].key, t->slots[i].len, t->slots[i].hash) =
          t->slots[i];
  free(t->slots);
  *t = bigger;
}

/* The value stored under key, or value_if_new after adding it.  *added
 * (may be NULL) tells which. */
static size_t intern(kg_viz *v, table *t, const char *key, size_t len,
                     size_t value_if_new, bool *added) {
  if ((t->n + 1) * 2 > t->cap)
    grow(t);
  const uint64_t h = hash_bytes(key, len);
  entry *e = find_slot(t, key, len, h);
  if (added)
    *added = !e->key;
  if (e->key)
    return e->value;
  *e = (entry){h, kg_arena_strndup(v->arena, key, len), len, value_if_new};
  t->n++;
  return value_if_new;
}

/* Add key to v->seen; false if it was there already. */
static bool first_time(kg_viz *v) {
  bool added;
  intern(v, &v->seen, v->key.data, v->key.len, 0, &added);
  return added;
}

static void key_index(kg_buf *b, size_t i) {
  kg_buf_append(b, (const char *)&i, sizeof i);
}

/* A term as key bytes: kind, value, and a literal's datatype and tag. */
static void key_term(kg_buf *b, const kg_term *t) {
  kg_buf_putc(b, (char)('0' + t->kind));
  kg_buf_append(b, t->value, t->len);
  if (t->kind != KG_TERM_LITERAL)
    return;
  kg_buf_putc(b, '\0');
  kg_buf_puts(b, t->datatype ? t->datatype : "");
  kg_buf_putc(b, '\0');
  kg_buf_puts(b, t->language ? t->language : "");
}

/* ---- names ------------------------------------------------------------ */

static void set_prefixes(kg_viz *v, const kg_prefix *pre, size_t n) {
  for (size_t i = 0; i < n; i++) {
    size_t j = 0;
    while (j < v->nns && strcmp(v->ns[j].name, pre[i].prefix) != 0)
      j++;
    if (j == v->nns) {
      ns *e = kg_arena_push(v->arena, &v->ns, &v->nns, sizeof *e);
      e->name = kg_arena_strdup(v->arena, pre[i].prefix);
    }
    v->ns[j].iri = kg_arena_strdup(v->arena, pre[i].iri);
    v->ns[j].len = strlen(pre[i].iri);
  }
}

const char *kg_viz_short_name(kg_viz *v, const char *iri, size_t len) {
  const ns *best = NULL;
  for (size_t i = 0; i < v->nns; i++)
    if (v->ns[i].len < len && (!best || v->ns[i].len > best->len) &&
        memcmp(iri, v->ns[i].iri, v->ns[i].len) == 0)
      best = &v->ns[i];
  if (!best)
    return kg_arena_strndup(v->arena, iri, len);
  return kg_arena_printf(v->arena, "%s:%.*s", best->name,
                         (int)(len - best->len), iri + best->len);
}

static const char *term_name(kg_viz *v, const kg_term *t) {
  if (t->kind == KG_TERM_IRI)
    return kg_viz_short_name(v, t->value, t->len);
  if (t->kind == KG_TERM_BLANK)
    return kg_arena_printf(v->arena, "_:%.*s", (int)t->len, t->value);
  return kg_arena_strndup(v->arena, t->value, t->len);
}

/* ---- labels ----------------------------------------------------------- */

static int label_pred_rank(const char *iri) {
  static const char *const preds[] = {RDFS "label", "http://schema.org/name",
                                      "https://schema.org/name",
                                      SKOS "prefLabel"};
  static const int rank[] = {0, 1, 1, 2};
  for (size_t i = 0; i < sizeof preds / sizeof *preds; i++)
    if (strcmp(iri, preds[i]) == 0)
      return rank[i];
  return -1;
}

static size_t primary_len(const char *tag) {
  const char *dash = strchr(tag, '-');
  return dash ? (size_t)(dash - tag) : strlen(tag);
}

/* 0 best: the exact tag, the same primary language, no tag, another. */
static unsigned lang_rank(const char *want, const char *tag) {
  if (!want)
    return tag ? 1 : 0;
  if (!tag)
    return 2;
  if (strcasecmp(want, tag) == 0)
    return 0;
  const size_t n = primary_len(want);
  return n == primary_len(tag) && strncasecmp(want, tag, n) == 0 ? 1 : 3;
}

static void offer_label(kg_viz *v, kg_viz_node *node, const char *pred_iri,
                        const kg_term *o) {
  const int pr = label_pred_rank(pred_iri);
  if (pr < 0)
    return;
  const unsigned rank = lang_rank(v->lang, o->language) * 3 + (unsigned)pr + 1;
  if (node->label_rank && node->label_rank <= rank)
    return; /* a label as good came first */
  node->label = kg_arena_strndup(v->arena, o->value, o->len);
  node->label_len = o->len;
  node->label_rank = rank;
}

const char *kg_viz_node_label(const kg_viz_node *node, size_t *len) {
  if (node->label) {
    *len = node->label_len;
    return node->label;
  }
  *len = strlen(node->name);
  return node->name;
}

/* ---- building --------------------------------------------------------- */

static const char *copy_or_null(kg_arena *a, const char *s) {
  return s ? kg_arena_strdup(a, s) : NULL;
}

static size_t node_of(kg_viz *v, const kg_term *t) {
  kg_buf_reset(&v->key);
  key_term(&v->key, t);
  bool added;
  const size_t i =
      intern(v, &v->node_ids, v->key.data, v->key.len, v->nnodes, &added);
  if (!added)
    return i;
  kg_viz_node *n = kg_arena_push(v->arena, &v->nodes, &v->nnodes, sizeof *n);
  n->kind = t->kind;
  n->value = kg_arena_strndup(v->arena, t->value, t->len);
  n->len = t->len;
  n->datatype = copy_or_null(v->arena, t->datatype);
  n->language = copy_or_null(v->arena, t->language);
  n->name = term_name(v, t);
  return i;
}

static const pred *pred_of(kg_viz *v, const kg_term *p) {
  bool added;
  const size_t i = intern(v, &v->pred_ids, p->value, p->len, v->npreds, &added);
  if (added) {
    pred *e = kg_arena_push(v->arena, &v->preds, &v->npreds, sizeof *e);
    e->iri = kg_arena_strndup(v->arena, p->value, p->len);
    e->name = kg_viz_short_name(v, p->value, p->len);
  }
  return &v->preds[i];
}

static void add_type(kg_viz *v, size_t s, const kg_term *cls) {
  kg_buf_reset(&v->key);
  kg_buf_putc(&v->key, 'T');
  key_index(&v->key, s);
  key_term(&v->key, cls);
  if (!first_time(v))
    return;
  kg_viz_node *n = &v->nodes[s];
  size_t k = n->ntypes;
  *(const char **)kg_arena_push(v->arena, &n->types, &k, sizeof(char *)) =
      term_name(v, cls);
  *(const char **)kg_arena_push(v->arena, &n->type_iris, &n->ntypes,
                                sizeof(char *)) =
      kg_arena_strndup(v->arena, cls->value, cls->len);
}

static void add_attr(kg_viz *v, size_t s, const pred *p, const kg_term *o) {
  kg_buf_reset(&v->key);
  kg_buf_putc(&v->key, 'A');
  key_index(&v->key, s);
  kg_buf_puts(&v->key, p->iri);
  kg_buf_putc(&v->key, '\0');
  key_term(&v->key, o);
  if (!first_time(v))
    return;
  kg_viz_node *n = &v->nodes[s];
  kg_viz_attr *a = kg_arena_push(v->arena, &n->attrs, &n->nattrs, sizeof *a);
  a->pred = p->name;
  a->pred_iri = p->iri;
  a->pred_index = (size_t)(p - v->preds);
  a->value = kg_arena_strndup(v->arena, o->value, o->len);
  a->len = o->len;
  a->datatype = copy_or_null(v->arena, o->datatype);
  a->language = copy_or_null(v->arena, o->language);
  offer_label(v, n, p->iri, o);
}

static void add_edge(kg_viz *v, size_t s, const pred *p, size_t o) {
  kg_buf_reset(&v->key);
  kg_buf_putc(&v->key, 'E');
  key_index(&v->key, s);
  key_index(&v->key, (size_t)(p - v->preds));
  key_index(&v->key, o);
  if (!first_time(v))
    return;
  kg_viz_edge *e = kg_arena_push(v->arena, &v->edges, &v->nedges, sizeof *e);
  *e = (kg_viz_edge){s, o, p->name, p->iri};
}

static kg_status check_term(kg_viz *v, const kg_term *t, const char *what) {
  if (kg_utf8_is_valid(t->value, t->len))
    return KG_OK;
  return kg_error(v->d, NULL, KG_ERR_DATA,
                  "cannot draw %s holding invalid "
                  "UTF-8",
                  what);
}

kg_status kg_viz_statement(void *h, const kg_term *s, const kg_term *p,
                           const kg_term *o, const kg_term *g) {
  kg_viz *v = h;
  kg_status st = KG_OK;
  if (p->kind != KG_TERM_IRI)
    return kg_error(v->d, NULL, KG_ERR_DATA, "a predicate must be an IRI");
  TRY(check_term(v, s, "a subject"));
  TRY(check_term(v, p, "a predicate"));
  TRY(check_term(v, o, "an object"));
  const size_t si = node_of(v, s);
  if (o->kind != KG_TERM_LITERAL && strcmp(p->value, KG_RDF_TYPE) == 0) {
    add_type(v, si, o);
    return KG_OK;
  }
  const pred *pr = pred_of(v, p);
  if (o->kind == KG_TERM_LITERAL && !v->literal_nodes) {
    add_attr(v, si, pr, o);
    return KG_OK;
  }
  if (o->kind == KG_TERM_LITERAL)
    offer_label(v, &v->nodes[si], pr->iri, o);
  add_edge(v, si, pr, node_of(v, o));
fail:
  return st;
}

/* ---- life cycle ------------------------------------------------------- */

kg_viz *kg_viz_new(const kg_viz_options *opt, const kg_prefix *prefixes,
                   size_t nprefixes, kg_diag *d) {
  kg_viz *v = kg_xcalloc(1, sizeof *v);
  v->arena = kg_arena_new();
  v->d = d;
  if (opt) {
    v->lang = copy_or_null(v->arena, opt->lang);
    v->literal_nodes = opt->literal_nodes;
  }
  set_prefixes(v, prefixes, prefixes ? nprefixes : 0);
  return v;
}

void kg_viz_free(kg_viz *v) {
  if (!v)
    return;
  free(v->node_ids.slots);
  free(v->pred_ids.slots);
  free(v->seen.slots);
  kg_buf_free(&v->key);
  kg_arena_free(v->arena);
  free(v);
}

const kg_viz_node *kg_viz_nodes(const kg_viz *v, size_t *n) {
  *n = v->nnodes;
  return v->nodes;
}

const kg_viz_edge *kg_viz_edges(const kg_viz *v, size_t *n) {
  *n = v->nedges;
  return v->edges;
}

size_t kg_viz_npreds(const kg_viz *v) {
  return v->npreds;
}
