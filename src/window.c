/* window.c - see window.h. */
#include "window.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

typedef struct entry {
  kg_term t[4];  /* s p o g; g.value NULL: the default graph */
  size_t first;  /* the arrival of the group's (graph and subject) first */
  size_t gfirst; /* the arrival of the graph's first statement */
  size_t next;   /* the group's next statement + 1; 0: none */
  size_t last;   /* on a group's first statement: the group's last one */
} entry;

/* A group (graph, subject) seen in the window: its hash and first entry. */
typedef struct slot {
  uint64_t hash;
  size_t first; /* entry index + 1; 0: free */
} slot;

struct kg_window {
  size_t limit;
  kg_sink_fn sink;
  void *h;
  kg_arena *a;
  entry *e;
  size_t n, cap;
  slot *groups; /* open addressing, a power of two */
  size_t gcap, ngroups;
  size_t *graphs; /* entry index of each graph's first statement */
  size_t ngraphs, graphs_cap;
  bool scattered; /* some group's statements did not come together */
};

kg_window *kg_window_new(size_t limit, kg_sink_fn sink, void *h) {
  kg_window *w = kg_xcalloc(1, sizeof *w);
  w->limit = limit;
  w->sink = sink;
  w->h = h;
  w->a = kg_arena_new();
  return w;
}

void kg_window_free(kg_window *w) {
  if (!w)
    return;
  kg_arena_free(w->a);
  free(w->e);
  free(w->groups);
  free(w->graphs);
  free(w);
}

static const char *copy_str(kg_arena *a, const char *s) {
  return s ? kg_arena_strndup(a, s, strlen(s)) : NULL;
}

static kg_term copy_term(kg_arena *a, const kg_term *t) {
  kg_term c = *t;
  c.value = t->value ? kg_arena_strndup(a, t->value, t->len) : NULL;
  c.datatype = copy_str(a, t->datatype);
  c.language = copy_str(a, t->language);
  return c;
}

/* Subjects and graphs are IRIs or blank nodes: kind and value. */
static bool same_node(const kg_term *a, const kg_term *b) {
  if (!a->value || !b->value)
    return a->value == b->value;
  return a->kind == b->kind && a->len == b->len &&
         memcmp(a->value, b->value, a->len) == 0;
}

static bool same_group(const entry *a, const entry *b) {
  return same_node(&a->t[0], &b->t[0]) && same_node(&a->t[3], &b->t[3]);
}

static uint64_t node_hash(const kg_term *t) {
  return t->value ? kg_hash_bytes(t->value, t->len) ^ (uint64_t)t->kind : 0;
}

static void groups_grow(kg_window *w) {
  const size_t cap = w->gcap ? 2 * w->gcap : 256;
  slot *g = kg_xcalloc(cap, sizeof *g);
  for (size_t i = 0; i < w->gcap; i++) {
    if (!w->groups[i].first)
      continue;
    size_t k = (size_t)w->groups[i].hash & (cap - 1);
    while (g[k].first)
      k = (k + 1) & (cap - 1);
    g[k] = w->groups[i];
  }
  free(w->groups);
  w->groups = g;
  w->gcap = cap;
}

/* The first arrival of the group of e, the window's entry i, which is
 * remembered if new. */
static size_t group_first(kg_window *w, const entry *e, size_t i) {
  if ((w->ngroups + 1) * 2 > w->gcap)
    groups_grow(w);
  const uint64_t h = node_hash(&e->t[0]) * 31 + node_hash(&e->t[3]);
  for (size_t k = (size_t)h & (w->gcap - 1);; k = (k + 1) & (w->gcap - 1)) {
    slot *s = &w->groups[k];
    if (!s->first) {
      *s = (slot){h, i + 1};
      w->ngroups++;
      return i;
    }
    if (s->hash == h && same_group(&w->e[s->first - 1], e))
      return s->first - 1;
  }
}

/* The first arrival of the graph of e, the window's entry i (a window has
 * few graphs: a linear search). */
static size_t graph_first(kg_window *w, const entry *e, size_t i) {
  for (size_t k = 0; k < w->ngraphs; k++)
    if (same_node(&w->e[w->graphs[k]].t[3], &e->t[3]))
      return w->graphs[k];
  if (w->ngraphs == w->graphs_cap) {
    w->graphs_cap = w->graphs_cap ? 2 * w->graphs_cap : 4;
    w->graphs = kg_xrealloc(w->graphs, w->graphs_cap * sizeof *w->graphs);
  }
  w->graphs[w->ngraphs++] = i;
  return i;
}

static kg_status hand_on(kg_window *w, const entry *e) {
  return w->sink(w->h, &e->t[0], &e->t[1], &e->t[2],
                 e->t[3].value ? &e->t[3] : NULL);
}

/* Graphs, then their subjects, in first-arrival order, a group's
 * statements in arrival order: each graph's group heads in order, each
 * followed along its chain (a window holds few graphs). */
kg_status kg_window_flush(kg_window *w) {
  kg_status st = KG_OK;
  if (!w->scattered)
    for (size_t i = 0; i < w->n && st == KG_OK; i++)
      st = hand_on(w, &w->e[i]);
  for (size_t g = 0; w->scattered && g < w->ngraphs; g++)
    for (size_t i = 0; i < w->n && st == KG_OK; i++) {
      if (w->e[i].first != i || w->e[i].gfirst != w->graphs[g])
        continue;
      for (size_t k = i + 1; k && st == KG_OK; k = w->e[k - 1].next)
        st = hand_on(w, &w->e[k - 1]);
    }
  w->n = 0;
  w->scattered = false;
  w->ngraphs = 0;
  if (w->ngroups) {
    memset(w->groups, 0, w->gcap * sizeof *w->groups);
    w->ngroups = 0;
  }
  kg_arena_reset(w->a);
  return st;
}

kg_status kg_window_statement(void *h, const kg_term *s, const kg_term *p,
                              const kg_term *o, const kg_term *g) {
  kg_window *w = h;
  if (w->n == w->cap) {
    w->cap = w->cap ? 2 * w->cap : 256;
    w->e = kg_xrealloc(w->e, w->cap * sizeof *w->e);
  }
  static const kg_term none = {0};
  const size_t i = w->n; /* its arrival */
  entry *e = &w->e[i];
  const kg_term *gg = g ? g : &none;
  /* the common case, the previous statement's group: its copies serve, and
   * no lookup */
  const bool same =
      i && same_node(s, &e[-1].t[0]) && same_node(gg, &e[-1].t[3]);
  e->t[0] = same ? e[-1].t[0] : copy_term(w->a, s);
  e->t[1] = copy_term(w->a, p);
  e->t[2] = copy_term(w->a, o);
  e->t[3] = same ? e[-1].t[3] : g ? copy_term(w->a, g) : none;
  e->next = 0;
  e->last = i;
  if (same) {
    e->first = e[-1].first;
    e->gfirst = e[-1].gfirst;
  } else {
    e->first = group_first(w, e, i);
    e->gfirst = graph_first(w, e, i);
    /* a group or graph that came back: the window must be reordered */
    w->scattered = w->scattered || e->first != i ||
                   (i && e->gfirst != e[-1].gfirst && e->gfirst != i);
  }
  if (e->first != i) { /* chain it after its group's last */
    entry *head = &w->e[e->first];
    w->e[head->last].next = i + 1;
    head->last = i;
  }
  w->n++;
  if (w->a->total + w->n * sizeof *w->e >= w->limit)
    return kg_window_flush(w);
  return KG_OK;
}
