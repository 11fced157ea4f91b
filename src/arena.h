/* arena.h - allocation: an arena for models and documents, a growable byte
 * buffer for per-record scratch work, and the one place where running out
 * of memory aborts. */
#ifndef KG_ARENA_H
#define KG_ARENA_H

#include <stddef.h>
#include <string.h>

/* Allocate or abort: out of memory is not recoverable for a batch tool. */
void *kg_xmalloc(size_t size);
void *kg_xcalloc(size_t n, size_t size);
void *kg_xrealloc(void *p, size_t size);
char *kg_xstrndup(const char *s, size_t n);

/* The arena is open here only so that allocating from its current block
 * is inlined (a mapping run allocates a few times per statement); use the
 * functions, never the fields. */
typedef struct kg_arena_block {
  struct kg_arena_block *next;
  size_t size;
  size_t used;
  max_align_t data[];
} kg_arena_block;

typedef struct kg_arena {
  kg_arena_block *head;
  size_t total;
} kg_arena;

/// Returns a new arena; the caller frees it with kg_arena_free().
kg_arena *kg_arena_new(void);
void kg_arena_free(kg_arena *a);
/* Forget every allocation but keep the first block for reuse. */
void kg_arena_reset(kg_arena *a);

/* size bytes in a new block (the current one has no room). */
void *kg_arena_raw_slow(kg_arena *a, size_t size);

/* Uninitialised memory, aligned for any type. */
static inline void *kg_arena_raw(kg_arena *a, size_t size) {
  const size_t align = sizeof(max_align_t);
  size = (size + align - 1) / align * align;
  kg_arena_block *b = a->head;
  if (!b || b->size - b->used < size)
    return kg_arena_raw_slow(a, size);
  void *p = (char *)b->data + b->used;
  b->used += size;
  a->total += size;
  return p;
}

/* Zeroed, aligned for any type. */
static inline void *kg_arena_alloc(kg_arena *a, size_t size) {
  void *p = kg_arena_raw(a, size);
  memset(p, 0, size);
  return p;
}

/* Copies n bytes and adds a NUL. */
static inline char *kg_arena_strndup(kg_arena *a, const char *s, size_t n) {
  char *p = kg_arena_raw(a, n + 1);
  if (n)
    memcpy(p, s, n);
  p[n] = '\0';
  return p;
}
char *kg_arena_strdup(kg_arena *a, const char *s);
char *kg_arena_printf(kg_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Bytes handed out since the last reset (for limits and benchmarks). */
size_t kg_arena_used(const kg_arena *a);

/* Append one zeroed element of elem_size bytes to the arena array *arr that
 * holds *n elements, growing it by doubling; returns the new element.
 * Capacity is implied by *n (4, then powers of two), so no capacity is
 * stored: only kg_arena_push may add to such an array.  Inline: most
 * pushes do not grow the array. */
void kg_arena_grow(kg_arena *a, void *arr_ptr, size_t n, size_t elem_size);

static inline void *kg_arena_push(kg_arena *a, void *arr_ptr, size_t *n,
                                  size_t elem_size) {
  const size_t k = *n;
  char *arr;
  if (k == 0) {
    arr = kg_arena_raw(a, 4 * elem_size);
    memcpy(arr_ptr, &arr, sizeof arr); /* *arr_ptr is some T *: no aliasing */
  } else {
    if (k >= 4 && (k & (k - 1)) == 0)
      kg_arena_grow(a, arr_ptr, k, elem_size);
    memcpy(&arr, arr_ptr, sizeof arr);
  }
  char *elem = arr + k * elem_size;
  memset(elem, 0, elem_size);
  *n = k + 1;
  return elem;
}

/* A growable byte buffer, always NUL-terminated after the first append. */
typedef struct kg_buf {
  char *data;
  size_t len;
  size_t cap;
} kg_buf;

void kg_buf_append(kg_buf *b, const char *s, size_t n);
void kg_buf_puts(kg_buf *b, const char *s);
void kg_buf_putc(kg_buf *b, char c);
void kg_buf_printf(kg_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void kg_buf_reset(kg_buf *b); /* len = 0, keeps capacity */
/* Room for extra more bytes (and the NUL) without reallocating. */
void kg_buf_reserve(kg_buf *b, size_t extra);
void kg_buf_free(kg_buf *b);
/* The contents as a C string ("" when empty). */
const char *kg_buf_cstr(kg_buf *b);

#endif
