/* progress.c - the progress line and the -v summary (see progress.h). */
#include "progress.h"

#include <stdio.h>
#include <string.h>

/* n with thousands separators: 1234567 -> "1,234,567". */
static const char *grouped(char *buf, size_t size, size_t n) {
  char digits[32];
  const int len = snprintf(digits, sizeof digits, "%zu", n);
  size_t o = 0;
  for (int i = 0; i < len && o + 2 < size; i++) {
    if (i && (len - i) % 3 == 0)
      buf[o++] = ',';
    buf[o++] = digits[i];
  }
  buf[o] = '\0';
  return buf;
}

void kg_progress_start(kg_progress *p, double now, double every) {
  p->start = now;
  p->last = now;
  p->every = every;
}

void kg_progress_format(const kg_progress *p, const kg_eval_stats *s,
                        double now, char *buf, size_t size) {
  char r[32], t[32], rate[32];
  const double elapsed = now > p->start ? now - p->start : 0;
  const double per_s = elapsed > 0 ? (double)s->statements / elapsed : 0;
  snprintf(buf, size, "kgmap: %s records, %s triples, %s triples/s, %.1f s",
           grouped(r, sizeof r, s->records),
           grouped(t, sizeof t, s->statements),
           grouped(rate, sizeof rate, (size_t)(per_s + 0.5)), elapsed);
}

bool kg_progress_due(kg_progress *p, const kg_eval_stats *s, double now,
                     char *buf, size_t size) {
  if (now - p->last < p->every)
    return false;
  p->last = now;
  kg_progress_format(p, s, now, buf, size);
  return true;
}

/* " (name N, name N)" for the maps whose count is not zero. */
static void per_map(kg_buf *out, const kg_mapping *m, const size_t *count) {
  bool any = false;
  for (size_t i = 0; count && i < m->nmaps; i++) {
    if (!count[i])
      continue;
    char n[32];
    kg_buf_printf(out, "%s%s %s", any ? ", " : " (", m->maps[i]->name,
                  grouped(n, sizeof n, count[i]));
    any = true;
  }
  if (any)
    kg_buf_putc(out, ')');
}

void kg_progress_summary(kg_buf *out, const kg_mapping *m,
                         const kg_eval_stats *s, const size_t *map_statements,
                         const size_t *map_no_subject) {
  char d[32], r[32], t[32], k[32];
  kg_buf_printf(out, "kgmap: %s document%s, %s record%s, %s triple%s",
                grouped(d, sizeof d, s->documents),
                s->documents == 1 ? "" : "s", grouped(r, sizeof r, s->records),
                s->records == 1 ? "" : "s", grouped(t, sizeof t, s->statements),
                s->statements == 1 ? "" : "s");
  per_map(out, m, map_statements);
  if (!s->no_subject && !s->skipped) {
    kg_buf_puts(out, "; no record skipped");
    return;
  }
  if (s->no_subject) {
    kg_buf_printf(out,
                  "; skipped %s record%s without a subject, a null or "
                  "missing value in the subject map",
                  grouped(k, sizeof k, s->no_subject),
                  s->no_subject == 1 ? "" : "s");
    per_map(out, m, map_no_subject);
  }
  if (s->skipped) /* --skip-bad-records; by mapping in its own line */
    kg_buf_printf(out, "; skipped %s record%s with data errors",
                  grouped(k, sizeof k, s->skipped), s->skipped == 1 ? "" : "s");
}
