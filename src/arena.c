/* arena.c - see arena.h. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(size_t size) {
  fprintf(stderr, "kgmap: out of memory (asked for %zu bytes)\n", size);
  abort();
}

void *kg_xmalloc(size_t size) {
  void *p = malloc(size ? size : 1);
  if (!p)
    out_of_memory(size);
  return p;
}

void *kg_xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p)
    out_of_memory(n * size);
  return p;
}

void *kg_xrealloc(void *p, size_t size) {
  void *q = realloc(p, size ? size : 1);
  if (!q)
    out_of_memory(size);
  return q;
}

char *kg_xstrndup(const char *s, size_t n) {
  char *p = kg_xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

enum { BLOCK_MIN = 64 * 1024 };

kg_arena *kg_arena_new(void) {
  return kg_xcalloc(1, sizeof(kg_arena));
}

static void free_blocks(kg_arena_block *b) {
  while (b) {
    kg_arena_block *next = b->next;
    free(b);
    b = next;
  }
}

void kg_arena_free(kg_arena *a) {
  if (!a)
    return;
  free_blocks(a->head);
  free(a);
}

void kg_arena_reset(kg_arena *a) {
  if (!a->head)
    return;
  /* Keep the largest block: the most recent one is always at least as
   * large as every block before it. */
  free_blocks(a->head->next);
  a->head->next = NULL;
  a->head->used = 0;
  a->total = 0;
}

/* The current block has no room for size (rounded) bytes: a new block, at
 * least twice as large, becomes the current one. */
void *kg_arena_raw_slow(kg_arena *a, size_t size) {
  kg_arena_block *b = a->head;
  size_t bsize = b ? b->size * 2 : BLOCK_MIN;
  while (bsize < size)
    bsize *= 2;
  kg_arena_block *nb = kg_xmalloc(sizeof(kg_arena_block) + bsize);
  nb->size = bsize;
  nb->used = size;
  nb->next = b;
  a->head = nb;
  a->total += size;
  return nb->data;
}

char *kg_arena_strdup(kg_arena *a, const char *s) {
  return kg_arena_strndup(a, s, strlen(s));
}

char *kg_arena_printf(kg_arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *p = kg_arena_alloc(a, (size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

size_t kg_arena_used(const kg_arena *a) {
  return a->total;
}

/* Room for the element after the n (4, 8, 16...) that *arr_ptr holds:
 * the elements beyond n are never read before kg_arena_push zeroes them,
 * so the new array is not zeroed. */
void kg_arena_grow(kg_arena *a, void *arr_ptr, size_t n, size_t elem_size) {
  const size_t cap = n * 2;
  char *grown = kg_arena_raw(a, cap * elem_size), *old;
  memcpy(&old, arr_ptr, sizeof old);
  if (n)
    memcpy(grown, old, n * elem_size);
  memcpy(arr_ptr, &grown, sizeof grown);
}

void kg_buf_reserve(kg_buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap)
    return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->len + extra + 1)
    cap *= 2;
  b->data = kg_xrealloc(b->data, cap);
  b->cap = cap;
}

void kg_buf_append(kg_buf *b, const char *s, size_t n) {
  kg_buf_reserve(b, n);
  if (n)
    memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void kg_buf_puts(kg_buf *b, const char *s) {
  kg_buf_append(b, s, strlen(s));
}

void kg_buf_putc(kg_buf *b, char c) {
  kg_buf_append(b, &c, 1);
}

void kg_buf_printf(kg_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  kg_buf_reserve(b, (size_t)n);
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void kg_buf_reset(kg_buf *b) {
  b->len = 0;
  if (b->data)
    b->data[0] = '\0';
}

void kg_buf_free(kg_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

const char *kg_buf_cstr(kg_buf *b) {
  return b->data ? b->data : "";
}
