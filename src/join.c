/* join.c - open-addressing hash index for joins (see join.h). */
#include "join.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry_term {
  struct entry_term *next;
  kg_term term;
} entry_term;

typedef struct slot {
  uint64_t hash;
  const char *key; /* NULL: empty slot */
  size_t len;
  entry_term *first, *last;
} slot;

struct kg_join_index {
  kg_arena *arena;
  slot *slots;
  size_t cap; /* power of two */
  size_t used;
  size_t nterms;
};

kg_join_index *kg_join_index_new(void) {
  kg_join_index *ix = kg_xcalloc(1, sizeof *ix);
  ix->arena = kg_arena_new();
  ix->cap = 64;
  ix->slots = kg_xcalloc(ix->cap, sizeof(slot));
  return ix;
}

void kg_join_index_free(kg_join_index *ix) {
  if (!ix)
    return;
  kg_arena_free(ix->arena);
  free(ix->slots);
  free(ix);
}

static slot *lookup(slot *slots, size_t cap, uint64_t h, const char *key,
                    size_t len) {
  size_t i = (size_t)h & (cap - 1);
  for (;; i = (i + 1) & (cap - 1)) {
    slot *s = &slots[i];
    if (!s->key ||
        (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
      return s;
  }
}

static void grow(kg_join_index *ix) {
  size_t cap = ix->cap * 2;
  slot *slots = kg_xcalloc(cap, sizeof(slot));
  for (size_t i = 0; i < ix->cap; i++)
    if (ix->slots[i].key)
      *lookup(slots, cap, ix->slots[i].hash, ix->slots[i].key,
              ix->slots[i].len) = ix->slots[i];
  free(ix->slots);
  ix->slots = slots;
  ix->cap = cap;
}

void kg_join_index_add(kg_join_index *ix, const char *key, size_t len,
                       const kg_term *t) {
  if ((ix->used + 1) * 4 > ix->cap * 3)
    grow(ix);
  uint64_t h = kg_hash_bytes(key, len);
  slot *s = lookup(ix->slots, ix->cap, h, key, len);
  if (!s->key) {
    s->hash = h;
    s->key = kg_arena_strndup(ix->arena, key, len);
    s->len = len;
    ix->used++;
  }
  for (const entry_term *e = s->first; e; e = e->next)
    if (e->term.kind == t->kind && e->term.len == t->len &&
        memcmp(e->term.value, t->value, t->len) == 0)
      return; /* the same parent subject twice under one key */
  entry_term *e = kg_arena_alloc(ix->arena, sizeof *e);
  e->term = *t;
  e->term.value = kg_arena_strndup(ix->arena, t->value, t->len);
  if (s->last)
    s->last->next = e;
  else
    s->first = e;
  s->last = e;
  ix->nterms++;
}

kg_status kg_join_index_find(const kg_join_index *ix, const char *key,
                             size_t len, kg_join_visit_fn fn, void *h) {
  const slot *s = lookup(ix->slots, ix->cap, kg_hash_bytes(key, len), key, len);
  for (const entry_term *e = s->key ? s->first : NULL; e; e = e->next) {
    kg_status st = fn(h, &e->term);
    if (st != KG_OK)
      return st;
  }
  return KG_OK;
}

size_t kg_join_index_terms(const kg_join_index *ix) { return ix->nterms; }

size_t kg_join_index_bytes(const kg_join_index *ix) {
  return kg_arena_used(ix->arena) + ix->cap * sizeof(slot);
}
