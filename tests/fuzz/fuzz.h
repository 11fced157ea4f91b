/* fuzz.h - helpers shared by the libFuzzer targets (tests/fuzz/fuzz_*.c).
 *
 * Every target checks the library's contracts, not only that it does not
 * crash: a failing status comes with at least one error message that has
 * a position in the input, and an error is never reported with KG_OK.  A
 * broken contract calls fuzz_fail(), which aborts, so libFuzzer keeps the
 * input as a crash. */
#ifndef KG_FUZZ_H
#define KG_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline void fuzz_fail(const char *what) {
  fprintf(stderr, "fuzz: contract broken: %s\n", what);
  abort();
}

/* Counts the errors that name a file (kg_diag counts them all). */
typedef struct fuzz_diag {
  kg_diag diag;
  unsigned with_pos; /* errors that named a file */
} fuzz_diag;

static inline void fuzz_diag_fn(void *h, kg_severity sev, const kg_pos *pos,
                                const char *msg) {
  fuzz_diag *fd = h;
  if (sev == KG_SEV_ERROR && pos && pos->file)
    fd->with_pos++;
  if (!msg || !msg[0])
    fuzz_fail("an empty diagnostic message");
}

static inline void fuzz_diag_init(fuzz_diag *fd) {
  fd->diag = (kg_diag){fuzz_diag_fn, fd, 0, 0};
  fd->with_pos = 0;
}

/* A status and the messages must agree: errors have a message with a
 * position, success has no error message. */
static inline void fuzz_check_status(const fuzz_diag *fd, kg_status st) {
  if ((st == KG_OK || st == KG_DONE) && fd->diag.errors)
    fuzz_fail("an error message with a successful status");
  if (st != KG_OK && st != KG_DONE && fd->with_pos == 0)
    fuzz_fail("a failing status without a positioned error message");
}

/* Split the input at its first NUL byte: head before, tail after (tail is
 * NULL when there is no NUL).  Several targets read "A \0 B" inputs. */
typedef struct fuzz_split {
  const char *head, *tail;
  size_t head_len, tail_len;
} fuzz_split;

static inline fuzz_split fuzz_split_nul(const uint8_t *data, size_t size) {
  const char *s = (const char *)data;
  const char *nul = memchr(s, '\0', size);
  fuzz_split sp = {s, NULL, size, 0};
  if (nul) {
    sp.head_len = (size_t)(nul - s);
    sp.tail = nul + 1;
    sp.tail_len = size - sp.head_len - 1;
  }
  return sp;
}

#endif
