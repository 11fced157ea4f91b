/* progress.h - the progress line of long runs and the -v summary, as text:
 * the library never prints, the program writes these lines to stderr.
 *
 *   kgmap: 120,000 records, 1,204,311 triples, 402,103 triples/s, 3.0 s
 *   kgmap: 5 documents, 1,321 records, 13,529 triples (article 196, ...);
 *   skipped 2 records without a subject, a null or missing value in the
 *   subject map (event 2)                                  [one line] */
#ifndef KG_PROGRESS_H
#define KG_PROGRESS_H

#include "eval.h"

typedef struct kg_progress {
  double start; /* seconds, any monotonic clock */
  double last;  /* when the last line was due; < start: never */
  double every; /* seconds between two lines */
} kg_progress;

/* A progress meter started at `now` that gives a line at most every
 * `every` seconds. */
void kg_progress_start(kg_progress *p, double now, double every);

/* If a line is due at `now` (the first one `every` seconds after the
 * start), format it into buf and return true. */
bool kg_progress_due(kg_progress *p, const kg_eval_stats *s, double now,
                     char *buf, size_t size);

/* The progress line for s at `now`, due or not. */
void kg_progress_format(const kg_progress *p, const kg_eval_stats *s,
                        double now, char *buf, size_t size);

/* The -v summary: counts, the triples of each triples map that wrote any
 * (map_statements[i] for m->maps[i]), and the records skipped and why:
 * without a subject (map_no_subject[i]), or with data errors
 * (--skip-bad-records).  map_statements and map_no_subject may be NULL. */
void kg_progress_summary(kg_buf *out, const kg_mapping *m,
                         const kg_eval_stats *s, const size_t *map_statements,
                         const size_t *map_no_subject);

#endif
