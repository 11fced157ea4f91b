/* kg.h - status codes, the TRY macro and the diagnostics sink shared by
 * every stage of kgmap.
 *
 * Library code never prints: it reports through a kg_diag, whose callback
 * the program (main.c) or a test supplies. */
#ifndef KG_H
#define KG_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
  KG_OK = 0,
  KG_DONE,        /* end of a stream; not an error */
  KG_ERR_USAGE,   /* bad command-line use */
  KG_ERR_IO,      /* a file could not be read or written */
  KG_ERR_SYNTAX,  /* malformed YAML, JSON, Turtle or JSONPath */
  KG_ERR_MAPPING, /* a mapping that is well-formed but invalid */
  KG_ERR_DATA,    /* data that the mapping cannot turn into RDF */
  KG_ERR_LIMIT    /* a resource limit (depth, aliases, size) was exceeded */
} kg_status;

/* A static English description of a status. */
const char *kg_strerror(kg_status st);

/* Propagate a failure to the function's single `fail:` label; the function
 * declares `kg_status st = KG_OK;`. */
#define TRY(expr)                                                              \
  do {                                                                         \
    st = (expr);                                                               \
    if (st != KG_OK)                                                           \
      goto fail;                                                               \
  } while (0)

/* A place in a file; line and col are 1-based, 0 when unknown. */
typedef struct kg_pos {
  const char *file;
  unsigned line;
  unsigned col;
} kg_pos;

typedef enum { KG_SEV_ERROR, KG_SEV_WARNING, KG_SEV_NOTE } kg_severity;

/* Receives one formatted message (without position or trailing newline). */
typedef void (*kg_diag_fn)(void *h, kg_severity sev, const kg_pos *pos,
                           const char *msg);

typedef struct kg_diag {
  kg_diag_fn fn; /* may be NULL: messages are only counted */
  void *h;
  unsigned errors;
  unsigned warnings;
} kg_diag;

/* Report an error at pos (may be NULL) and return st, so that callers can
 * write `return kg_error(d, &pos, KG_ERR_MAPPING, "unknown key '%s'", k);`.
 * d may be NULL. */
kg_status kg_error(kg_diag *d, const kg_pos *pos, kg_status st,
                   const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

void kg_warn(kg_diag *d, const kg_pos *pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Format "file:line:col: severity: msg" into buf (GCC style); used by the
 * CLI and by tests that compare expected error text. */
void kg_diag_format(char *buf, size_t size, kg_severity sev, const kg_pos *pos,
                    const char *msg);

#endif
