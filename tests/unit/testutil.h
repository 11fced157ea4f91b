/* testutil.h - shared helpers for the cmocka unit tests. */
#ifndef KG_TESTUTIL_H
#define KG_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kg.h"

/* A kg_diag that keeps the last formatted message, for assertions on the
 * exact error text. */
typedef struct test_diag {
  kg_diag diag;
  char last[2048];
  char all[8192];
} test_diag;

static void test_diag_fn(void *h, kg_severity sev, const kg_pos *pos,
                         const char *msg) {
  test_diag *t = h;
  kg_diag_format(t->last, sizeof t->last, sev, pos, msg);
  size_t used = strlen(t->all);
  snprintf(t->all + used, sizeof t->all - used, "%s\n", t->last);
}

static inline void test_diag_init(test_diag *t) {
  memset(t, 0, sizeof *t);
  t->diag.fn = test_diag_fn;
  t->diag.h = t;
}

#endif
